# The build-time validator (pgmig_embed_generate.cmake) agrees with the runtime
# parser on every fixture directory of validator_cases/: both accept it, or
# both reject it with the same "file:line: reason" lines (the advice after the
# reason, past the first "; ", may be worded differently).
#
#   cmake -DPARSER=<pgmig_parse_dir> -DGENERATOR=<pgmig_embed_generate.cmake>
#         -DCASES=<validator_cases> -P compare_validator.cmake
cmake_minimum_required(VERSION 3.17)
file(GLOB cases LIST_DIRECTORIES true "${CASES}/*")
set(failures 0)
set(checked 0)
foreach(dir IN LISTS cases)
  if(NOT IS_DIRECTORY "${dir}")
    continue()
  endif()
  get_filename_component(case "${dir}" NAME)
  execute_process(COMMAND "${PARSER}" "${dir}" RESULT_VARIABLE parser_rc OUTPUT_VARIABLE parser_out ERROR_VARIABLE parser_err)
  execute_process(COMMAND "${CMAKE_COMMAND}" -DPGMIG_EMBED_VALIDATE_ONLY=ON "-DPGMIG_EMBED_DIRECTORY=${dir}"
                          -DPGMIG_EMBED_DISPLAY=@DIR@ -P "${GENERATOR}"
                  RESULT_VARIABLE validator_rc OUTPUT_VARIABLE validator_out ERROR_VARIABLE validator_err)
  # Parser: "ok\n<migrations>" or the problem lines. Validator: "pgmig: @DIR@/<problem>" lines.
  set(expected "")
  if(NOT parser_rc EQUAL 0)
    string(STRIP "${parser_out}" expected)
  endif()
  set(actual "")
  string(REPLACE ";" "\\;" lines "${validator_err}")
  string(REPLACE "\n" ";" lines "${lines}")
  foreach(line IN LISTS lines)
    if(line MATCHES "^pgmig: @DIR@/(.*)$")
      string(APPEND actual "${CMAKE_MATCH_1}\n")
    endif()
  endforeach()
  string(STRIP "${actual}" actual)
  math(EXPR checked "${checked} + 1")
  # The locations and reasons must agree; the advice after the first "; " may
  # be worded differently (reported, not a failure).
  string(REGEX REPLACE "; [^\n]*" "" expected_reasons "${expected}")
  string(REGEX REPLACE "; [^\n]*" "" actual_reasons "${actual}")
  if(expected_reasons STREQUAL actual_reasons AND NOT expected STREQUAL actual)
    message(STATUS "${case}: same problems, differently worded advice:\n--- runtime parser:\n${expected}\n--- build-time validator:\n${actual}")
    set(expected "${expected_reasons}")
    set(actual "${actual_reasons}")
  endif()
  set(agree TRUE)
  if(parser_rc EQUAL 0 AND NOT validator_rc EQUAL 0)
    set(agree FALSE)
  elseif(NOT parser_rc EQUAL 0 AND validator_rc EQUAL 0)
    set(agree FALSE)
  elseif(NOT expected STREQUAL actual)
    set(agree FALSE)
  endif()
  if(agree)
    if(parser_rc EQUAL 0)
      message(STATUS "${case}: both accept it")
    else()
      string(REGEX MATCHALL "\n" nl "${expected}\n")
      list(LENGTH nl n)
      message(STATUS "${case}: both reject it with the same ${n} problem(s)")
    endif()
  else()
    math(EXPR failures "${failures} + 1")
    message("${case}: MISMATCH (parser exit ${parser_rc}, validator exit ${validator_rc})\n"
            "--- runtime parser:\n${expected}\n--- build-time validator:\n${actual}\n"
            "--- validator output:\n${validator_out}${validator_err}")
  endif()
endforeach()
if(checked EQUAL 0)
  message(FATAL_ERROR "no fixture directories in ${CASES}")
endif()
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} of ${checked} fixture directories: the build-time validator disagrees with the runtime parser")
endif()
message(STATUS "${checked} fixture directories: validator and parser agree")
