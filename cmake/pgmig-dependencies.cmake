# Finds pgmig's link dependencies. Used by pgmig's own build and by the
# installed pgmigConfig.cmake, so consumers resolve them the same way.
#
# libpqxx: its CMake package when present (vcpkg, Conan, upstream installs:
# target libpqxx::pqxx), otherwise pkg-config (Debian's 6.4.5 ships only
# libpqxx.pc). Either way the result is the interface target pgmig::libpqxx.
include_guard(GLOBAL)
include(CMakeFindDependencyMacro)

if(NOT TARGET pgmig::libpqxx)
  find_package(libpqxx CONFIG QUIET)
  if(TARGET libpqxx::pqxx)
    add_library(pgmig::libpqxx INTERFACE IMPORTED)
    set_target_properties(pgmig::libpqxx PROPERTIES INTERFACE_LINK_LIBRARIES libpqxx::pqxx)
    # libpqxx 8 needs C++20; pgmig itself is C++17 and compiles as C++20 too.
    if(libpqxx_VERSION VERSION_GREATER_EQUAL 8)
      set_property(TARGET pgmig::libpqxx APPEND PROPERTY INTERFACE_COMPILE_FEATURES cxx_std_20)
    endif()
  else()
    find_package(PkgConfig)
    if(PkgConfig_FOUND)
      pkg_check_modules(PGMIG_LIBPQXX QUIET IMPORTED_TARGET libpqxx)
      pkg_check_modules(PGMIG_LIBPQ QUIET IMPORTED_TARGET libpq)
    endif()
    if(NOT PGMIG_LIBPQXX_FOUND)
      set(_pgmig_msg "pgmig needs libpqxx: neither a libpqxx CMake package nor libpqxx.pc was found (Debian: apt-get install libpqxx-dev)")
      if(CMAKE_FIND_PACKAGE_NAME STREQUAL "pgmig")
        set(pgmig_FOUND FALSE)
        set(pgmig_NOT_FOUND_MESSAGE "${_pgmig_msg}")
        return()
      endif()
      message(FATAL_ERROR "${_pgmig_msg}")
    endif()
    add_library(pgmig::libpqxx INTERFACE IMPORTED)
    set(_pgmig_pqxx_libs PkgConfig::PGMIG_LIBPQXX)
    if(PGMIG_LIBPQ_FOUND)
      list(APPEND _pgmig_pqxx_libs PkgConfig::PGMIG_LIBPQ)
    endif()
    set_target_properties(pgmig::libpqxx PROPERTIES INTERFACE_LINK_LIBRARIES "${_pgmig_pqxx_libs}")
    unset(_pgmig_pqxx_libs)
  endif()
endif()

find_dependency(OpenSSL COMPONENTS Crypto)
find_dependency(Threads)

# libpg_query (PostgreSQL's parser as a library, for statement splitting and
# lint). Debian's libpg-query-dev ships no pkg-config or CMake file, so look
# for the header and the library directly. Result: pgmig::pg_query.
if(NOT TARGET pgmig::pg_query)
  # vcpkg's port ships a CMake target with its own link dependencies (protobuf-c, xxhash).
  find_package(unofficial-libpg-query CONFIG QUIET)
endif()
if(NOT TARGET pgmig::pg_query AND TARGET unofficial::libpg-query::libpg-query)
  add_library(pgmig::pg_query INTERFACE IMPORTED)
  set_target_properties(pgmig::pg_query PROPERTIES INTERFACE_LINK_LIBRARIES unofficial::libpg-query::libpg-query)
endif()
if(NOT TARGET pgmig::pg_query)
  find_path(PGMIG_PG_QUERY_INCLUDE_DIR pg_query.h PATH_SUFFIXES pg_query)
  find_library(PGMIG_PG_QUERY_LIBRARY NAMES pg_query libpg_query)
  if(NOT PGMIG_PG_QUERY_INCLUDE_DIR OR NOT PGMIG_PG_QUERY_LIBRARY)
    set(_pgmig_msg "pgmig needs libpg_query (pg_query.h and libpg_query): Debian: apt-get install libpg-query-dev")
    if(CMAKE_FIND_PACKAGE_NAME STREQUAL "pgmig")
      set(pgmig_FOUND FALSE)
      set(pgmig_NOT_FOUND_MESSAGE "${_pgmig_msg}")
      return()
    endif()
    message(FATAL_ERROR "${_pgmig_msg}")
  endif()
  add_library(pgmig::pg_query UNKNOWN IMPORTED)
  set_target_properties(pgmig::pg_query PROPERTIES
    IMPORTED_LOCATION "${PGMIG_PG_QUERY_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${PGMIG_PG_QUERY_INCLUDE_DIR}")
endif()
