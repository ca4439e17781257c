# pgmig_embed_migrations() — embed a directory of SQL migrations into a target.
#
#   pgmig_embed_migrations(<target>
#       DIRECTORY <dir>            # the migrations directory (relative: to CMAKE_CURRENT_SOURCE_DIR)
#       [NAMESPACE <ns>]           # default: <target> made a C identifier (a::b allowed)
#       [FUNCTION <name>]          # default: migrations
#       [HEADER <relative path>])  # default: <ns with :: as />/<name>.hpp
#
# Adds a generated C++ source to <target> that defines
#
#   const pgmig::migration_set& <ns>::<name>();
#
# and a generated header declaring it (on <target>'s include path; PUBLIC for
# libraries, as a build-tree path only). The function holds every file of
# <dir> (name and bytes, as on disk) and parses them once, on first call, with
# pgmig::migration_set::from_files(), the parser pgmig uses for directories;
# checksums are computed by that parser at run time, not at build time.
#
# The files are validated at build time by the generator
# (pgmig_embed_generate.cmake, run with `cmake -P`, so nothing has to be built
# for the host: works when cross-compiling and inside vcpkg and Conan): a
# malformed set fails the build with `pgmig: <dir>/<file>:<line>: <reason>`.
#
# Editing, adding or deleting a file of <dir> re-embeds on the next build
# (a CONFIGURE_DEPENDS glob re-runs CMake when the file list changes; the
# generator's command depends on every file, on the file list and on itself).
#
# <target> must link pgmig::pgmig itself (this function does not call
# target_link_libraries(), so either of its signatures stays available).
# Documentation: docs/embedding.md.
#
# Requirements: CMake 3.17; call it in the directory that created <target>
# (from another directory it needs CMake 3.18). Files in <dir> whose names
# contain ';', '[' or ']' are not supported (CMake lists).
include_guard(GLOBAL)

function(pgmig_embed_migrations target)
  cmake_parse_arguments(PARSE_ARGV 1 _pe "" "DIRECTORY;NAMESPACE;FUNCTION;HEADER" "")
  set(_usage "usage: pgmig_embed_migrations(<target> DIRECTORY <dir> [NAMESPACE <ns>] [FUNCTION <name>] [HEADER <path>])")
  if(_pe_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "pgmig_embed_migrations: unexpected arguments: ${_pe_UNPARSED_ARGUMENTS}\n${_usage}")
  endif()
  if(_pe_KEYWORDS_MISSING_VALUES)
    message(FATAL_ERROR "pgmig_embed_migrations: no value after ${_pe_KEYWORDS_MISSING_VALUES}\n${_usage}")
  endif()
  if(NOT TARGET "${target}")
    message(FATAL_ERROR "pgmig_embed_migrations: '${target}' is not a target; call it after add_executable/add_library\n${_usage}")
  endif()
  get_target_property(_aliased "${target}" ALIASED_TARGET)
  if(_aliased)
    set(target "${_aliased}")
  endif()
  get_target_property(_imported "${target}" IMPORTED)
  get_target_property(_type "${target}" TYPE)
  if(_imported OR _type STREQUAL "INTERFACE_LIBRARY" OR _type STREQUAL "UTILITY")
    message(FATAL_ERROR "pgmig_embed_migrations: '${target}' is an imported, interface or utility target; it needs an executable or a library that this project builds")
  endif()
  if(NOT DEFINED _pe_DIRECTORY)
    message(FATAL_ERROR "pgmig_embed_migrations: DIRECTORY is required\n${_usage}")
  endif()

  # ------------------------------------------------------------- arguments
  get_filename_component(_dir "${_pe_DIRECTORY}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT IS_DIRECTORY "${_dir}")
    message(FATAL_ERROR "pgmig_embed_migrations(${target}): DIRECTORY '${_dir}' does not exist (an empty set needs an empty directory, e.g. holding a .gitkeep)")
  endif()

  set(_ident "[A-Za-z_][A-Za-z0-9_]*")
  if(DEFINED _pe_NAMESPACE)
    set(_ns "${_pe_NAMESPACE}")
    if(NOT _ns MATCHES "^${_ident}(::${_ident})*$")
      message(FATAL_ERROR "pgmig_embed_migrations(${target}): NAMESPACE '${_ns}' is not a C++ namespace name (identifiers separated by ::)")
    endif()
  else()
    string(MAKE_C_IDENTIFIER "${target}" _ns)
  endif()
  if(DEFINED _pe_FUNCTION)
    set(_fn "${_pe_FUNCTION}")
    if(NOT _fn MATCHES "^${_ident}$")
      message(FATAL_ERROR "pgmig_embed_migrations(${target}): FUNCTION '${_fn}' is not a C++ identifier")
    endif()
  else()
    set(_fn migrations)
  endif()
  if(DEFINED _pe_HEADER)
    set(_header "${_pe_HEADER}")
    if(IS_ABSOLUTE "${_header}" OR _header MATCHES "(^|/)\\.\\.(/|$)" OR NOT _header MATCHES "^[A-Za-z0-9_./+-]+$")
      message(FATAL_ERROR "pgmig_embed_migrations(${target}): HEADER '${_header}' must be a relative path like myapp/migrations.hpp")
    endif()
  else()
    string(REPLACE "::" "/" _header "${_ns}/${_fn}.hpp")
  endif()

  get_property(_seen TARGET "${target}" PROPERTY PGMIG_EMBEDDED_FUNCTIONS)
  if("${_ns}::${_fn}" IN_LIST _seen)
    message(FATAL_ERROR "pgmig_embed_migrations(${target}): ${_ns}::${_fn}() is already embedded into this target; give the second directory another NAMESPACE or FUNCTION")
  endif()
  set_property(TARGET "${target}" APPEND PROPERTY PGMIG_EMBEDDED_FUNCTIONS "${_ns}::${_fn}")

  # One output directory per (target, directory, function): never shared.
  string(SHA256 _hash "${_dir}|${_ns}|${_fn}|${_header}")
  string(SUBSTRING "${_hash}" 0 10 _hash)
  string(MAKE_C_IDENTIFIER "${target}" _tname)
  set(_out "${CMAKE_CURRENT_BINARY_DIR}/pgmig_embed/${_tname}_${_hash}")
  set(_cpp "${_out}/embedded_migrations.cpp")
  set(_stamp "${_out}/embedded_migrations.stamp")
  set(_list "${_out}/files.txt")
  set(_hpp "${_out}/include/${_header}")
  set(_generator "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/pgmig_embed_generate.cmake")
  if(NOT EXISTS "${_generator}")
    message(FATAL_ERROR "pgmig_embed_migrations: the generator ${_generator} is missing (it is installed next to pgmig_embed.cmake)")
  endif()

  # ------------------------------------------------------------- the files
  # Every regular, visible *.sql file (any case), as the runtime parser sees
  # them. CONFIGURE_DEPENDS: adding or deleting a file re-runs CMake at the
  # next build, which rewrites files.txt, which re-runs the generator.
  file(GLOB _all LIST_DIRECTORIES false CONFIGURE_DEPENDS "${_dir}/*")
  set(_files "")
  foreach(_f IN LISTS _all)
    get_filename_component(_name "${_f}" NAME)
    string(TOLOWER "${_name}" _lname)
    if(NOT _name MATCHES "^\\." AND _lname MATCHES "\\.sql$")
      list(APPEND _files "${_f}")
    endif()
  endforeach()
  list(SORT _files)
  string(REPLACE ";" "\n" _list_text "${_files}")
  _pgmig_write_if_changed("${_list}" "${_list_text}\n")

  # Where messages point: relative to the top source directory when inside it.
  file(RELATIVE_PATH _display "${CMAKE_SOURCE_DIR}" "${_dir}")
  if(_display STREQUAL "")
    set(_display ".")
  elseif(_display MATCHES "^\\.\\./" OR IS_ABSOLUTE "${_display}")
    set(_display "${_dir}")
  endif()

  # ------------------------------------------------------------- the header
  string(REPLACE "::" ";" _ns_parts "${_ns}")
  set(_decl "")
  foreach(_p IN LISTS _ns_parts)
    string(APPEND _decl "namespace ${_p} {\n")
  endforeach()
  string(APPEND _decl
    "\n/// The migrations embedded from ${_display}/ at build time by\n"
    "/// pgmig_embed_migrations(${target}). Parsed once, on the first call, by\n"
    "/// pgmig::migration_set::from_files(); thread-safe.\n"
    "const pgmig::migration_set& ${_fn}();\n\n")
  list(REVERSE _ns_parts)
  foreach(_p IN LISTS _ns_parts)
    string(APPEND _decl "} // namespace ${_p}\n")
  endforeach()
  _pgmig_write_if_changed("${_hpp}"
    "// Generated by pgmig_embed_migrations(); do not edit.\n#pragma once\n\n#include <pgmig/migration.hpp>\n\n${_decl}")

  # ------------------------------------------------------------- the rule
  # The generator always touches the stamp but rewrites the .cpp only when
  # its content changes, so touching a migration does not recompile anything.
  add_custom_command(
    OUTPUT "${_stamp}"
    BYPRODUCTS "${_cpp}"
    COMMAND "${CMAKE_COMMAND}"
      "-DPGMIG_EMBED_DIRECTORY=${_dir}"
      "-DPGMIG_EMBED_DISPLAY=${_display}"
      "-DPGMIG_EMBED_FILE_LIST=${_list}"
      "-DPGMIG_EMBED_OUTPUT=${_cpp}"
      "-DPGMIG_EMBED_STAMP=${_stamp}"
      "-DPGMIG_EMBED_NAMESPACE=${_ns}"
      "-DPGMIG_EMBED_FUNCTION=${_fn}"
      "-DPGMIG_EMBED_HEADER=${_header}"
      -P "${_generator}"
    DEPENDS ${_files} "${_list}" "${_generator}"
    COMMENT "pgmig: embedding ${_display} into ${target} (${_ns}::${_fn}())"
    VERBATIM)

  set(_include_scope PRIVATE)
  if(NOT _type STREQUAL "EXECUTABLE")
    set(_include_scope PUBLIC)
  endif()
  get_target_property(_target_dir "${target}" SOURCE_DIR)
  if(_target_dir STREQUAL CMAKE_CURRENT_SOURCE_DIR)
    target_sources("${target}" PRIVATE "${_cpp}" "${_stamp}")
  else()
    # The custom command lives in this directory; a utility target here runs
    # it, and the target (elsewhere) compiles the generated source.
    if(CMAKE_VERSION VERSION_LESS 3.18)
      message(FATAL_ERROR "pgmig_embed_migrations(${target}): call it in the directory that created ${target} (${_target_dir}), or use CMake 3.18 or newer")
    endif()
    add_custom_target("pgmig_embed_${_tname}_${_hash}" DEPENDS "${_stamp}")
    add_dependencies("${target}" "pgmig_embed_${_tname}_${_hash}")
    set_source_files_properties("${_cpp}" DIRECTORY "${_target_dir}" PROPERTIES GENERATED TRUE)
    target_sources("${target}" PRIVATE "${_cpp}")
  endif()
  # The generated source includes <pgmig/migration.hpp> and calls the
  # library: <target> must link pgmig::pgmig (not done here, so that either
  # target_link_libraries() signature stays available to the caller).
  target_include_directories("${target}" ${_include_scope} "$<BUILD_INTERFACE:${_out}/include>")
endfunction()

# Write <file> only when its content differs (keeps its timestamp otherwise).
function(_pgmig_write_if_changed file content)
  if(EXISTS "${file}")
    file(READ "${file}" _old)
    if(_old STREQUAL content)
      return()
    endif()
  endif()
  file(WRITE "${file}" "${content}")
endfunction()
