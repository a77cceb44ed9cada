import os

import lit.formats

config.name = "ramfit"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(os.path.dirname(config.ramfit_bin_dir), "tests", "lit")
config.excludes = ["Inputs"]

# The trees tests make live inside ramfit's own checkout: git, and ramfit
# looking for a patch's repository, stop above them as they would in a tree
# of its own.
config.environment["GIT_CEILING_DIRECTORIES"] = config.test_exec_root
config.environment["PATH"] = os.pathsep.join(
    [config.ramfit_bin_dir, config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])

tools = os.path.join(config.ramfit_source_dir, "tests", "tools")
config.substitutions.append(("%ramfit", os.path.join(config.ramfit_bin_dir, "ramfit")))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%host_cxx", config.cxx_compiler))
config.substitutions.append(("%stage_views", config.stage_views_dir))
config.substitutions.append(("%record_gdb_log", "%s %s" % (config.python_executable, os.path.join(tools, "record_gdb_log.py"))))
config.substitutions.append(("%expected_profile", "%s %s --nm llvm-nm" % (config.python_executable, os.path.join(tools, "expected_profile.py"))))
config.substitutions.append(("%check_recorded", "%s %s check" % (config.python_executable, os.path.join(tools, "recorded_logs.py"))))
config.substitutions.append(("%capture", "%s %s" % (config.python_executable, os.path.join(tools, "gdb_capture.py"))))
config.substitutions.append(("%run_qemu", "%s %s" % (config.python_executable, os.path.join(tools, "run_qemu.py"))))
config.substitutions.append(("%run_sampler", "%s %s" % (config.python_executable, os.path.join(tools, "run_sampler.py"))))
config.substitutions.append(("%include_mk", os.path.join(os.path.dirname(config.ramfit_bin_dir), "share", "ramfit", "make", "ramfit.mk")))
config.substitutions.append(("%sampler", os.path.join(os.path.dirname(config.ramfit_bin_dir), "share", "ramfit", "gdb", "ramfit_sampler.py")))
config.substitutions.append(("%make_gmon", "%s %s" % (config.python_executable, os.path.join(tools, "make_gmon.py"))))
config.substitutions.append(("%fw_riscv", os.path.join(config.fixture_firmware_dir, "riscv")))
config.substitutions.append(("%fw_arm", os.path.join(config.fixture_firmware_dir, "arm")))
config.substitutions.append(("%fixtures", os.path.join(config.ramfit_source_dir, "fixtures")))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))

# Headless Chromium as the environment guide sets it up: no network, no
# sandbox (root), a fresh profile.
config.substitutions.append(("%chromium", "chromium --headless --no-sandbox --disable-gpu --disable-quic "
                             "--no-first-run --disable-background-networking --disable-component-update "
                             "--disable-sync --user-data-dir=%t.chromium-profile"))
config.substitutions.append(("%make_firmware", "make --no-print-directory -s -C %s" % os.path.join(config.ramfit_source_dir, "fixtures", "firmware")))
config.substitutions.append(("%make_interrupts", "make --no-print-directory -s -C %s" % os.path.join(config.ramfit_source_dir, "fixtures", "interrupts")))
