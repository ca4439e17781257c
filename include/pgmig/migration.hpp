// pgmig — migration files and the migration set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig {

/// A file as embedded or read from a directory: its base name and its bytes.
struct source_file {
    std::string name;    ///< base name, e.g. "20240101_120000_create_users.sql"
    std::string content; ///< raw bytes, exactly as on disk
};

/// The two on-disk conventions.
enum class migration_format {
    single_file, ///< YYYYMMDD_HHMMSS_description.sql with -- DIRECTION: up/down sections
    paired_files ///< NNNNNN_description.up.sql and optional NNNNNN_description.down.sql
};

/// One parsed migration. SQL text is normalised: no UTF-8 BOM, LF line endings.
struct migration {
    std::int64_t version = 0;  ///< numeric prefix (YYYYMMDDHHMMSS or NNNNNN)
    std::string name;          ///< description from the file name, or the -- MIGRATION: line
    migration_format format = migration_format::single_file;
    std::string file;          ///< file holding the up SQL
    std::string down_file;     ///< file holding the down SQL (empty when not reversible)
    std::string up_sql;        ///< the up section / up file
    std::string down_sql;      ///< the down section / down file (empty when not reversible)
    bool reversible = false;   ///< a down section or file exists
    int up_line = 1;           ///< 1-based line of `file` where up_sql starts
    int down_line = 1;         ///< 1-based line of `down_file` where down_sql starts
    bool up_no_transaction = false;   ///< -- pgmig:no-transaction in the up part
    bool down_no_transaction = false; ///< -- pgmig:no-transaction in the down part
    std::int64_t lock_timeout_ms = -1; ///< -- pgmig:lock-timeout <dur>; -1 = run default
    std::string checksum;      ///< "sha256:<64 hex>" of up_sql (see checksum())
};

/// The sorted, validated list of migrations a binary or a directory holds.
class migration_set {
public:
    migration_set() = default;

    /// Parse in-memory files (what pgmig_embed_migrations embeds). Files that are
    /// not migrations (README.md, .gitkeep, …) are ignored. Throws pgmig::error
    /// (invalid_migration) listing every problem with its file and line.
    static migration_set from_files(std::vector<source_file> files);

    /// Read every visible `.sql` file of `directory` (not recursive; symbolic
    /// links to files are followed) and parse them as from_files() does.
    /// Throws pgmig::error (invalid_migration) when the directory cannot be
    /// read, and lists, with the other problems, every `.sql` entry that is
    /// not a readable regular file (a directory, a FIFO, a dangling or looping
    /// link). Hidden entries and other names are never looked at.
    static migration_set from_directory(const std::string& directory);

    /// A set of migrations parsed elsewhere, every field already filled in,
    /// checksum included (e.g. by a build step that ran from_files() or the
    /// same parser at build time). Nothing is parsed or hashed here; the only
    /// check is that versions are strictly ascending (sorted, each once).
    /// Throws pgmig::error (invalid_migration) naming the first offending file.
    static migration_set from_precomputed(std::vector<migration> migrations);

    const std::vector<migration>& migrations() const noexcept { return migrations_; }
    std::vector<migration>::const_iterator begin() const noexcept { return migrations_.begin(); }
    std::vector<migration>::const_iterator end() const noexcept { return migrations_.end(); }
    std::size_t size() const noexcept { return migrations_.size(); }
    bool empty() const noexcept { return migrations_.empty(); }

    /// The migration with this version, or nullptr.
    const migration* find(std::int64_t version) const noexcept;

    /// Highest version in the set, 0 when empty.
    std::int64_t newest_version() const noexcept;

private:
    std::vector<migration> migrations_; // sorted by version, versions unique
};

/// Is `name` a migration file name in either convention (used to skip README.md etc.)?
bool looks_like_migration_file(std::string_view name) noexcept;

/// Strip a leading UTF-8 BOM and turn CRLF and lone CR into LF.
std::string normalize_sql_text(std::string_view text);

/// "sha256:<hex>" of normalize_sql_text(up_sql), via OpenSSL EVP.
std::string checksum(std::string_view up_sql);

} // namespace pgmig
