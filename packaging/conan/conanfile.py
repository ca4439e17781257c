# Conan 2 recipe of pgmig. It packages the pgmig checkout it lives in
# (packaging/conan/ → the repository root):
#
#   conan create packaging/conan --build=missing
#
# Conan generates its own CMake config files for consumers (CMakeDeps), so the
# upstream pgmigConfig*.cmake/pgmigTargets*.cmake are removed from the package
# and pgmig_embed_migrations() is shipped as a cmake_build_modules entry, which
# CMakeDeps includes from the generated pgmig-config.cmake.
#
# pgmig_embed_migrations() runs bin/pgmig-embed at build time, a host tool,
# the way protobuf's CMake functions run protoc. A consumer that cross
# builds declares pgmig in both contexts, as for protobuf:
#
#   def requirements(self):
#       self.requires("pgmig/<version>")
#   def build_requirements(self):
#       self.tool_requires("pgmig/<host_version>")
#
# CMakeToolchain then puts the build context's bin/ on CMAKE_PROGRAM_PATH,
# where the function finds pgmig-embed; in a native build the host package's
# own bin/pgmig-embed is used. A cross-built package does not build the tool
# (it could not run).
#
# The version is not written here: set_version() reads project(VERSION) from
# the repository's CMakeLists.txt (tests/cmake/check_versions.cmake runs it).
#
# Every path below is relative to the package folder, i.e. the install tree;
# tests/cmake/check_packaging.cmake checks them against a real install.
import os
import re

from conan import ConanFile
from conan.errors import ConanException, ConanInvalidConfiguration
from conan.tools.build import check_min_cppstd, cross_building
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load, rm, rmdir
from conan.tools.scm import Version

required_conan_version = ">=2.0"

CMAKE_DIR = "lib/cmake/pgmig"
BUILD_MODULE = "lib/cmake/pgmig/pgmig_embed.cmake"
EMBED_TOOL = "bin/pgmig-embed"
HEADER = "include/pgmig/pgmig.hpp"
# Upstream CMake package files, replaced by the ones CMakeDeps generates.
UPSTREAM_CONFIG_FILES = [
    "pgmigConfig.cmake",
    "pgmigConfigVersion.cmake",
    "pgmigTargets*.cmake",
    "pgmig-dependencies.cmake",
]
PKGCONFIG_DIR = "lib/pkgconfig"


def _native(path):
    return os.path.join(*path.split("/"))


def _version_from_cmakelists(text):
    """The version in project(pgmig VERSION x.y.z ...): the one place it is written."""
    match = re.search(r"project\(\s*pgmig\s+VERSION\s+([0-9]+(?:\.[0-9]+)*)", text)
    if not match:
        raise ConanException("CMakeLists.txt has no project(pgmig VERSION x.y.z)")
    return match.group(1)


class PgmigConan(ConanFile):
    name = "pgmig"
    description = ("Embedded startup migrator for PostgreSQL and C++ services: versioned SQL "
                   "migrations embedded into the binary at build time, checked and applied at boot")
    license = "MIT"
    topics = ("postgresql", "migrations", "schema", "database")
    package_type = "library"
    settings = "os", "arch", "compiler", "build_type"
    options = {
        "shared": [True, False],
        "fPIC": [True, False],
        "with_cli": [True, False],
    }
    default_options = {
        "shared": False,
        "fPIC": True,
        "with_cli": False,
    }

    @property
    def _source_root(self):
        return os.path.join(self.recipe_folder, "..", "..")

    def set_version(self):
        self.version = _version_from_cmakelists(load(self, os.path.join(self._source_root, "CMakeLists.txt")))

    def export_sources(self):
        root = self._source_root
        copy(self, "CMakeLists.txt", root, self.export_sources_folder)
        copy(self, "LICENSE", root, self.export_sources_folder)
        for folder in ("cmake", "include", "src", "tools"):
            copy(self, "*", os.path.join(root, folder), os.path.join(self.export_sources_folder, folder))

    def config_options(self):
        if self.settings.os == "Windows":
            del self.options.fPIC

    def configure(self):
        if self.options.shared:
            self.options.rm_safe("fPIC")

    def layout(self):
        cmake_layout(self, src_folder=".")

    def requirements(self):
        # libpqxx 8.x works too, with compiler.cppstd=20 (libpqxx 8 needs C++20).
        self.requires("libpqxx/7.10.1")
        self.requires("openssl/[>=1.1 <4]")
        # Not on ConanCenter: provide a libpg_query package in your own remote
        # (pg_query.h and the pg_query library); see docs/packaging.md.
        self.requires("libpg_query/17-6.1.0")
        self.requires("nlohmann_json/3.11.3")
        self.requires("cli11/2.4.2")

    def validate(self):
        check_min_cppstd(self, 17)
        if Version(self.dependencies["libpqxx"].ref.version) >= "8":
            check_min_cppstd(self, 20)
        if self.settings.os == "Windows" and self.options.shared:
            raise ConanInvalidConfiguration("pgmig has no DLL export annotations: build it static on Windows")

    def generate(self):
        tc = CMakeToolchain(self)
        tc.cache_variables["PGMIG_INSTALL"] = True
        tc.cache_variables["PGMIG_BUILD_TESTS"] = False
        tc.cache_variables["PGMIG_BUILD_EXAMPLES"] = False
        tc.cache_variables["PGMIG_BUILD_BENCH"] = False
        tc.cache_variables["PGMIG_BUILD_CLI"] = bool(self.options.with_cli)
        # pgmig-embed runs on the build machine: a cross build takes it from
        # the build context (tool_requires) instead of building one that cannot run.
        tc.cache_variables["PGMIG_BUILD_EMBED"] = not cross_building(self)
        tc.cache_variables["PGMIG_WARNINGS_AS_ERRORS"] = False
        tc.generate()
        CMakeDeps(self).generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        cmake = CMake(self)
        cmake.install()
        cmake_dir = os.path.join(self.package_folder, _native(CMAKE_DIR))
        for pattern in UPSTREAM_CONFIG_FILES:
            rm(self, pattern, cmake_dir)
        rmdir(self, os.path.join(self.package_folder, _native(PKGCONFIG_DIR)))
        kept = [BUILD_MODULE]
        if not cross_building(self):
            kept.append(EMBED_TOOL + (".exe" if self.settings.os == "Windows" else ""))
        for path in kept:
            if not os.path.isfile(os.path.join(self.package_folder, _native(path))):
                raise ConanException(f"{path} is missing from the package")

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "pgmig")
        self.cpp_info.set_property("cmake_target_name", "pgmig::pgmig")
        self.cpp_info.set_property("pkg_config_name", "pgmig")
        self.cpp_info.libs = ["pgmig"]
        # pgmig_embed_migrations(): included by the generated pgmig-config.cmake.
        self.cpp_info.set_property("cmake_build_modules", [_native(BUILD_MODULE)])
        self.cpp_info.builddirs = [_native(CMAKE_DIR)]
        if self.settings.os in ("Linux", "FreeBSD"):
            self.cpp_info.system_libs = ["pthread", "m"]
        # pgmig-embed (and the pgmig command with with_cli): on PATH and, for
        # a tool_requires, on CMAKE_PROGRAM_PATH.
        self.cpp_info.bindirs = ["bin"]
