# Fixture pgmig_install: a fresh install tree of this build, shared by the
# consumer and packaging tests.
#   cmake -DBUILD_DIR=<build> -DPREFIX=<dir> [-DCONFIG=<cfg>] -P install_tree.cmake
cmake_minimum_required(VERSION 3.17)
file(REMOVE_RECURSE "${PREFIX}")
set(config_args "")
if(CONFIG)
  set(config_args --config "${CONFIG}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}" ${config_args}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed:\n${out}")
endif()
file(GLOB_RECURSE files RELATIVE "${PREFIX}" "${PREFIX}/*")
list(SORT files)
string(REPLACE ";" "\n  " listing "${files}")
message(STATUS "installed into ${PREFIX}:\n  ${listing}")
