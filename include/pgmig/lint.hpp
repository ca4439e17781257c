// pgmig — migration lint: rules over PostgreSQL's own parse tree (libpg_query)
// that flag data loss, long locks, table rewrites, backward-incompatible changes
// and statements that cannot run inside pgmig's transaction. Each rule has a
// stable id, a risk level and a category; docs/lint-rules.md documents every rule.
#pragma once

#include <pgmig/migration.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig {

/// Risk levels, ordered: none < low < medium < high < critical.
enum class risk { none, low, medium, high, critical };

/// "none", "low", "medium", "high", "critical".
const char* to_string(risk level) noexcept;

/// Parses the names to_string() returns (ASCII case-insensitive). Returns false
/// and leaves `out` unchanged when `text` is not a level name.
bool parse_risk(std::string_view text, risk& out) noexcept;

/// What kind of harm a rule's findings mean.
enum class rule_category {
    data_loss,     ///< rows, columns or whole objects are gone (`up` asks before running one)
    lock,          ///< a long lock, or a full scan under a lock, blocks reads or writes
    rewrite,       ///< the table is rewritten under an ACCESS EXCLUSIVE lock
    compatibility, ///< the release still running during a deploy breaks
    failure,       ///< the migration fails when applied to a table that has rows
    transaction,   ///< breaks pgmig's transaction, or cannot run inside one
    design,        ///< schema design advice
    reversibility, ///< the migration cannot be rolled back
    lint,          ///< about lint itself: SQL it could not check, suppressions that do nothing
};

/// "data-loss", "lock", "rewrite", "compatibility", "failure", "transaction",
/// "design", "reversibility", "lint".
const char* to_string(rule_category category) noexcept;

/// One rule of the catalogue. Ids are stable kebab-case strings: they appear in
/// suppression comments, JSON output and CI configuration, and never change.
struct lint_rule {
    std::string id;               ///< e.g. "drop-column"
    risk level = risk::none;      ///< default level; a finding may be raised or
                                  ///< lowered for a specific case (docs say when)
    rule_category category = rule_category::lint;
    /// The harm needs rows or running code (a lock, a rewrite, a scan, a rename, lost
    /// data): none of it reaches anyone while the object a finding names is not in
    /// the database yet (a pending migration of the same run creates it). `plan` and
    /// `up` lower such findings to low, and count none of them as data loss.
    bool harmless_on_new_table = false;
    /// Runs unless disabled; false: opt-in, runs only when lint_options::enabled_rules names it.
    bool enabled_by_default = true;
    std::string summary;          ///< what the rule catches, one sentence
    std::string safe_alternative; ///< what to do instead, one or two sentences
    std::string docs_anchor;      ///< the rule's section in docs/lint-rules.md: "#" + docs_anchor

    /// Findings of this rule mean data is gone (category data_loss).
    bool loses_data() const noexcept { return category == rule_category::data_loss; }
};

/// The rule catalogue, in documentation order.
const std::vector<lint_rule>& lint_rules();

/// The rule with this id, or nullptr.
const lint_rule* find_lint_rule(std::string_view id) noexcept;

/// One problem in one statement (or, for a few rules, in the migration as a whole).
struct lint_finding {
    std::string rule_id;          ///< id from lint_rules()
    risk level = risk::none;      ///< level of this finding
    std::int64_t version = 0;     ///< migration version
    std::string file;             ///< file holding the statement (down_file for down findings)
    int line = 0;                 ///< 1-based line in `file` of the offending clause (e.g. the
                                  ///< DROP COLUMN of an ALTER TABLE, the column of a CREATE TABLE)
    int column = 0;               ///< 1-based column of that clause in its line, in Unicode code points
    int statement_line = 0;       ///< 1-based line in `file` where the statement starts
    std::string statement;        ///< first line of the statement's text
    std::string message;          ///< specific: "DROP COLUMN users.email loses the column's data"
    std::string safe_alternative; ///< what to do instead
    std::string relation;         ///< affected table as written ("schema.table" or "table"), empty when none
    /// The migration of the set that created the object the finding is about (the
    /// table of `relation`, or the schema, domain or type the statement changes),
    /// when an earlier migration of the set did. `plan` and `up` use it to tell
    /// objects that a pending migration creates.
    std::optional<std::int64_t> created_by;
    /// Set by `plan`/`up`: the object the finding is about is not in the database
    /// yet (a pending migration of the same run creates it), so it holds no data and
    /// no running code uses it; the finding is then at most low and loses no data.
    bool not_in_database = false;
    bool suppressed = false;      ///< matched a `-- pgmig:allow <rule> <reason>` comment
    std::string suppression_reason; ///< the reason given in that comment
    bool down = false;            ///< finding is in the down section
};

/// Lint result for one migration.
struct migration_lint {
    std::int64_t version = 0;     ///< the migration's version (for a file that did not load: its
                                  ///< file name's version, 0 when it has none)
    bool loaded = true;           ///< false: the file did not load; its findings are its load problems
                                  ///< (`pgmig lint` reports those as invalid-migration findings)
    std::string name;             ///< migration description (migration::name)
    std::string file;             ///< file holding the up SQL
    risk level = risk::none;      ///< highest level among unsuppressed findings
    std::vector<lint_finding> findings; ///< sorted: up before down, then by line
    std::string skipped;          ///< why it was not linted ("" when it was): a C++ migration has no SQL text
};

/// What lint knows about the server the migrations will run on. Connected
/// commands (`plan`, `up`) fill it in; offline lint leaves it empty and says
/// when a verdict depends on it.
struct lint_server {
    int version_num = 0;  ///< server_version_num (e.g. 150004); 0 = unknown
    std::string timezone; ///< the TimeZone setting of the session that runs the migrations; "" = unknown
};

struct lint_options {
    /// Also lint the down sections (their findings have down = true).
    bool lint_down = false;
    /// Rule ids whose findings are dropped entirely. An id that is not in the
    /// catalogue throws pgmig::error (usage), so a typo cannot silently disable nothing.
    std::vector<std::string> disabled_rules;
    /// Opt-in rules to run (lint_rule::enabled_by_default is false), e.g.
    /// "require-table-schema". Unknown ids throw pgmig::error (usage), as for
    /// disabled_rules; a rule both enabled and disabled is disabled.
    std::vector<std::string> enabled_rules{};
    /// The target server, when known.
    lint_server server{};
};

/// Lints one migration on its own: only tables and indexes created by this
/// migration are known. Never throws for SQL problems: SQL that libpg_query
/// (PostgreSQL 15 grammar) cannot parse yields `parse-error` findings.
migration_lint lint_migration(const migration& m, const lint_options& options = {});

/// Lints every migration of the set in version order. Knowledge of the schema
/// (indexes, partitioned tables, column types, proven NOT NULL columns) carries
/// from one migration to the next, so e.g. a foreign key whose index an earlier
/// migration created is not flagged. Exemptions for new tables apply only to
/// tables created in the same migration: a table created by an earlier
/// migration is an existing production table once that migration shipped.
std::vector<migration_lint> lint_set(const migration_set& set, const lint_options& options = {});

/// Highest level among the results (risk::none for an empty list).
risk max_level(const std::vector<migration_lint>& results) noexcept;

} // namespace pgmig
