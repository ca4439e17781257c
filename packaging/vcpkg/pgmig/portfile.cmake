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

vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
    FEATURES
        tool PGMIG_BUILD_CLI
)

vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        ${FEATURE_OPTIONS}
        -DPGMIG_INSTALL=ON
        -DPGMIG_BUILD_TESTS=OFF
        -DPGMIG_BUILD_EXAMPLES=OFF
        -DPGMIG_BUILD_BENCH=OFF
        -DPGMIG_WARNINGS_AS_ERRORS=OFF
)
vcpkg_cmake_install()

# lib/cmake/pgmig → share/pgmig: pgmigConfig.cmake, pgmigTargets*.cmake,
# pgmig-dependencies.cmake and the embedding function (pgmig_embed.cmake with
# its generator pgmig_embed_generate.cmake, which finds its sibling through
# CMAKE_CURRENT_FUNCTION_LIST_DIR and so survives the move).
vcpkg_cmake_config_fixup(PACKAGE_NAME pgmig CONFIG_PATH lib/cmake/pgmig)
# lib/pkgconfig/pgmig.pc
vcpkg_fixup_pkgconfig()

if("tool" IN_LIST FEATURES)
    vcpkg_copy_tools(TOOL_NAMES pgmig AUTO_CLEAN)
endif()

file(REMOVE_RECURSE
    "${CURRENT_PACKAGES_DIR}/debug/include"
    "${CURRENT_PACKAGES_DIR}/debug/share")

file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
