// pgmig — migration files and the migration set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig {

class session; // pgmig/session.hpp

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

/// When a migration may run during a rolling deploy (docs/zero-downtime.md).
enum class deploy_phase {
    /// The default: applied by the boot of the new release, while replicas of
    /// the old release still serve traffic (so it must not break them: expand).
    pre_deploy,
    /// `-- pgmig:phase post-deploy`: applied by the step a pipeline runs once
    /// every replica runs the new release (`up --phase post-deploy`): contract.
    post_deploy
};

/// "pre-deploy", "post-deploy" (as the directive, the history and --json spell them).
const char* to_string(deploy_phase p) noexcept;

/// What a migration is written in (docs/code-migrations.md).
enum class migration_kind {
    sql, ///< a migration file (or a pair of them)
    code ///< a C++ function registered with migration_set::with_code()
};

/// "sql", "code" (as --json spells them).
const char* to_string(migration_kind k) noexcept;

/// A migration written in C++ (docs/code-migrations.md): registered beside the
/// SQL files with migration_set::with_code(), applied, recorded, verified and
/// rolled back like them.
struct code_migration {
    std::int64_t version = 0; ///< shares the versions of the SQL files (each version once)
    std::string name;         ///< e.g. "backfill_title_key"; the history's name
    /// The checksum's source: a string the author changes whenever the
    /// code's meaning changes (e.g. "v1"). Its SHA-256 is recorded
    /// ("code-sha256:<hex>"); a different string later is drift.
    std::string checksum;
    /// Runs the migration: in its transaction (with its history row), or, with
    /// no_transaction, outside one, each statement committing on its own.
    std::function<void(session&)> up;
    /// Reverses it (optional: without it the migration is not reversible).
    std::function<void(session&)> down;
    /// Run outside a transaction (batched work that commits as it goes). An
    /// interrupted or failed run is run again from the start of `up`, so it
    /// must be safe to run again (e.g. each batch picks the rows still to do).
    bool no_transaction = false;
    deploy_phase phase = deploy_phase::pre_deploy;
};

/// "code-sha256:<hex>": the checksum recorded for a code_migration whose
/// checksum string is `checksum_string`.
std::string code_checksum(std::string_view checksum_string);

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
    deploy_phase phase = deploy_phase::pre_deploy; ///< -- pgmig:phase post-deploy
    std::string checksum;      ///< "sha256:<64 hex>" of up_sql (see checksum()); code: code_checksum()
    /// A code migration has no SQL text (up_sql and down_sql are empty), its
    /// `file` is "code:<name>", its functions are in `code`, and
    /// up_no_transaction = down_no_transaction = code->no_transaction.
    migration_kind kind = migration_kind::sql;
    std::shared_ptr<const code_migration> code; ///< set when kind == code
};

/// The sorted, validated list of migrations a binary or a directory holds.
class migration_set {
public:
    migration_set() = default;

    /// Parse in-memory files (name and bytes, e.g. embedded by a build system
    /// of your own). Files that are not migrations (README.md, .gitkeep, …) are
    /// ignored. Throws pgmig::error (invalid_migration) listing every problem
    /// with its file and line.
    static migration_set from_files(std::vector<source_file> files);

    /// Read every visible `.sql` file of `directory` (not recursive; symbolic
    /// links to files are followed) and parse them as from_files() does.
    /// Throws pgmig::error (invalid_migration) when the directory cannot be
    /// read, and lists, with the other problems, every `.sql` entry that is
    /// not a readable regular file (a directory, a FIFO, a dangling or looping
    /// link). Hidden entries and other names are never looked at.
    static migration_set from_directory(const std::string& directory);

    /// A set of migrations parsed elsewhere, every field already filled in,
    /// checksum included: what the code generated by pgmig_embed_migrations()
    /// passes, after the build-time tool parsed and hashed the files with the
    /// same parser as from_files(). Nothing is parsed or hashed here; the only
    /// check is that versions are strictly ascending (sorted, each once).
    /// Throws pgmig::error (invalid_migration) naming the first offending file.
    static migration_set from_precomputed(std::vector<migration> migrations);

    /// This set with the C++ migrations `code` added (docs/code-migrations.md),
    /// e.g. `myapp::migrations().with_code({backfill_title_key()})`. Throws
    /// pgmig::error (invalid_migration) naming the version when a version is
    /// used twice (by a file or another code migration), a name is empty or
    /// not one line, the checksum string is empty, or `up` is missing.
    migration_set with_code(std::vector<code_migration> code) const;

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
