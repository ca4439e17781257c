# vcpkg overlay port of pgmig. It builds the pgmig checkout it lives in
# (packaging/vcpkg/pgmig/ → the repository root):
#
#   vcpkg install pgmig --overlay-ports=<repo>/packaging/vcpkg
#   (manifest mode: "dependencies": ["pgmig"] and
#    "vcpkg-configuration": {"overlay-ports": ["<repo>/packaging/vcpkg"]})
#
# For a registry, replace the SOURCE_PATH lines by vcpkg_from_github(OUT_SOURCE_PATH
# SOURCE_PATH REPO <owner>/pgmig REF "v${VERSION}" SHA512 <…> HEAD_REF main).
get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
if(NOT EXISTS "${SOURCE_PATH}/include/pgmig/pgmig.hpp")
    message(FATAL_ERROR "pgmig sources not found at ${SOURCE_PATH}")
endif()

# No symbol-export annotations: a Windows DLL would export nothing.
if(VCPKG_TARGET_IS_WINDOWS)
    vcpkg_check_linkage(ONLY_STATIC_LIBRARY)
endif()

# pgmig-embed, the tool pgmig_embed_migrations() runs at build time, runs on
# the build machine (as protoc does for protobuf, whose port is the model):
# vcpkg.json makes pgmig a host dependency of itself, so a cross build first
# installs pgmig for the host triplet; the target build then skips the tool
# and carries the host's one in tools/pgmig/.
string(COMPARE EQUAL "${TARGET_TRIPLET}" "${HOST_TRIPLET}" PGMIG_BUILD_EMBED)
# The library itself embeds its SKILL.md and JSON schemas with the tool
# (`pgmig help agent`), so a cross build points its own build at the host's.
set(PGMIG_HOST_EMBED_OPTION "")
if(NOT PGMIG_BUILD_EMBED)
    set(PGMIG_HOST_EMBED_OPTION
        "-DPGMIG_EMBED_EXECUTABLE=${CURRENT_HOST_INSTALLED_DIR}/tools/${PORT}/pgmig-embed${VCPKG_HOST_EXECUTABLE_SUFFIX}")
endif()

vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
    FEATURES
        tool PGMIG_BUILD_CLI
)

vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        ${FEATURE_OPTIONS}
        -DPGMIG_BUILD_EMBED=${PGMIG_BUILD_EMBED}
        ${PGMIG_HOST_EMBED_OPTION}
        -DPGMIG_INSTALL=ON
        -DPGMIG_BUILD_TESTS=OFF
        -DPGMIG_BUILD_EXAMPLES=OFF
        -DPGMIG_BUILD_BENCH=OFF
        -DPGMIG_WARNINGS_AS_ERRORS=OFF
)
vcpkg_cmake_install()

# bin/ → tools/pgmig/: pgmig-embed (native builds; a cross build copies the
# host's), and the pgmig command with the "tool" feature.
set(tools "")
if(PGMIG_BUILD_EMBED)
    list(APPEND tools pgmig-embed)
else()
    file(COPY "${CURRENT_HOST_INSTALLED_DIR}/tools/${PORT}/pgmig-embed${VCPKG_HOST_EXECUTABLE_SUFFIX}"
         DESTINATION "${CURRENT_PACKAGES_DIR}/tools/${PORT}")
endif()
if("tool" IN_LIST FEATURES)
    list(APPEND tools pgmig)
endif()
if(tools)
    vcpkg_copy_tools(TOOL_NAMES ${tools} AUTO_CLEAN)
endif()

# lib/cmake/pgmig → share/pgmig: pgmigConfig.cmake, pgmigTargets*.cmake (their
# bin/ paths rewritten to tools/pgmig/, so pgmig::embed points at the moved
# tool), pgmig-dependencies.cmake and the embedding function pgmig_embed.cmake
# (which, in a cross build without pgmig::embed, finds tools/pgmig/pgmig-embed).
vcpkg_cmake_config_fixup(PACKAGE_NAME pgmig CONFIG_PATH lib/cmake/pgmig)
# lib/pkgconfig/pgmig.pc
vcpkg_fixup_pkgconfig()

file(REMOVE_RECURSE
    "${CURRENT_PACKAGES_DIR}/debug/include"
    "${CURRENT_PACKAGES_DIR}/debug/share")

file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
