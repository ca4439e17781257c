# Driver of the consumer tests (registered in tests/cmake/CMakeLists.txt).
# Each mode copies a small project into WORK, configures and builds it in a
# separate CMake build, runs what it built and checks the result.
#
#   MODE=reembed          find_package consumer; edit, add, delete, touch a
#                         migration and add a malformed one, building after each
#                         change WITHOUT re-running cmake by hand (GEN: Ninja or
#                         "Unix Makefiles")
#   MODE=find_package     consumer from the install tree, run against the test server
#   MODE=add_subdirectory consumer with pgmig's sources, run against the test server
#   MODE=example          examples/todo_service on its own against the install tree:
#                         boots, migrates, works; takes a new migration; refuses to
#                         start after an applied migration was edited
#   MODE=many             1000 generated migrations: embed, compile, time it
#   MODE=pkgconfig        compile and link a program with `pkg-config --cflags --libs pgmig`
#   MODE=libpqxx_binding  the installed config insists on the libpqxx pgmig was built against
#   MODE=lean             pgmig configures without Boost: the lean install (tests, examples,
#                         benchmarks off) and a non-top-level add_subdirectory (configure only)
#   MODE=host_tool        which pgmig-embed runs: PGMIG_EMBED_EXECUTABLE over pgmig::embed;
#                         a package without pgmig::embed (what Conan's CMakeDeps generates)
#                         finds it on CMAKE_PROGRAM_PATH (tool_requires) or in the package;
#                         a cross build refuses to run a pgmig-embed it built for the target
#
# Inputs (-D): MODE, WORK, TESTS_DIR (tests/cmake), PGMIG_SOURCE_DIR, PREFIX, DEP_PREFIX
# (install tree), GEN, CXX, BUILD_TYPE, DBTOOL, URL_FILE (the fixture's URL file;
# PGMIG_TEST_DB_URL in the environment wins).
cmake_minimum_required(VERSION 3.17)

if(NOT GEN)
  set(GEN Ninja)
endif()
if(NOT BUILD_TYPE)
  set(BUILD_TYPE Debug)
endif()
# Dependencies from where the outer build found them (DEP_PREFIX, "|"-separated
# CMAKE_PREFIX_PATH of the outer build): through the environment, so that every
# scratch configure, add_subdirectory builds and pkg-config see them.
if(DEP_PREFIX)
  string(REPLACE "|" ";" _dep_prefixes "${DEP_PREFIX}")
  set(_cmake_path "$ENV{CMAKE_PREFIX_PATH}")
  set(_pc_path "$ENV{PKG_CONFIG_PATH}")
  foreach(_p IN LISTS _dep_prefixes)
    string(APPEND _cmake_path ":${_p}")
    string(APPEND _pc_path ":${_p}/lib/pkgconfig:${_p}/share/pkgconfig")
  endforeach()
  set(ENV{CMAKE_PREFIX_PATH} "${_cmake_path}")
  set(ENV{PKG_CONFIG_PATH} "${_pc_path}")
endif()

set(SRC "${WORK}/src")
set(BIN "${WORK}/build")

# ------------------------------------------------------------------ helpers
function(fail)
  string(JOIN "" text ${ARGN})
  message(FATAL_ERROR "FAILED (${MODE}): ${text}")
endfunction()

function(step text)
  message(STATUS "---- ${text}")
endfunction()

# run(<out-var> <rc-var> COMMAND …): run a command, capture stdout+stderr.
function(run out_var rc_var)
  execute_process(${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  set(${out_var} "${out}" PARENT_SCOPE)
  set(${rc_var} "${rc}" PARENT_SCOPE)
endfunction()

# must(COMMAND …): run, fail unless it exits 0; the output goes to <out-var> when given.
function(must)
  cmake_parse_arguments(PARSE_ARGV 0 M "" "OUT" "")
  run(out rc ${M_UNPARSED_ARGUMENTS})
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${M_UNPARSED_ARGUMENTS}")
    fail("command failed (${rc}): ${cmd}\n${out}")
  endif()
  if(M_OUT)
    set(${M_OUT} "${out}" PARENT_SCOPE)
  endif()
endfunction()

function(configure)
  must(COMMAND "${CMAKE_COMMAND}" -S "${SRC}" -B "${BIN}" -G "${GEN}"
               "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}" "-DCMAKE_CXX_COMPILER=${CXX}" ${ARGN} OUT out)
  message(STATUS "configured ${SRC} (${GEN})")
endfunction()

# build(<out-var> <rc-var>): build the scratch project (never re-runs cmake by hand).
function(build out_var rc_var)
  run(out rc COMMAND "${CMAKE_COMMAND}" --build "${BIN}" --parallel 2)
  set(${out_var} "${out}" PARENT_SCOPE)
  set(${rc_var} "${rc}" PARENT_SCOPE)
endfunction()

function(build_ok out_var)
  build(out rc)
  if(NOT rc EQUAL 0)
    fail("build failed:\n${out}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# A consumer's "list" output.
function(list_sets out_var)
  must(COMMAND "${BIN}/consumer" list OUT out)
  string(REGEX REPLACE "consumer: parsed[^\n]*\n" "" out "${out}")
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

function(expect_contains haystack needle what)
  string(FIND "${haystack}" "${needle}" at)
  if(at LESS 0)
    fail("${what}: expected to find\n  ${needle}\nin:\n${haystack}")
  endif()
endfunction()

function(expect_lacks haystack needle what)
  string(FIND "${haystack}" "${needle}" at)
  if(NOT at LESS 0)
    fail("${what}: did not expect\n  ${needle}\nin:\n${haystack}")
  endif()
endfunction()

# Let the clock move on before a change, so that no file system's timestamp
# granularity can hide it from the build tool.
function(tick)
  execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 1.1)
endfunction()

function(server_url out_var)
  if(DEFINED ENV{PGMIG_TEST_DB_URL} AND NOT "$ENV{PGMIG_TEST_DB_URL}" STREQUAL "")
    set(${out_var} "$ENV{PGMIG_TEST_DB_URL}" PARENT_SCOPE)
  elseif(EXISTS "${URL_FILE}")
    file(STRINGS "${URL_FILE}" url LIMIT_COUNT 1)
    set(${out_var} "${url}" PARENT_SCOPE)
  else()
    fail("no test server: set PGMIG_TEST_DB_URL or start the fixture (${URL_FILE} is missing)")
  endif()
endfunction()

# create_database(<url-var> <name>): a fresh database on the test server.
function(create_database out_var name)
  server_url(server)
  must(COMMAND "${DBTOOL}" create "${server}" "${name}" OUT url)
  string(STRIP "${url}" url)
  set(${out_var} "${url}" PARENT_SCOPE)
endfunction()

function(drop_database name)
  server_url(server)
  run(out rc COMMAND "${DBTOOL}" drop "${server}" "${name}")
endfunction()

function(fresh_copy)
  file(REMOVE_RECURSE "${WORK}")
  file(MAKE_DIRECTORY "${SRC}")
  foreach(item ${ARGN})
    file(COPY "${item}" DESTINATION "${SRC}")
  endforeach()
endfunction()

string(RANDOM LENGTH 8 ALPHABET "abcdefghijklmnopqrstuvwxyz0123456789" run_id)

# ------------------------------------------------------------------ modes
if(MODE STREQUAL "reembed")
  set(consumer "${TESTS_DIR}/consumer")
  fresh_copy("${consumer}/CMakeLists.txt" "${consumer}/main.cpp" "${consumer}/lib"
             "${consumer}/migrations" "${consumer}/audit")
  configure("-DCMAKE_PREFIX_PATH=${PREFIX}")
  build_ok(out)
  list_sets(initial)
  expect_contains("${initial}" "main 1 create_items sha256:" "first build")
  expect_contains("${initial}" "main 2 add_items_price sha256:" "first build")
  expect_contains("${initial}" "audit 20240101000000 create_audit_log sha256:" "first build")
  expect_contains("${initial}" "lib 20240101000000 create_audit_log sha256:" "first build")
  string(REGEX MATCH "main 2 add_items_price (sha256:[0-9a-f]+)" _ "${initial}")
  set(v2_before "${CMAKE_MATCH_1}")

  step("a build with nothing changed does not run the generator")
  build_ok(out)
  expect_lacks("${out}" "pgmig: embedding" "no-op build")

  step("touching a file (same content) re-runs the generator but recompiles nothing")
  tick()
  file(TOUCH "${SRC}/migrations/000002_add_items_price.up.sql")
  build_ok(out)
  expect_lacks("${out}" "embedded_migrations.cpp" "touch only")
  list_sets(now)
  if(NOT now STREQUAL initial)
    fail("the set changed after a touch:\n${now}")
  endif()

  step("editing a file re-embeds it")
  tick()
  file(APPEND "${SRC}/migrations/000002_add_items_price.up.sql" "CREATE INDEX items_price_idx ON items (price_cents);\n")
  build_ok(out)
  list_sets(now)
  string(REGEX MATCH "main 2 add_items_price (sha256:[0-9a-f]+)" _ "${now}")
  if(CMAKE_MATCH_1 STREQUAL "" OR CMAKE_MATCH_1 STREQUAL v2_before)
    fail("the edit of 000002 is not in the binary:\n${now}")
  endif()
  expect_contains("${now}" "main 1 create_items" "after the edit")

  step("editing a file embedded by two targets (one from another directory) re-embeds both")
  string(REGEX MATCH "lib 20240101000000 create_audit_log (sha256:[0-9a-f]+)" _ "${now}")
  set(audit_before "${CMAKE_MATCH_1}")
  tick()
  file(READ "${SRC}/audit/20240101_000000_create_audit_log.sql" text)
  string(REPLACE "message text NOT NULL" "message text NOT NULL CHECK (message <> '')" text "${text}")
  file(WRITE "${SRC}/audit/20240101_000000_create_audit_log.sql" "${text}")
  build_ok(out)
  list_sets(now)
  string(REGEX MATCH "lib 20240101000000 create_audit_log (sha256:[0-9a-f]+)" _ "${now}")
  set(lib_after "${CMAKE_MATCH_1}")
  string(REGEX MATCH "audit 20240101000000 create_audit_log (sha256:[0-9a-f]+)" _ "${now}")
  set(audit_after "${CMAKE_MATCH_1}")
  if(lib_after STREQUAL audit_before OR NOT lib_after STREQUAL audit_after)
    fail("the edit of audit/ is not in both targets (before ${audit_before}, lib ${lib_after}, audit ${audit_after}):\n${now}")
  endif()

  step("adding a file re-embeds")
  tick()
  file(WRITE "${SRC}/migrations/000003_create_tags.up.sql" "CREATE TABLE tags (name text PRIMARY KEY);\n")
  file(WRITE "${SRC}/migrations/notes.txt" "not a migration\n")
  build_ok(out)
  list_sets(now)
  expect_contains("${now}" "main 3 create_tags sha256:" "after adding 000003")

  step("deleting a file re-embeds")
  tick()
  file(REMOVE "${SRC}/migrations/000001_create_items.up.sql" "${SRC}/migrations/000001_create_items.down.sql")
  build_ok(out)
  list_sets(after_delete)
  expect_lacks("${after_delete}" "main 1 create_items" "after deleting 000001")
  expect_contains("${after_delete}" "main 3 create_tags" "after deleting 000001")

  step("a malformed migration fails the build, naming the file and the line")
  tick()
  file(WRITE "${SRC}/migrations/20240301_120000_broken.sql"
    "-- DIRECTION: up\nCREATE TABLE a (x int);\n\n-- DIRECTION: up\nCREATE TABLE b (x int);\n")
  build(out rc)
  if(rc EQUAL 0)
    fail("the build succeeded with a malformed migration:\n${out}")
  endif()
  expect_contains("${out}" "pgmig: migrations/20240301_120000_broken.sql:4: second up section (first at line 1)"
                  "malformed build")
  list_sets(now)
  if(NOT now STREQUAL after_delete)
    fail("the binary changed although its build failed:\n${now}")
  endif()
  build(out rc)
  if(rc EQUAL 0)
    fail("the second build after a malformed migration succeeded:\n${out}")
  endif()

  step("fixing it makes the next build pass")
  tick()
  file(WRITE "${SRC}/migrations/20240301_120000_broken.sql"
    "-- DIRECTION: up\nCREATE TABLE a (x int);\n\n-- DIRECTION: down\nDROP TABLE a;\n")
  build_ok(out)
  list_sets(now)
  expect_contains("${now}" "main 20240301120000 broken sha256:" "after the fix")

  step("a duplicate version and a down file without its up file are reported together")
  tick()
  file(WRITE "${SRC}/migrations/000003_other.up.sql" "SELECT 1;\n")
  file(WRITE "${SRC}/migrations/000009_orphan.down.sql" "SELECT 1;\n")
  build(out rc)
  if(rc EQUAL 0)
    fail("the build succeeded with a duplicate version:\n${out}")
  endif()
  expect_contains("${out}" "pgmig: migrations/000003_other.up.sql: duplicate version 3: also used by 000003_create_tags.up.sql" "duplicate")
  expect_contains("${out}" "pgmig: migrations/000009_orphan.down.sql: down file without its up file" "orphan")
  expect_contains("${out}" "pgmig: 2 problems in migrations/ (listed above)" "summary")
  message(STATUS "re-embedding works with ${GEN}")

elseif(MODE STREQUAL "find_package" OR MODE STREQUAL "add_subdirectory")
  set(consumer "${TESTS_DIR}/consumer")
  fresh_copy("${consumer}/CMakeLists.txt" "${consumer}/main.cpp" "${consumer}/lib"
             "${consumer}/migrations" "${consumer}/audit")
  if(MODE STREQUAL "find_package")
    configure("-DCMAKE_PREFIX_PATH=${PREFIX}")
  else()
    configure(-DPGMIG_CONSUMER_MODE=add_subdirectory "-DPGMIG_SOURCE_DIR=${PGMIG_SOURCE_DIR}")
  endif()
  step("build")
  build_ok(out)
  list_sets(sets)
  expect_contains("${sets}" "main 2 add_items_price sha256:" "list")
  step("migrate a fresh database, twice")
  set(db "pgmig_consumer_${run_id}")
  create_database(url "${db}")
  run(out rc COMMAND "${CMAKE_COMMAND}" -E env "DB_URL=${url}" "${BIN}/consumer" migrate)
  if(NOT rc EQUAL 0)
    drop_database("${db}")
    fail("consumer migrate exited ${rc}:\n${out}")
  endif()
  expect_contains("${out}" "applied 2" "migrate")
  expect_contains("${out}" "up to date at 2" "migrate")
  must(COMMAND "${DBTOOL}" query "${url}" "SELECT column_name FROM information_schema.columns WHERE table_name = 'items' ORDER BY ordinal_position" OUT cols)
  drop_database("${db}")
  expect_contains("${cols}" "price_cents" "the items table")
  message(STATUS "${MODE} consumer: built, migrated, verified")

elseif(MODE STREQUAL "example")
  fresh_copy("${PGMIG_SOURCE_DIR}/examples/todo_service" "${PGMIG_SOURCE_DIR}/migrations")
  set(SRC "${WORK}/src/todo_service")
  set(migrations "${WORK}/src/migrations")
  configure("-DCMAKE_PREFIX_PATH=${PREFIX}" "-DTODO_SERVICE_MIGRATIONS_DIR=${migrations}")
  step("build")
  build_ok(out)
  set(db "pgmig_example_${run_id}")
  create_database(url "${db}")
  set(service "${BIN}/todo_service")

  step("boot on a fresh database: migrates, then works")
  run(out rc COMMAND "${CMAKE_COMMAND}" -E env "DB_URL=${url}" "${service}")
  message("${out}")
  if(NOT rc EQUAL 0)
    drop_database("${db}")
    fail("todo_service exited ${rc} on a fresh database")
  endif()
  expect_contains("${out}" "5 migration(s) applied at this boot" "first boot")
  expect_contains("${out}" "has 3 todos, 1 done (1 with a completion time)" "first boot")

  step("boot again: nothing to apply")
  run(out rc COMMAND "${CMAKE_COMMAND}" -E env "DB_URL=${url}" "${service}")
  message("${out}")
  if(NOT rc EQUAL 0)
    drop_database("${db}")
    fail("todo_service exited ${rc} on its second boot")
  endif()
  expect_contains("${out}" "0 migration(s) applied at this boot" "second boot")
  expect_contains("${out}" "has 6 todos, 2 done" "second boot")

  step("todo_service db status")
  run(out rc COMMAND "${CMAKE_COMMAND}" -E env "DB_URL=${url}" "${service}" db status)
  message("${out}")
  if(NOT rc EQUAL 0)
    drop_database("${db}")
    fail("todo_service db status exited ${rc}")
  endif()

  step("a new migration file is in the next build and applied at the next boot")
  tick()
  file(WRITE "${migrations}/20240301_090000_add_todos_priority.sql"
    "-- DIRECTION: up\nALTER TABLE todos ADD COLUMN priority smallint NOT NULL DEFAULT 0;\n\n-- DIRECTION: down\nALTER TABLE todos DROP COLUMN priority;\n")
  build_ok(out)
  run(out rc COMMAND "${CMAKE_COMMAND}" -E env "DB_URL=${url}" "${service}")
  message("${out}")
  if(NOT rc EQUAL 0)
    drop_database("${db}")
    fail("todo_service exited ${rc} after a migration was added")
  endif()
  expect_contains("${out}" "schema at version 20240301090000 (1 migration(s) applied at this boot" "boot with a new migration")

  step("an applied migration edited: the service refuses to start")
  tick()
  file(READ "${migrations}/20240105_091500_create_todos.sql" text)
  string(REPLACE "title      text        NOT NULL," "title      text        NOT NULL, -- edited" text "${text}")
  file(WRITE "${migrations}/20240105_091500_create_todos.sql" "${text}")
  build_ok(out)
  run(out rc COMMAND "${CMAKE_COMMAND}" -E env "DB_URL=${url}" "${service}")
  message("${out}")
  drop_database("${db}")
  if(rc EQUAL 0)
    fail("todo_service started although an applied migration was edited")
  endif()
  if(NOT rc EQUAL 3)
    fail("todo_service exited ${rc}, expected 3 (drift)")
  endif()
  expect_contains("${out}" "refusing to start" "drift")
  expect_contains("${out}" "20240105091500" "drift")
  message(STATUS "todo_service: boots, migrates, works, takes new migrations, refuses drift")

elseif(MODE STREQUAL "many")
  if(NOT COUNT)
    set(COUNT 1000)
  endif()
  set(consumer "${TESTS_DIR}/consumer")
  fresh_copy("${consumer}/CMakeLists.txt" "${consumer}/main.cpp" "${consumer}/lib" "${consumer}/audit")
  file(MAKE_DIRECTORY "${SRC}/migrations")
  set(total_bytes 0)
  foreach(i RANGE 1 ${COUNT})
    string(LENGTH "${i}" n)
    set(v "${i}")
    while(n LESS 6)
      string(PREPEND v "0")
      math(EXPR n "${n} + 1")
    endwhile()
    # About 700 bytes each, a realistic migration.
    set(text "-- Migration ${i}: a table, an index and a backfill, like most migrations.\n"
             "-- pgmig:lock-timeout 5s\n\n"
             "-- DIRECTION: up\n"
             "CREATE TABLE table_${i} (\n"
             "    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
             "    owner_id   bigint      NOT NULL,\n"
             "    title      text        NOT NULL DEFAULT '',\n"
             "    created_at timestamptz NOT NULL DEFAULT now()\n);\n\n"
             "CREATE INDEX table_${i}_owner_idx ON table_${i} (owner_id);\n\n"
             "INSERT INTO table_${i} (owner_id, title)\n"
             "SELECT g, 'row ' || g FROM generate_series(1, 10) AS g;\n\n"
             "UPDATE table_${i} SET title = upper(title) WHERE owner_id % 2 = 0;\n\n"
             "-- DIRECTION: down\n"
             "DROP TABLE table_${i};\n")
    string(JOIN "" text ${text})
    file(WRITE "${SRC}/migrations/20240101_${v}_migration_${i}.sql" "${text}")
    string(LENGTH "${text}" n)
    math(EXPR total_bytes "${total_bytes} + ${n}")
  endforeach()
  math(EXPR kib "${total_bytes} / 1024")
  configure("-DCMAKE_PREFIX_PATH=${PREFIX}")
  # Build the library part first, so that the timed build is the embedding.
  must(COMMAND "${CMAKE_COMMAND}" --build "${BIN}" --target consumer_lib --parallel 2)
  string(TIMESTAMP t0 "%s")
  build_ok(out)
  string(TIMESTAMP t1 "%s")
  math(EXPR seconds "${t1} - ${t0}")
  must(COMMAND "${BIN}/consumer" list OUT sets)
  string(REGEX MATCHALL "main [0-9]+ migration_[0-9]+ sha256:[0-9a-f]+" rows "${sets}")
  list(LENGTH rows nrows)
  if(NOT nrows EQUAL COUNT)
    fail("expected ${COUNT} embedded migrations, found ${nrows}")
  endif()
  string(REGEX MATCH "parsed [0-9]+ embedded migrations in [0-9]+ ms" parse "${sets}")
  # Per-step times from Ninja's log (start and end in ms).
  set(detail "")
  if(GEN STREQUAL "Ninja" AND EXISTS "${BIN}/.ninja_log")
    file(STRINGS "${BIN}/.ninja_log" log)
    foreach(line IN LISTS log)
      if(line MATCHES "^([0-9]+)\t([0-9]+)\t[0-9]+\t([^\t]+)\t")
        math(EXPR ms "${CMAKE_MATCH_2} - ${CMAKE_MATCH_1}")
        set(output "${CMAKE_MATCH_3}")
        if(output MATCHES "/consumer_[0-9a-f]+/embedded_migrations\\.stamp$")
          list(APPEND gen_ms "${ms}")
        elseif(output MATCHES "consumer\\.dir/pgmig_embed/consumer_[0-9a-f]+/embedded_migrations\\.cpp\\.o$")
          list(APPEND compile_ms "${ms}")
        endif()
      endif()
    endforeach()
    if(DEFINED gen_ms)
      list(SORT gen_ms COMPARE NATURAL ORDER DESCENDING)
      list(GET gen_ms 0 g)
      string(APPEND detail "generator (validate + write) ${g} ms; ")
    endif()
    if(DEFINED compile_ms)
      list(SORT compile_ms COMPARE NATURAL ORDER DESCENDING)
      list(GET compile_ms 0 c)
      string(APPEND detail "compile of the generated source ${c} ms; ")
    endif()
  endif()
  file(GLOB cpp "${BIN}/pgmig_embed/consumer_*/embedded_migrations.cpp")
  set(cpp_kib 0)
  foreach(f IN LISTS cpp)
    file(SIZE "${f}" size)
    math(EXPR size "${size} / 1024")
    if(size GREATER cpp_kib)
      set(cpp_kib "${size}")
    endif()
  endforeach()
  message(STATUS "pgmig: ${COUNT} migrations (${kib} KiB of SQL, generated source ${cpp_kib} KiB, ${CXX}, ${BUILD_TYPE}): "
                 "build ${seconds} s wall; ${detail}${parse} at first use")

elseif(MODE STREQUAL "pkgconfig")
  find_program(PKG_CONFIG NAMES pkg-config pkgconf)
  if(NOT PKG_CONFIG)
    message(STATUS "pkg-config not found: skipped")
    return()
  endif()
  file(GLOB_RECURSE pcs "${PREFIX}/*/pgmig.pc")
  if(NOT pcs)
    fail("no pgmig.pc in ${PREFIX}")
  endif()
  list(GET pcs 0 pc)
  get_filename_component(pcdir "${pc}" DIRECTORY)
  set(ENV{PKG_CONFIG_PATH} "${pcdir}:$ENV{PKG_CONFIG_PATH}")
  must(COMMAND "${PKG_CONFIG}" --cflags pgmig OUT cflags)
  must(COMMAND "${PKG_CONFIG}" --libs pgmig OUT libs)
  must(COMMAND "${PKG_CONFIG}" --modversion pgmig OUT version)
  string(STRIP "${cflags}" cflags)
  string(STRIP "${libs}" libs)
  message(STATUS "pkg-config pgmig ${version}  --cflags: ${cflags}  --libs: ${libs}")
  separate_arguments(cflags UNIX_COMMAND "${cflags}")
  separate_arguments(libs UNIX_COMMAND "${libs}")
  file(REMOVE_RECURSE "${WORK}")
  file(MAKE_DIRECTORY "${WORK}")
  file(WRITE "${WORK}/main.cpp" [=[
#include <pgmig/pgmig.hpp>
#include <iostream>
int main() {
    const pgmig::migration_set set = pgmig::migration_set::from_files(
        {{"000001_a.up.sql", "CREATE TABLE a (x int);"}});
    std::cout << set.size() << ' ' << set.migrations().front().checksum << '\n';
    return set.size() == 1 ? 0 : 1;
}
]=])
  must(COMMAND "${CXX}" -std=c++17 ${cflags} "${WORK}/main.cpp" -o "${WORK}/pc_consumer" ${libs})
  must(COMMAND "${WORK}/pc_consumer" OUT out)
  expect_contains("${out}" "1 sha256:" "pkg-config consumer")
  message(STATUS "pkg-config consumer: compiled, linked, ran")

elseif(MODE STREQUAL "libpqxx_binding")
  # An installed pgmig insists on the libpqxx it was compiled against.
  file(GLOB_RECURSE configs "${PREFIX}/*/pgmigConfig.cmake")
  list(GET configs 0 config)
  get_filename_component(config_dir "${config}" DIRECTORY)
  file(READ "${config}" text)
  if(NOT text MATCHES "set\\(PGMIG_BUILT_LIBPQXX_KIND \"(config|pkg-config)\"\\)")
    fail("pgmigConfig.cmake does not record how libpqxx was found:\n${text}")
  endif()
  set(kind "${CMAKE_MATCH_1}")
  if(NOT text MATCHES "set\\(PGMIG_BUILT_LIBPQXX_VERSION \"([0-9]+\\.[0-9]+[^\"]*)\"\\)")
    fail("pgmigConfig.cmake does not record the libpqxx version")
  endif()
  set(built_version "${CMAKE_MATCH_1}")
  message(STATUS "installed pgmig was built against libpqxx ${built_version} (${kind})")

  # A different libpqxx CMake package (99.0) comes first on the search path.
  file(REMOVE_RECURSE "${WORK}")
  file(WRITE "${WORK}/fake/lib/cmake/libpqxx/libpqxx-config.cmake"
       "add_library(libpqxx::pqxx INTERFACE IMPORTED)\n")
  file(WRITE "${WORK}/fake/lib/cmake/libpqxx/libpqxx-config-version.cmake"
       "set(PACKAGE_VERSION 99.0)\nset(PACKAGE_VERSION_COMPATIBLE TRUE)\n")
  file(WRITE "${SRC}/CMakeLists.txt" [=[
cmake_minimum_required(VERSION 3.17)
project(binding LANGUAGES CXX)
find_package(pgmig CONFIG REQUIRED)
message(STATUS "libpqxx for pgmig: ${PGMIG_LIBPQXX_KIND} ${PGMIG_LIBPQXX_FOUND_VERSION}")
]=])
  set(saved_path "$ENV{CMAKE_PREFIX_PATH}")
  set(ENV{CMAKE_PREFIX_PATH} "${WORK}/fake:${PREFIX}:${saved_path}")
  run(out rc COMMAND "${CMAKE_COMMAND}" -S "${SRC}" -B "${BIN}" -G "${GEN}" "-DCMAKE_CXX_COMPILER=${CXX}")
  set(ENV{CMAKE_PREFIX_PATH} "${saved_path}")
  if(kind STREQUAL "pkg-config")
    # Built with pkg-config's libpqxx: the other package is not even looked at.
    if(NOT rc EQUAL 0)
      fail("a libpqxx CMake package on the path broke a pkg-config-built pgmig:\n${out}")
    endif()
    expect_contains("${out}" "libpqxx for pgmig: pkg-config ${built_version}" "pkg-config-built pgmig")
  else()
    if(rc EQUAL 0)
      fail("pgmig built against libpqxx ${built_version} accepted libpqxx 99.0:\n${out}")
    endif()
    string(REGEX REPLACE "[ \t\r\n]+" " " flat "${out}") # CMake wraps messages
    expect_contains("${flat}" "but libpqxx 99.0 (config) was found" "config-built pgmig")
  endif()
  message(STATUS "another libpqxx on the path: handled (${kind})")

  # The recorded version is enforced: pretend pgmig was built against 98.7.
  file(REMOVE_RECURSE "${BIN}")
  file(WRITE "${SRC}/CMakeLists.txt" "cmake_minimum_required(VERSION 3.17)\nproject(binding2 LANGUAGES CXX)\n"
             "set(PGMIG_BUILT_LIBPQXX_KIND ${kind})\nset(PGMIG_BUILT_LIBPQXX_VERSION 98.7)\n"
             "include(\"${config_dir}/pgmig-dependencies.cmake\")\n")
  run(out rc COMMAND "${CMAKE_COMMAND}" -S "${SRC}" -B "${BIN}" -G "${GEN}" "-DCMAKE_CXX_COMPILER=${CXX}")
  if(rc EQUAL 0)
    fail("a libpqxx other than the recorded 98.7 was accepted:\n${out}")
  endif()
  string(REGEX REPLACE "[ \t\r\n]+" " " flat "${out}") # CMake wraps messages
  expect_contains("${flat}" "pgmig was built against libpqxx 98.7 (${kind}), but libpqxx" "version check")
  expect_contains("${flat}" "is not ABI-compatible across minor versions" "version check")
  message(STATUS "a different libpqxx minor version: refused with a message")

elseif(MODE STREQUAL "lean")
  # Boost.Test is for pgmig's own tests; nothing else may look for it.
  file(REMOVE_RECURSE "${WORK}")
  step("the lean install configures with Boost unavailable")
  run(out rc COMMAND "${CMAKE_COMMAND}" -S "${PGMIG_SOURCE_DIR}" -B "${WORK}/lean" -G "${GEN}"
                     "-DCMAKE_CXX_COMPILER=${CXX}" -DPGMIG_BUILD_TESTS=OFF -DPGMIG_BUILD_EXAMPLES=OFF
                     -DPGMIG_BUILD_BENCH=OFF -DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON)
  if(NOT rc EQUAL 0)
    fail("the lean configure needs something it should not:\n${out}")
  endif()
  step("pgmig as a subproject, default options, configures with Boost unavailable")
  file(WRITE "${WORK}/sub/CMakeLists.txt" "cmake_minimum_required(VERSION 3.17)
project(sub LANGUAGES CXX)
add_subdirectory(\"${PGMIG_SOURCE_DIR}\" pgmig)
if(NOT TARGET pgmig::pgmig OR NOT TARGET pgmig::embed)
  message(FATAL_ERROR \"pgmig::pgmig and pgmig::embed must exist\")
endif()
")
  run(out rc COMMAND "${CMAKE_COMMAND}" -S "${WORK}/sub" -B "${WORK}/sub-build" -G "${GEN}"
                     "-DCMAKE_CXX_COMPILER=${CXX}" -DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON)
  if(NOT rc EQUAL 0)
    fail("pgmig as a subproject needs something it should not:\n${out}")
  endif()
  message(STATUS "lean and subproject configures need no Boost")

elseif(MODE STREQUAL "host_tool")
  # A stand-in for a host-built pgmig-embed: logs each run, then runs the installed one.
  file(GLOB installed_tool "${PREFIX}/bin/pgmig-embed")
  if(NOT installed_tool)
    fail("no bin/pgmig-embed in ${PREFIX}")
  endif()
  file(REMOVE_RECURSE "${WORK}")
  set(host_dir "${WORK}/host-tools")
  set(host_log "${WORK}/host-tool.log")
  file(WRITE "${WORK}/pgmig-embed.in" "#!/bin/sh\necho \"$*\" >> '${host_log}'\nexec '${installed_tool}' \"$@\"\n")
  file(COPY "${WORK}/pgmig-embed.in" DESTINATION "${host_dir}" FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
  file(RENAME "${host_dir}/pgmig-embed.in" "${host_dir}/pgmig-embed")
  function(host_tool_runs out_var)
    set(n 0)
    if(EXISTS "${host_log}")
      file(STRINGS "${host_log}" runs)
      list(LENGTH runs n)
    endif()
    set(${out_var} "${n}" PARENT_SCOPE)
  endfunction()

  step("find_package + PGMIG_EMBED_EXECUTABLE: the given tool runs, not pgmig::embed")
  set(consumer "${TESTS_DIR}/consumer")
  file(MAKE_DIRECTORY "${SRC}")
  foreach(item "${consumer}/CMakeLists.txt" "${consumer}/main.cpp" "${consumer}/lib" "${consumer}/migrations" "${consumer}/audit")
    file(COPY "${item}" DESTINATION "${SRC}")
  endforeach()
  configure("-DCMAKE_PREFIX_PATH=${PREFIX}" "-DPGMIG_EMBED_EXECUTABLE=${host_dir}/pgmig-embed")
  build_ok(out)
  host_tool_runs(runs)
  if(NOT runs EQUAL 3)
    fail("the given pgmig-embed ran ${runs} times, expected 3 (one per embedding):\n${out}")
  endif()
  list_sets(sets)
  expect_contains("${sets}" "main 2 add_items_price sha256:" "PGMIG_EMBED_EXECUTABLE")
  step("a replaced tool re-embeds")
  tick()
  file(TOUCH "${host_dir}/pgmig-embed")
  build_ok(out)
  host_tool_runs(runs)
  if(NOT runs EQUAL 6)
    fail("after the tool changed it ran ${runs} times in all, expected 6:\n${out}")
  endif()

  # What Conan's CMakeDeps generates: a pgmig::pgmig target, no executables,
  # and pgmig_embed.cmake included as a build module from the package.
  file(GLOB_RECURSE configs "${PREFIX}/*/pgmigConfig.cmake")
  list(GET configs 0 config)
  get_filename_component(cmake_dir "${config}" DIRECTORY)
  file(GLOB libs "${PREFIX}/lib*/libpgmig.*" "${PREFIX}/lib*/*/libpgmig.*")
  list(GET libs 0 lib)
  set(fake "${WORK}/conan-like")
  file(WRITE "${fake}/pgmig-config.cmake" "include(\"${cmake_dir}/pgmig-dependencies.cmake\")
add_library(pgmig::pgmig UNKNOWN IMPORTED)
set_target_properties(pgmig::pgmig PROPERTIES IMPORTED_LOCATION \"${lib}\"
  INTERFACE_INCLUDE_DIRECTORIES \"${PREFIX}/include\"
  INTERFACE_LINK_LIBRARIES \"pgmig::libpqxx;pgmig::pg_query;OpenSSL::Crypto;Threads::Threads\"
  INTERFACE_COMPILE_FEATURES cxx_std_17)
include(\"${cmake_dir}/pgmig_embed.cmake\")
")
  set(tp "${PGMIG_SOURCE_DIR}/packaging/conan/test_package")
  foreach(case tool_requires package)
    step("a Conan-like package (no pgmig::embed), ${case}")
    set(BIN "${WORK}/build-conan-${case}")
    set(SRC "${WORK}/test_package")
    file(REMOVE_RECURSE "${SRC}")
    file(COPY "${tp}/" DESTINATION "${SRC}")
    host_tool_runs(before)
    if(case STREQUAL "tool_requires")
      configure("-Dpgmig_DIR=${fake}" "-DCMAKE_PROGRAM_PATH=${host_dir}")   # what CMakeToolchain sets
    else()
      configure("-Dpgmig_DIR=${fake}")
    endif()
    build_ok(out)
    must(COMMAND "${BIN}/test_package" OUT out)
    expect_contains("${out}" "1 embedded migration(s)" "Conan-like test_package (${case})")
    file(STRINGS "${BIN}/CMakeCache.txt" found REGEX "^PGMIG_EMBED_EXECUTABLE:")
    host_tool_runs(after)
    if(case STREQUAL "tool_requires")
      expect_contains("${found}" "${host_dir}/pgmig-embed" "the program path's pgmig-embed")
      math(EXPR expected_runs "${before} + 1")
      if(NOT after EQUAL expected_runs)
        fail("the tool_requires pgmig-embed did not run (${before} → ${after})")
      endif()
    else()
      # No program path: the package's own tool (<prefix>/bin, next to lib/cmake/pgmig).
      if(NOT cmake_dir MATCHES "/lib/cmake/pgmig$")
        message(STATUS "libdir is not lib: the package-folder fallback is Conan's layout only, skipped")
      else()
        expect_contains("${found}" "${installed_tool}" "the package's own pgmig-embed")
      endif()
      if(NOT after EQUAL before)
        fail("the host stand-in ran although it is not on the program path")
      endif()
    endif()
  endforeach()

  # A cross build (CMAKE_SYSTEM_NAME set) with pgmig's sources: configure only.
  set(cross_src "${WORK}/cross")
  file(WRITE "${cross_src}/CMakeLists.txt" "cmake_minimum_required(VERSION 3.17)
project(cross LANGUAGES CXX)
add_subdirectory(\"${PGMIG_SOURCE_DIR}\" pgmig)
add_executable(app app.cpp)
target_link_libraries(app PRIVATE pgmig::pgmig)
pgmig_embed_migrations(app DIRECTORY migrations)
")
  file(WRITE "${cross_src}/app.cpp" "#include \"app/migrations.hpp\"\nint main() { return app::migrations().empty() ? 0 : 1; }\n")
  file(MAKE_DIRECTORY "${cross_src}/migrations")
  set(cross_args -S "${cross_src}" -G "${GEN}" "-DCMAKE_CXX_COMPILER=${CXX}" -DCMAKE_SYSTEM_NAME=${CMAKE_HOST_SYSTEM_NAME})

  # refused(<what> <build dir> ARGS <configure args…> EXPECT <text…>): configuring
  # fails, and the message (CMake wraps it) holds every text.
  function(refused what dir)
    cmake_parse_arguments(PARSE_ARGV 2 R "" "" "ARGS;EXPECT")
    run(out rc COMMAND "${CMAKE_COMMAND}" -B "${dir}" ${R_ARGS})
    if(rc EQUAL 0)
      fail("${what}: configured, but should have been refused:\n${out}")
    endif()
    string(REGEX REPLACE "[ \t\r\n]+" " " flat "${out}")
    foreach(text IN LISTS R_EXPECT)
      expect_contains("${flat}" "${text}" "${what}")
    endforeach()
  endfunction()

  step("cross build, in-tree pgmig-embed, no emulator: refused with a message")
  refused("cross build" "${WORK}/cross-1" ARGS ${cross_args}
          EXPECT "in a cross build the pgmig-embed built here runs on the target" "-DPGMIG_EMBED_EXECUTABLE=")

  step("cross build with PGMIG_EMBED_EXECUTABLE and PGMIG_BUILD_EMBED=OFF: configures, no tool target")
  run(out rc COMMAND "${CMAKE_COMMAND}" -B "${WORK}/cross-2" ${cross_args}
                     "-DPGMIG_EMBED_EXECUTABLE=${host_dir}/pgmig-embed" -DPGMIG_BUILD_EMBED=OFF)
  if(NOT rc EQUAL 0)
    fail("the cross build with a host tool did not configure:\n${out}")
  endif()
  if(EXISTS "${WORK}/cross-2/pgmig/tools/embed" OR NOT EXISTS "${WORK}/cross-2/pgmig/tools/pgmig")
    fail("PGMIG_BUILD_EMBED=OFF: tools/embed should not be configured (and tools/pgmig should)")
  endif()

  step("no tool at all: refused with a message")
  refused("no tool" "${WORK}/cross-3" ARGS ${cross_args} -DPGMIG_BUILD_EMBED=OFF
          EXPECT "pgmig-embed, pgmig's build-time tool, is not found" "tool_requires")
  message(STATUS "host tool: PGMIG_EMBED_EXECUTABLE, program path, package folder and cross builds behave")

else()
  fail("unknown MODE '${MODE}'")
endif()
