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
# libraries, as a build-tree path only).
#
# The source is written at build time by pgmig-embed (tools/embed), a host
# program built from pgmig's own parser: it lists <dir> as
# migration_set::from_directory() does, fails the build with every problem
# (`pgmig: <dir>/<file>:<line>: <reason>`, the runtime's messages), and
# otherwise writes each migration's parsed fields and checksum as data, so
# the function builds the set without parsing or hashing anything. This file
# only wires it up: arguments, dependency tracking, the header.
#
# The tool: PGMIG_EMBED_EXECUTABLE when set (a pgmig-embed built for this
# machine, for cross builds); else the target pgmig::embed (built in this
# build tree with add_subdirectory/FetchContent, or imported by
# find_package); else a pgmig-embed on the program path (vcpkg's host tools,
# Conan's build context) or in the package's own tools/pgmig or bin folder.
#
# Editing, adding or deleting a file of <dir> re-embeds on the next build
# (a CONFIGURE_DEPENDS glob re-runs CMake when the file list changes; the
# tool's command depends on every file, on the file list and on the tool).
#
# <target> must link pgmig::pgmig itself (this function does not call
# target_link_libraries(), so either of its signatures stays available).
# Documentation: docs/embedding.md.
#
# Requirements: CMake 3.17; call it in the directory that created <target>
# (from another directory it needs CMake 3.18). Files in <dir> whose names
# contain ';', '[' or ']' are not supported (CMake lists, for the dependencies).
include_guard(GLOBAL)
# Where this file is (in-tree: pgmig's cmake/; installed: <libdir>/cmake/pgmig,
# vcpkg: share/pgmig, Conan: the package's lib/cmake/pgmig).
set(_PGMIG_EMBED_MODULE_DIR "${CMAKE_CURRENT_LIST_DIR}")

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
  _pgmig_embed_tool(_tool _tool_depends "${target}")

  # ------------------------------------------------------------- the files
  # Dependency tracking only: pgmig-embed lists the directory itself, with
  # the runtime's code, and decides which files are migrations. The command
  # depends on every visible file of <dir> (hidden ones, such as editors'
  # swap files, change too often to be worth a re-run). CONFIGURE_DEPENDS:
  # adding or deleting a file re-runs CMake at the next build, which rewrites
  # files.txt, which re-runs the tool.
  file(GLOB _all LIST_DIRECTORIES false CONFIGURE_DEPENDS "${_dir}/*")
  set(_files "")
  foreach(_f IN LISTS _all)
    get_filename_component(_name "${_f}" NAME)
    if(NOT _name MATCHES "^\\.")
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
    "/// pgmig_embed_migrations(${target}): parsed, validated and hashed by\n"
    "/// pgmig-embed; built on the first call from that precomputed data,\n"
    "/// without parsing or hashing (thread-safe, never destroyed).\n"
    "const pgmig::migration_set& ${_fn}();\n\n")
  list(REVERSE _ns_parts)
  foreach(_p IN LISTS _ns_parts)
    string(APPEND _decl "} // namespace ${_p}\n")
  endforeach()
  _pgmig_write_if_changed("${_hpp}"
    "// Generated by pgmig_embed_migrations(); do not edit.\n#pragma once\n\n#include <pgmig/migration.hpp>\n\n${_decl}")

  # ------------------------------------------------------------- the rule
  # The tool always touches the stamp but rewrites the .cpp only when its
  # content changes, so touching a migration does not recompile anything.
  add_custom_command(
    OUTPUT "${_stamp}"
    BYPRODUCTS "${_cpp}"
    COMMAND ${_tool}
      --directory "${_dir}"
      --display "${_display}"
      --output "${_cpp}"
      --stamp "${_stamp}"
      --namespace "${_ns}"
      --function "${_fn}"
      --header "${_header}"
    DEPENDS ${_files} "${_list}" ${_tool_depends}
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

# _pgmig_embed_tool(<command-var> <depends-var> <target>): how to run
# pgmig-embed (in the order given at the top of this file), and what the
# custom command depends on, so that a rebuilt or replaced tool re-embeds.
function(_pgmig_embed_tool command_var depends_var target)
  if(PGMIG_EMBED_EXECUTABLE)
    if(NOT EXISTS "${PGMIG_EMBED_EXECUTABLE}" OR IS_DIRECTORY "${PGMIG_EMBED_EXECUTABLE}")
      message(FATAL_ERROR "pgmig_embed_migrations(${target}): PGMIG_EMBED_EXECUTABLE is '${PGMIG_EMBED_EXECUTABLE}', which is not a file; point it at a pgmig-embed built for this machine")
    endif()
    set(_command "${PGMIG_EMBED_EXECUTABLE}")
  elseif(TARGET pgmig::embed)
    get_target_property(_imported pgmig::embed IMPORTED)
    if(_imported)
      # Imported by find_package: run it where it is installed.
      set(_command pgmig::embed)
      set(_depends "$<TARGET_FILE:pgmig::embed>")
    else()
      # Built in this build tree. A target as COMMAND runs through its
      # CROSSCOMPILING_EMULATOR when it has one; without one, a cross build
      # cannot run it.
      get_target_property(_command pgmig::embed ALIASED_TARGET)
      get_target_property(_emulator "${_command}" CROSSCOMPILING_EMULATOR)
      if(CMAKE_CROSSCOMPILING AND NOT _emulator)
        message(FATAL_ERROR "pgmig_embed_migrations(${target}): in a cross build the pgmig-embed built here runs on the target, not on this machine. "
          "Build it for this machine (a native build of pgmig: cmake -S <pgmig> -B host -DPGMIG_BUILD_TESTS=OFF -DPGMIG_BUILD_EXAMPLES=OFF -DPGMIG_BUILD_BENCH=OFF; "
          "cmake --build host --target pgmig_embed_tool) and configure this build with -DPGMIG_EMBED_EXECUTABLE=<host>/tools/embed/pgmig-embed "
          "-DPGMIG_BUILD_EMBED=OFF, or set CMAKE_CROSSCOMPILING_EMULATOR")
      endif()
    endif()
  else()
    # No tool target: Conan (its generated package config declares no
    # executables) or a cross-built package that carries the host's tool.
    # The program path comes first (vcpkg's toolchain puts the host triplet's
    # tools there, Conan's the build context's bindirs), then the package's
    # own folders: <prefix>/tools/pgmig (vcpkg) and <prefix>/bin (Conan).
    find_program(PGMIG_EMBED_EXECUTABLE NAMES pgmig-embed
      HINTS "${_PGMIG_EMBED_MODULE_DIR}/../../tools/pgmig" "${_PGMIG_EMBED_MODULE_DIR}/../../../bin"
      DOC "pgmig-embed, the host tool that pgmig_embed_migrations() runs at build time")
    if(NOT PGMIG_EMBED_EXECUTABLE)
      message(FATAL_ERROR "pgmig_embed_migrations(${target}): pgmig-embed, pgmig's build-time tool, is not found. "
        "It comes with pgmig (the target pgmig::embed of find_package(pgmig), or built by add_subdirectory). "
        "In a cross build, install pgmig for the build machine too (vcpkg: the port's host dependency on itself; "
        "Conan: tool_requires(\"pgmig/<host_version>\")), or pass -DPGMIG_EMBED_EXECUTABLE=<a host pgmig-embed>")
    endif()
    set(_command "${PGMIG_EMBED_EXECUTABLE}")
  endif()
  if(NOT DEFINED _depends)
    set(_depends "${_command}") # a path, or the in-tree target (target- and file-level dependency)
  endif()
  set(${command_var} "${_command}" PARENT_SCOPE)
  set(${depends_var} "${_depends}" PARENT_SCOPE)
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

# _pgmig_embed_texts(<target> NAMESPACE <ns> FUNCTION <name> HEADER <path> FILES <name>=<file>...):
# pgmig's own use of the tool: compiles the files as they are into <target>
# (pgmig-embed --text), behind
#   const std::vector<std::pair<std::string_view, std::string_view>>& <ns>::<name>();
# declared in HEADER, which <target> must have on its include path. Re-embeds
# when a file or the tool changes. The library embeds SKILL.md and the JSON
# schemas with it, for `pgmig help agent` and `pgmig help json`.
function(_pgmig_embed_texts target)
  cmake_parse_arguments(PARSE_ARGV 1 _pt "" "NAMESPACE;FUNCTION;HEADER" "FILES")
  set(_out "${CMAKE_CURRENT_BINARY_DIR}/pgmig_embed/${target}_texts")
  set(_cpp "${_out}/embedded_texts.cpp")
  set(_stamp "${_out}/embedded_texts.stamp")
  set(_args "")
  set(_depends "")
  foreach(_spec IN LISTS _pt_FILES)
    string(FIND "${_spec}" "=" _eq)
    string(SUBSTRING "${_spec}" 0 ${_eq} _name)
    math(EXPR _from "${_eq} + 1")
    string(SUBSTRING "${_spec}" ${_from} -1 _file)
    list(APPEND _args --text "${_name}=${_file}")
    list(APPEND _depends "${_file}")
  endforeach()
  _pgmig_embed_tool(_tool _tool_depends "${target}")
  add_custom_command(
    OUTPUT "${_stamp}"
    BYPRODUCTS "${_cpp}"
    COMMAND ${_tool} ${_args}
      --display "${PROJECT_NAME}"
      --output "${_cpp}"
      --stamp "${_stamp}"
      --namespace "${_pt_NAMESPACE}"
      --function "${_pt_FUNCTION}"
      --header "${_pt_HEADER}"
    DEPENDS ${_depends} ${_tool_depends}
    COMMENT "pgmig: embedding ${PROJECT_NAME}'s documents into ${target}"
    VERBATIM)
  target_sources("${target}" PRIVATE "${_cpp}" "${_stamp}")
endfunction()
