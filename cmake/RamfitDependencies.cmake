# LLVM and Clang 16 from Debian; yaml-cpp for the plan and config files;
# libgit2 for diffs.
find_package(LLVM 16 REQUIRED CONFIG)
# Debian also ships Clang 14's config on the default path; take 16's only.
find_package(Clang REQUIRED CONFIG PATHS "${LLVM_LIBRARY_DIR}/cmake/clang"
             NO_DEFAULT_PATH)
find_package(yaml-cpp REQUIRED)
# Unified diffs for 'ramfit annotate' come from libgit2, which ramfit loads
# by its soname when it makes the first diff (lib/apply/Patch.cpp says why).
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBGIT2 REQUIRED libgit2)
find_library(RAMFIT_LIBGIT2_LIBRARY git2 HINTS ${LIBGIT2_LIBRARY_DIRS} REQUIRED)
execute_process(COMMAND ${CMAKE_READELF} -d ${RAMFIT_LIBGIT2_LIBRARY}
                OUTPUT_VARIABLE libgit2_dynamic COMMAND_ERROR_IS_FATAL ANY)
if(NOT libgit2_dynamic MATCHES "Library soname: \\[([^]]+)\\]")
  message(FATAL_ERROR "${RAMFIT_LIBGIT2_LIBRARY} has no soname")
endif()
set(RAMFIT_LIBGIT2_SONAME ${CMAKE_MATCH_1})

# By default ramfit links the static LLVM component archives and Clang
# libraries Debian's -dev packages ship, as LLVM's own tools are linked: the
# shared libLLVM-16 and libclang-cpp cost every run ~0.1 s and ~70 MiB to load
# and relocate before it reads a byte (bench/results.md has both builds).
option(RAMFIT_SHARED_LLVM "Link the shared libLLVM-16 and libclang-cpp" OFF)

# What ramfit uses of LLVM: ELF and DWARF reading, and the RISC-V and Arm
# disassemblers for the call scan.
set(RAMFIT_LLVM_COMPONENTS
  Support Demangle BinaryFormat Object DebugInfoDWARF Option TargetParser
  MC MCDisassembler
  RISCVDesc RISCVInfo RISCVDisassembler ARMDesc ARMInfo ARMDisassembler)
# What 'ramfit annotate' uses of Clang: parsing with the compilation database
# and the AST matchers.
set(RAMFIT_CLANG_LIBRARIES
  clangTooling clangToolingCore clangASTMatchers clangFrontend clangDriver
  clangSerialization clangParse clangSema clangAnalysis clangEdit clangAST
  clangLex clangBasic clangRewrite clangFormat clangToolingInclusions
  clangSupport clangAPINotes)

# lib/CMakeLists.txt links the LLVM libraries into the stages that read
# firmware and Clang's into apply alone.
if(RAMFIT_SHARED_LLVM)
  set(RAMFIT_LLVM_LIBRARIES LLVM)
  set(RAMFIT_CLANG_LINK_LIBRARIES clang-cpp)
  set(RAMFIT_YAML_CPP_LIBRARY yaml-cpp)
else()
  llvm_map_components_to_libnames(RAMFIT_LLVM_STATIC ${RAMFIT_LLVM_COMPONENTS})
  # Debian built its Clang archives against the shared libLLVM, so their
  # exported targets name "LLVM" as a dependency; point them at the static
  # components they need instead (Clang's own CMake lists these per library).
  llvm_map_components_to_libnames(RAMFIT_CLANG_NEEDS
    Support TargetParser BinaryFormat Core BitReader BitstreamReader Option
    ProfileData FrontendOpenMP FrontendHLSL MC MCParser WindowsDriver Demangle)
  foreach(library ${RAMFIT_CLANG_LIBRARIES})
    get_target_property(needs ${library} INTERFACE_LINK_LIBRARIES)
    list(TRANSFORM needs REPLACE "^LLVM$" "${RAMFIT_CLANG_NEEDS}")
    set_target_properties(${library} PROPERTIES INTERFACE_LINK_LIBRARIES "${needs}")
  endforeach()
  set(RAMFIT_LLVM_LIBRARIES ${RAMFIT_LLVM_STATIC})
  set(RAMFIT_CLANG_LINK_LIBRARIES ${RAMFIT_CLANG_LIBRARIES})
  # The small libraries LLVM's Support and the YAML reader need, static too,
  # so that ramfit loads libc and libm only: each shared library costs its
  # load and relocation at every start.
  foreach(name z zstd tinfo yaml-cpp)
    find_library(RAMFIT_STATIC_${name} lib${name}.a REQUIRED)
  endforeach()
  get_target_property(needs LLVMSupport INTERFACE_LINK_LIBRARIES)
  list(TRANSFORM needs REPLACE "^ZLIB::ZLIB$" "${RAMFIT_STATIC_z}")
  list(TRANSFORM needs REPLACE "^zstd::libzstd_shared$" "${RAMFIT_STATIC_zstd}")
  list(TRANSFORM needs REPLACE "^Terminfo::terminfo$" "${RAMFIT_STATIC_tinfo}")
  set_target_properties(LLVMSupport PROPERTIES INTERFACE_LINK_LIBRARIES "${needs}")
  set(RAMFIT_YAML_CPP_LIBRARY ${RAMFIT_STATIC_yaml-cpp})
endif()

include_directories(SYSTEM ${LLVM_INCLUDE_DIRS} ${CLANG_INCLUDE_DIRS})
add_definitions(${LLVM_DEFINITIONS})
