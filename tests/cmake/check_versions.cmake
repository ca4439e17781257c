# The version is written in one place, project(pgmig VERSION …) in
# CMakeLists.txt. Everything else reads it or is checked against it here:
#
#   - <pgmig/version.hpp> is generated from it (BUILD_DIR/include/pgmig/),
#     and no hand-written copy exists in include/pgmig/;
#   - the Conan recipe has no literal version: its set_version() reads
#     CMakeLists.txt, and the function it uses gives this version (run with
#     PYTHON when given);
#   - vcpkg.json must hold a literal version: it equals this one.
#
# (The installed pgmigConfigVersion.cmake and pgmig.pc come from
# project(VERSION) too; check_packaging.cmake checks them in an install.)
#
#   cmake -DSOURCE_DIR=<repo> -DBUILD_DIR=<build> [-DPYTHON=<python3>] -P check_versions.cmake
cmake_minimum_required(VERSION 3.17)
set(errors "")
macro(problem text)
  string(APPEND errors "  - ${text}\n")
endmacro()

file(READ "${SOURCE_DIR}/CMakeLists.txt" top)
if(NOT top MATCHES "project\\(pgmig[ \t\n]+VERSION[ \t\n]+(([0-9]+)\\.([0-9]+)\\.([0-9]+))[ \t\n)]")
  message(FATAL_ERROR "CMakeLists.txt: no project(pgmig VERSION <major>.<minor>.<patch> …)")
endif()
set(version "${CMAKE_MATCH_1}")
set(major "${CMAKE_MATCH_2}")
set(minor "${CMAKE_MATCH_3}")
set(patch "${CMAKE_MATCH_4}")
message(STATUS "CMakeLists.txt: pgmig ${version}")

# ------------------------------------------------------------------ version.hpp
if(EXISTS "${SOURCE_DIR}/include/pgmig/version.hpp")
  problem("include/pgmig/version.hpp exists in the source tree; it is generated from include/pgmig/version.hpp.in")
endif()
set(header "${BUILD_DIR}/include/pgmig/version.hpp")
if(NOT EXISTS "${header}")
  problem("${header} was not generated")
else()
  file(READ "${header}" text)
  foreach(pair "MAJOR;${major}" "MINOR;${minor}" "PATCH;${patch}" "STRING;\"${version}\"")
    list(GET pair 0 name)
    list(GET pair 1 want)
    if(NOT text MATCHES "#define PGMIG_VERSION_${name} ([^\n]*)\n" OR NOT CMAKE_MATCH_1 STREQUAL want)
      problem("version.hpp: PGMIG_VERSION_${name} is '${CMAKE_MATCH_1}', expected ${want}")
    endif()
  endforeach()
  message(STATUS "version.hpp: ${version}")
endif()

# ------------------------------------------------------------------ vcpkg.json
file(READ "${SOURCE_DIR}/packaging/vcpkg/pgmig/vcpkg.json" vcpkg_json)
string(REGEX MATCH "\"version\"[ \t]*:[ \t]*\"([^\"]+)\"" _ "${vcpkg_json}")
if(NOT CMAKE_MATCH_1 STREQUAL version)
  problem("packaging/vcpkg/pgmig/vcpkg.json: version is '${CMAKE_MATCH_1}', CMakeLists.txt says ${version}; change both together")
else()
  message(STATUS "vcpkg.json: ${version}")
endif()

# ------------------------------------------------------------------ conanfile.py
set(recipe_file "${SOURCE_DIR}/packaging/conan/conanfile.py")
file(READ "${recipe_file}" recipe)
if(recipe MATCHES "\n    version = ")
  problem("conanfile.py sets a literal version; it reads CMakeLists.txt in set_version()")
endif()
if(NOT recipe MATCHES "\n    def set_version\\(self\\):[^\n]*\n[^\n]*_version_from_cmakelists\\(")
  problem("conanfile.py: set_version() does not call _version_from_cmakelists()")
endif()
if(PYTHON)
  # The recipe's own function, run alone (Conan need not be installed).
  set(script [=[
import ast, re, sys
recipe, cmakelists = sys.argv[1], sys.argv[2]
tree = ast.parse(open(recipe, encoding="utf-8").read(), recipe)
fn = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "_version_from_cmakelists"]
if not fn:
    sys.exit("conanfile.py has no module-level _version_from_cmakelists()")
scope = {"re": re}
exec(compile(ast.Module(body=fn, type_ignores=[]), recipe, "exec"), scope)
print(scope["_version_from_cmakelists"](open(cmakelists, encoding="utf-8").read()))
]=])
  execute_process(COMMAND "${PYTHON}" -c "${script}" "${recipe_file}" "${SOURCE_DIR}/CMakeLists.txt"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    problem("conanfile.py: _version_from_cmakelists() failed: ${err}")
  elseif(NOT out STREQUAL version)
    problem("conanfile.py: _version_from_cmakelists() gives '${out}', CMakeLists.txt says ${version}")
  else()
    message(STATUS "conanfile.py: set_version() reads ${version}")
  endif()
else()
  message(WARNING "python3 not found: the Conan recipe's set_version() was not run")
endif()

if(errors)
  message(FATAL_ERROR "the version is not in one place:\n${errors}")
endif()
message(STATUS "version ${version}: one source, every packaging file agrees")
