# Finds pgmig's link dependencies. Used by pgmig's own build and by the
# installed pgmigConfig.cmake, so consumers resolve them the same way.
#
# libpqxx: its CMake package when present (vcpkg, Conan, upstream installs:
# target libpqxx::pqxx), otherwise pkg-config (Debian's 6.4.5 ships only
# libpqxx.pc). Either way the result is the interface target pgmig::libpqxx,
# and PGMIG_LIBPQXX_KIND (config|pkg-config) and PGMIG_LIBPQXX_FOUND_VERSION
# say which one was found.
#
# An installed pgmig is bound to the libpqxx it was compiled against (libpqxx
# has no ABI compatibility between minor versions): pgmigConfig.cmake sets
# PGMIG_BUILT_LIBPQXX_KIND and PGMIG_BUILT_LIBPQXX_VERSION, and then this file
# looks the same way first and refuses another major.minor with a message,
# instead of a consumer linking against a different libpqxx and failing with
# undefined references.
include_guard(GLOBAL)
include(CMakeFindDependencyMacro)

macro(_pgmig_fail_dependency _msg)
  if(CMAKE_FIND_PACKAGE_NAME STREQUAL "pgmig")
    set(pgmig_FOUND FALSE)
    set(pgmig_NOT_FOUND_MESSAGE "${_msg}")
    return()
  endif()
  message(FATAL_ERROR "${_msg}")
endmacro()

if(NOT TARGET pgmig::libpqxx)
  set(_pgmig_try_config TRUE)
  if(PGMIG_BUILT_LIBPQXX_KIND STREQUAL "pkg-config")
    set(_pgmig_try_config FALSE) # a libpqxx CMake package elsewhere is not the one pgmig was built with
  endif()
  if(_pgmig_try_config)
    find_package(libpqxx CONFIG QUIET)
  endif()
  if(TARGET libpqxx::pqxx)
    add_library(pgmig::libpqxx INTERFACE IMPORTED)
    set_target_properties(pgmig::libpqxx PROPERTIES INTERFACE_LINK_LIBRARIES libpqxx::pqxx)
    # libpqxx 8 needs C++20; pgmig itself is C++17 and compiles as C++20 too.
    if(libpqxx_VERSION VERSION_GREATER_EQUAL 8)
      set_property(TARGET pgmig::libpqxx APPEND PROPERTY INTERFACE_COMPILE_FEATURES cxx_std_20)
    endif()
    set(PGMIG_LIBPQXX_KIND config)
    set(PGMIG_LIBPQXX_FOUND_VERSION "${libpqxx_VERSION}")
  elseif(PGMIG_BUILT_LIBPQXX_KIND STREQUAL "config")
    _pgmig_fail_dependency("pgmig was built against libpqxx ${PGMIG_BUILT_LIBPQXX_VERSION} found through its CMake package (libpqxxConfig.cmake), which is not found now: add its install prefix to CMAKE_PREFIX_PATH or set libpqxx_DIR")
  else()
    find_package(PkgConfig)
    if(PkgConfig_FOUND)
      pkg_check_modules(PGMIG_LIBPQXX QUIET IMPORTED_TARGET libpqxx)
      pkg_check_modules(PGMIG_LIBPQ QUIET IMPORTED_TARGET libpq)
    endif()
    if(NOT PGMIG_LIBPQXX_FOUND)
      if(PGMIG_BUILT_LIBPQXX_KIND STREQUAL "pkg-config")
        _pgmig_fail_dependency("pgmig was built against libpqxx ${PGMIG_BUILT_LIBPQXX_VERSION} found through pkg-config (libpqxx.pc), which is not found now (Debian: apt-get install libpqxx-dev; else set PKG_CONFIG_PATH)")
      endif()
      _pgmig_fail_dependency("pgmig needs libpqxx: neither a libpqxx CMake package nor libpqxx.pc was found (Debian: apt-get install libpqxx-dev)")
    endif()
    add_library(pgmig::libpqxx INTERFACE IMPORTED)
    set(_pgmig_pqxx_libs PkgConfig::PGMIG_LIBPQXX)
    if(PGMIG_LIBPQ_FOUND)
      list(APPEND _pgmig_pqxx_libs PkgConfig::PGMIG_LIBPQ)
    endif()
    set_target_properties(pgmig::libpqxx PROPERTIES INTERFACE_LINK_LIBRARIES "${_pgmig_pqxx_libs}")
    unset(_pgmig_pqxx_libs)
    set(PGMIG_LIBPQXX_KIND pkg-config)
    set(PGMIG_LIBPQXX_FOUND_VERSION "${PGMIG_LIBPQXX_VERSION}")
  endif()
  unset(_pgmig_try_config)
  # Same major.minor as pgmig was compiled against (libpqxx's ABI is per minor version).
  if(PGMIG_BUILT_LIBPQXX_VERSION AND PGMIG_LIBPQXX_FOUND_VERSION)
    string(REGEX MATCH "^[0-9]+\\.[0-9]+" _pgmig_built "${PGMIG_BUILT_LIBPQXX_VERSION}")
    string(REGEX MATCH "^[0-9]+\\.[0-9]+" _pgmig_found "${PGMIG_LIBPQXX_FOUND_VERSION}")
    if(NOT _pgmig_built STREQUAL _pgmig_found)
      _pgmig_fail_dependency("pgmig was built against libpqxx ${PGMIG_BUILT_LIBPQXX_VERSION} (${PGMIG_BUILT_LIBPQXX_KIND}), but libpqxx ${PGMIG_LIBPQXX_FOUND_VERSION} (${PGMIG_LIBPQXX_KIND}) was found: libpqxx is not ABI-compatible across minor versions. Point CMAKE_PREFIX_PATH / libpqxx_DIR / PKG_CONFIG_PATH at libpqxx ${_pgmig_built}, or rebuild pgmig against ${PGMIG_LIBPQXX_FOUND_VERSION}")
    endif()
    unset(_pgmig_built)
    unset(_pgmig_found)
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
    _pgmig_fail_dependency("pgmig needs libpg_query (pg_query.h and libpg_query): Debian: apt-get install libpg-query-dev")
  endif()
  add_library(pgmig::pg_query UNKNOWN IMPORTED)
  set_target_properties(pgmig::pg_query PROPERTIES
    IMPORTED_LOCATION "${PGMIG_PG_QUERY_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${PGMIG_PG_QUERY_INCLUDE_DIR}")
endif()
