// pgmig — the migration-file parser's non-throwing entry points (internal).
//
// migration_set::from_files() and from_directory() are these two functions
// plus a throw of the problem list. The build-time embed tool (tools/embed)
// calls them directly, so the build and the running service list the same
// files and report the same problems, every one of them at once.
#pragma once

#include <pgmig/migration.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pgmig::detail::core {

/// One problem in a set of migration files.
struct migration_problem {
    std::string file;                    ///< base name of the file
    int line = 0;                        ///< 1-based line in `file`, 0 for the file as a whole
    std::optional<std::int64_t> version; ///< the file's version, when its name has one
    std::string text;                    ///< the reason, then the advice after "; "
    /// The problem is a statement of a migration that otherwise loaded (one that
    /// cannot run inside a transaction block): parse_result::migrations holds it.
    bool in_loaded_migration = false;
};

/// "<file>:<line>: <text>" (no ":<line>" when line is 0): one line of the
/// message of the invalid_migration error that from_files() throws.
std::string format_problem(const migration_problem& problem);

/// What from_directory() reads: every visible *.sql file (any case) of
/// `directory`, not recursive, with its bytes. One that is not a regular
/// file, or cannot be read, is a problem. Throws pgmig::error
/// (invalid_migration) when the directory itself cannot be read.
struct directory_files {
    std::vector<source_file> files;
    std::vector<migration_problem> problems;
};
directory_files read_migration_directory(const std::string& directory);

/// from_files() without the throw. `problems` holds problems found before
/// parsing (read_migration_directory()'s). The result holds every problem,
/// ordered by file, then line, and the sorted migrations that loaded, checksums
/// computed: all of them when there is no problem; otherwise those whose files
/// have no problem or only statement problems (in_loaded_migration), so that
/// lint can still lint them. Of several files with one version, the first by name.
struct parse_result {
    std::vector<migration> migrations;
    std::vector<migration_problem> problems;
};
parse_result parse_migration_files(std::vector<source_file> files, std::vector<migration_problem> problems = {});

} // namespace pgmig::detail::core
