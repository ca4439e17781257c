# Build time and run time report the same problems: for every fixture
# directory of validator_cases/, pgmig-embed (what pgmig_embed_migrations()
# runs at build time) and migration_set::from_directory() (pgmig_parse_dir,
# what a service or the pgmig CLI runs) both accept it, or both reject it
# with exactly the same problems, in the same order, all of them at once.
#
#   cmake -DPARSER=<pgmig_parse_dir> -DTOOL=<pgmig-embed> -DCASES=<validator_cases>
#         -P same_problems.cmake
cmake_minimum_required(VERSION 3.17)

# Problems that must be among the reported ones (both sides, since they are
# compared): the case of issue 9, a misspelled directive that leaves a
# CREATE INDEX CONCURRENTLY inside a transaction, is two problems.
# (No ';' in these: they are list elements.)
set(required_nontx_typo
  "20240101_000001_index.sql:2: unknown directive 'pgmig:nontransaction'"
  "20240101_000001_index.sql:3: CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and the up part runs in one"
  "000002_paired.up.sql:1: unknown directive 'pgmig:notransaction'"
  "000002_paired.up.sql:3: CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and the up part runs in one")

file(GLOB cases LIST_DIRECTORIES true "${CASES}/*")
set(failures 0)
set(checked 0)
foreach(dir IN LISTS cases)
  if(NOT IS_DIRECTORY "${dir}")
    continue()
  endif()
  get_filename_component(case "${dir}" NAME)
  math(EXPR checked "${checked} + 1")
  execute_process(COMMAND "${PARSER}" "${dir}"
                  RESULT_VARIABLE runtime_rc OUTPUT_VARIABLE runtime_out ERROR_VARIABLE runtime_err)
  execute_process(COMMAND "${TOOL}" --check --directory "${dir}" --display @DIR@
                  RESULT_VARIABLE tool_rc OUTPUT_VARIABLE tool_out ERROR_VARIABLE tool_err)

  # What pgmig-embed must print, derived from the runtime's message: each of
  # its lines as "pgmig: @DIR@/<line>", then the count.
  set(expected "")
  set(count 0)
  if(runtime_rc EQUAL 8)
    string(REGEX REPLACE "\n$" "" problems "${runtime_out}")
    string(REGEX MATCHALL "\n" newlines "${problems}")
    list(LENGTH newlines count)
    math(EXPR count "${count} + 1")
    string(REPLACE "\n" "\npgmig: @DIR@/" expected "pgmig: @DIR@/${problems}")
    if(count EQUAL 1)
      set(what "1 problem")
    else()
      set(what "${count} problems")
    endif()
    string(APPEND expected "\npgmig: ${what} in @DIR@/ (listed above); fix them and build again\n")
  elseif(NOT runtime_rc EQUAL 0)
    message(FATAL_ERROR "${case}: pgmig_parse_dir exited ${runtime_rc}:\n${runtime_out}${runtime_err}")
  endif()

  if(NOT tool_rc EQUAL runtime_rc OR NOT tool_err STREQUAL expected OR NOT tool_out STREQUAL "")
    math(EXPR failures "${failures} + 1")
    message("${case}: MISMATCH (run time exit ${runtime_rc}, build time exit ${tool_rc})\n"
            "--- expected from pgmig-embed (the runtime's problems):\n${expected}"
            "--- pgmig-embed printed:\n${tool_out}${tool_err}")
    continue()
  endif()

  foreach(line IN LISTS required_${case})
    string(FIND "${expected}" "pgmig: @DIR@/${line}" at)
    if(at LESS 0)
      math(EXPR failures "${failures} + 1")
      message("${case}: a problem is missing from both sides:\n  ${line}\n--- reported:\n${expected}")
    endif()
  endforeach()
  if(runtime_rc EQUAL 0)
    message(STATUS "${case}: both accept it")
  else()
    message(STATUS "${case}: both reject it with the same ${count} problem(s)")
  endif()
endforeach()
if(checked EQUAL 0)
  message(FATAL_ERROR "no fixture directories in ${CASES}")
endif()
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} of ${checked} fixture directories: build time and run time disagree")
endif()
message(STATUS "${checked} fixture directories: build time and run time report the same problems")
