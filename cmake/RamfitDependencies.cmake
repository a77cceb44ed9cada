# LLVM and Clang 16 from Debian, linked as the shared libLLVM-16 and
# libclang-cpp; yaml-cpp for the plan and config files; libgit2 for diffs.
find_package(LLVM 16 REQUIRED CONFIG)
# Debian also ships Clang 14's config on the default path; take 16's only.
find_package(Clang REQUIRED CONFIG PATHS "${LLVM_LIBRARY_DIR}/cmake/clang"
             NO_DEFAULT_PATH)
find_package(yaml-cpp REQUIRED)
# Unified diffs for 'ramfit annotate' come from libgit2.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBGIT2 REQUIRED IMPORTED_TARGET libgit2)

include_directories(SYSTEM ${LLVM_INCLUDE_DIRS} ${CLANG_INCLUDE_DIRS})
add_definitions(${LLVM_DEFINITIONS})
