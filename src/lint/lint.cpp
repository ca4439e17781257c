// pgmig — migration lint: the rule catalogue and the public entry points.
// The rules themselves live in lint_engine.cpp; docs/lint-rules.md documents them.
#include <pgmig/error.hpp>
#include <pgmig/lint.hpp>

#include "lint/lint_engine.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

namespace pgmig {
namespace {

char ascii_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

std::vector<lint_rule> make_catalogue() {
    return {
        // ---------------------------------------------------------- data loss
        {"drop-table", risk::critical, "DROP TABLE of a table that exists before the migration: its data is gone.",
         "Stop using the table in code and deploy that first; keep a backup or rename it aside "
         "(ALTER TABLE t RENAME TO t_deprecated) and drop it in a later migration; suppress with the reason when "
         "the loss is intended."},
        {"drop-column", risk::high,
         "ALTER TABLE … DROP COLUMN: the column's data is gone and running code that uses it fails "
         "(critical with CASCADE).",
         "Expand/contract: stop reading and writing the column in code, deploy, then drop it in a later migration; "
         "suppress with the reason once no deployed code uses it."},
        {"drop-schema", risk::critical, "DROP SCHEMA: the schema (and with CASCADE every object and row in it) is gone.",
         "Drop the schema's objects one by one in reviewed migrations, or suppress with the reason when the schema "
         "is known to be unused."},
        {"drop-database", risk::critical, "DROP DATABASE in a migration.",
         "Do not drop databases from application migrations; do it by hand as an operator."},
        {"truncate", risk::critical, "TRUNCATE of an existing table: every row is deleted under ACCESS EXCLUSIVE.",
         "Delete the rows you mean in batches (DELETE … WHERE … LIMIT via a key range) or suppress with the reason "
         "when the table is a cache or staging table."},
        {"delete-without-where", risk::high, "DELETE without WHERE (also in a data-modifying CTE): every row is deleted.",
         "Add the WHERE clause you mean; for large deletes work in batches outside the schema migration; suppress "
         "with the reason when emptying the table is intended."},
        {"update-without-where", risk::high,
         "UPDATE without WHERE: every row is rewritten and locked until commit, and the table bloats.",
         "Backfill in batches by key range (UPDATE … WHERE id BETWEEN …), from a job or a -- pgmig:no-transaction "
         "migration, so locks and WAL stay small."},
        // ---------------------------------------------------------- rewrites and long locks
        {"add-column-not-null-without-default", risk::high,
         "ADD COLUMN … NOT NULL (or PRIMARY KEY) without DEFAULT on an existing table: fails as soon as the table "
         "has a row.",
         "Add the column with a constant DEFAULT (no rewrite since PostgreSQL 11), or add it nullable, backfill, "
         "then enforce NOT NULL with the set-not-null recipe."},
        {"add-column-volatile-default", risk::high,
         "ADD COLUMN with a volatile DEFAULT (random(), clock_timestamp(), gen_random_uuid(), nextval(), serial, "
         "identity): PostgreSQL rewrites the whole table under ACCESS EXCLUSIVE. A default whose volatility lint "
         "cannot know is reported at medium.",
         "Add the column without a default (or with a constant one), then ALTER COLUMN … SET DEFAULT for new rows "
         "and backfill existing rows in batches. now()/CURRENT_TIMESTAMP are stable and do not rewrite."},
        {"add-column-generated-stored", risk::high,
         "ADD COLUMN … GENERATED ALWAYS AS (…) STORED on an existing table: the whole table is rewritten under "
         "ACCESS EXCLUSIVE.",
         "Add a plain nullable column, fill it with a trigger for new rows and a batched backfill for old ones, or "
         "compute the value in a view or in queries."},
        {"change-column-type", risk::high,
         "ALTER COLUMN … TYPE: rewrites the table and rebuilds its indexes under ACCESS EXCLUSIVE, unless the "
         "change is binary-coercible (varchar(n) to text or a longer varchar, numeric precision increase).",
         "Add a new column of the new type, write both from code, backfill in batches, switch reads, then drop the "
         "old column in a later migration."},
        {"set-not-null", risk::high,
         "ALTER COLUMN … SET NOT NULL on an existing table: a full scan under ACCESS EXCLUSIVE.",
         "ADD CONSTRAINT … CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT in a later migration (SHARE "
         "UPDATE EXCLUSIVE, reads and writes continue); then SET NOT NULL, which PostgreSQL 12+ proves from the "
         "constraint without a scan, and drop the CHECK."},
        {"add-check-without-not-valid", risk::high,
         "ADD CONSTRAINT … CHECK without NOT VALID (or a CHECK on ADD COLUMN, or VALIDATE in the transaction that "
         "added it): every row is checked under ACCESS EXCLUSIVE.",
         "ADD CONSTRAINT … CHECK (…) NOT VALID (instant; new rows are checked), then VALIDATE CONSTRAINT in a later "
         "migration: it scans under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes."},
        {"add-foreign-key-without-not-valid", risk::high,
         "ADD FOREIGN KEY without NOT VALID (or REFERENCES on ADD COLUMN, or VALIDATE in the transaction that added "
         "it): every row is checked while writes to both tables are blocked (SHARE ROW EXCLUSIVE).",
         "ADD CONSTRAINT … FOREIGN KEY … NOT VALID, then VALIDATE CONSTRAINT in a later migration (SHARE UPDATE "
         "EXCLUSIVE on the table, ROW SHARE on the referenced one)."},
        {"add-unique-without-index", risk::high,
         "ADD CONSTRAINT … UNIQUE (or ADD COLUMN … UNIQUE) without USING INDEX: the unique index is built under "
         "ACCESS EXCLUSIVE.",
         "CREATE UNIQUE INDEX CONCURRENTLY in a -- pgmig:no-transaction migration, then ALTER TABLE … ADD "
         "CONSTRAINT name UNIQUE USING INDEX index_name (instant)."},
        {"add-primary-key-without-index", risk::high,
         "ADD PRIMARY KEY (or ADD COLUMN … PRIMARY KEY) without USING INDEX: the unique index is built under ACCESS "
         "EXCLUSIVE.",
         "Make the columns NOT NULL first (set-not-null recipe), CREATE UNIQUE INDEX CONCURRENTLY in a -- "
         "pgmig:no-transaction migration, then ADD CONSTRAINT name PRIMARY KEY USING INDEX index_name."},
        {"add-exclusion-constraint", risk::high,
         "ADD CONSTRAINT … EXCLUDE on an existing table: the index is built and every row checked under ACCESS "
         "EXCLUSIVE; there is no concurrent variant.",
         "Run it when the table is small or in a maintenance window with a short -- pgmig:lock-timeout, or enforce "
         "the rule in a new table; suppress with the reason."},
        {"create-index-without-concurrently", risk::high,
         "CREATE INDEX without CONCURRENTLY on a table this migration did not create: writes are blocked (SHARE "
         "lock) for the whole build.",
         "CREATE INDEX CONCURRENTLY in its own migration marked -- pgmig:no-transaction (if it fails it leaves an "
         "INVALID index: drop it and retry)."},
        {"drop-index-without-concurrently", risk::medium,
         "DROP INDEX without CONCURRENTLY: ACCESS EXCLUSIVE on the table; quick, but it queues behind running "
         "queries and blocks every query meanwhile.",
         "DROP INDEX CONCURRENTLY in its own migration marked -- pgmig:no-transaction."},
        {"reindex-without-concurrently", risk::high,
         "REINDEX without CONCURRENTLY: blocks writes to the table and the queries that would use the index.",
         "REINDEX … CONCURRENTLY (PostgreSQL 12+) in a -- pgmig:no-transaction migration, or better outside "
         "migrations as maintenance."},
        {"vacuum-full", risk::high, "VACUUM FULL: rewrites the table under ACCESS EXCLUSIVE.",
         "Plain VACUUM (outside migrations), or pg_repack / pg_squeeze to compact a table online."},
        {"cluster", risk::high, "CLUSTER: rewrites the table under ACCESS EXCLUSIVE.",
         "Do it in a maintenance window outside migrations, or use pg_repack --order-by."},
        {"refresh-materialized-view-without-concurrently", risk::medium,
         "REFRESH MATERIALIZED VIEW without CONCURRENTLY: every read of the view waits until the refresh ends.",
         "Give the view a unique index and REFRESH MATERIALIZED VIEW CONCURRENTLY (reads continue)."},
        // ---------------------------------------------------------- backward-incompatible changes
        {"rename-column", risk::high,
         "RENAME COLUMN on an existing table: instances of the previous release still use the old name.",
         "Expand/contract: add the new column, write both, backfill, switch reads, drop the old column later (or "
         "add a view with the old name)."},
        {"rename-table", risk::high,
         "RENAME TABLE or SET SCHEMA on an existing table: instances of the previous release still use the old "
         "name.",
         "Create the new table (or an updatable view with the new name over the old table), move code over, and "
         "drop the old name in a later migration."},
        // ---------------------------------------------------------- transactions
        {"transaction-control-in-transaction", risk::critical,
         "BEGIN/COMMIT/ROLLBACK/PREPARE TRANSACTION in a migration that pgmig runs in a transaction: it ends "
         "pgmig's transaction early and breaks the migration's atomicity (SAVEPOINT/RELEASE/ROLLBACK TO: medium).",
         "Remove the transaction statements: pgmig already runs the migration and its history row in one "
         "transaction. If you need your own transactions, mark the migration -- pgmig:no-transaction."},
        {"non-transactional-in-transaction", risk::critical,
         "A statement that cannot run inside a transaction block (CREATE/DROP INDEX CONCURRENTLY, REINDEX "
         "CONCURRENTLY, DETACH PARTITION CONCURRENTLY, VACUUM, CREATE/DROP DATABASE or TABLESPACE, ALTER SYSTEM, …) "
         "in a migration without -- pgmig:no-transaction: it fails when applied.",
         "Put the statement in its own migration with a -- pgmig:no-transaction line; pgmig then runs it statement "
         "by statement and records its progress."},
        // ---------------------------------------------------------- design
        {"foreign-key-without-index", risk::medium,
         "A foreign key whose columns are not the leading columns of an index created by the migrations: deletes "
         "and key updates on the referenced table scan the referencing table.",
         "Create an index whose leading columns are the foreign key's columns (CONCURRENTLY for an existing table, "
         "in a -- pgmig:no-transaction migration)."},
        {"prefer-bigint-over-int", risk::low,
         "A new integer/smallint (or serial) primary key or identity column: 32-bit ids run out, and widening later "
         "rewrites the table.",
         "Use bigint (bigserial, or bigint GENERATED ALWAYS AS IDENTITY)."},
        {"ban-char-type", risk::low, "A char(n) column: values are blank-padded and it is never faster than text.",
         "Use text (with a CHECK (length(col) <= n) when a limit matters) or varchar(n)."},
        {"prefer-timestamptz", risk::low,
         "A timestamp without time zone column: values carry no time zone and their meaning depends on the writer.",
         "Use timestamptz; PostgreSQL stores an absolute instant and converts on output."},
        {"no-down-section", risk::low, "The migration has no down section (or .down.sql file): it cannot be rolled back.",
         "Write the down SQL that undoes the up, or suppress with a reason (e.g. -- pgmig:allow no-down-section "
         "irreversible data migration) anywhere in the up SQL."},
        // ---------------------------------------------------------- lint itself
        {"parse-error", risk::low,
         "libpg_query (PostgreSQL 15 grammar) cannot parse a statement: lint could not check that part.",
         "Check the statement by hand; newer syntax than PostgreSQL 15 is expected to fail here and can be "
         "suppressed with the reason."},
        {"suppression-without-reason", risk::low,
         "A -- pgmig:allow comment without a rule id or without a reason: it suppresses nothing.",
         "Write -- pgmig:allow <rule-id> <why this is safe here>."},
        {"suppression-unknown-rule", risk::low, "A -- pgmig:allow comment names a rule id that does not exist.",
         "Use an id from docs/lint-rules.md (or all)."},
    };
}

bool finding_order(const lint_finding& a, const lint_finding& b) {
    if (a.down != b.down) return !a.down;
    return a.line < b.line;
}

std::set<std::string> resolve_disabled(const lint_options& options) {
    std::set<std::string> disabled;
    for (const std::string& id : options.disabled_rules) {
        if (find_lint_rule(id) == nullptr)
            throw error(error_code::usage,
                        "unknown lint rule '" + id + "' in the rules to disable; docs/lint-rules.md lists the rule ids");
        disabled.insert(find_lint_rule(id)->id);
    }
    return disabled;
}

bool suppresses(const lint_detail::allow_directive& d, const std::string& rule) {
    return !d.reason.empty() && std::find(d.rules.begin(), d.rules.end(), rule) != d.rules.end();
}

migration_lint lint_one(const migration& m, const std::set<std::string>& disabled, const lint_options& options,
                        lint_detail::knowledge& know) {
    migration_lint result;
    result.version = m.version;
    result.name = m.name;
    result.file = m.file;

    lint_detail::section_input up;
    up.m = &m;
    up.down = false;
    up.sql = m.up_sql;
    up.first_line = m.up_line;
    up.no_transaction = m.up_no_transaction;
    up.file = m.file;
    lint_detail::section_result up_result = lint_detail::lint_section(up, disabled, know);
    result.findings = std::move(up_result.findings);

    if (!m.reversible && disabled.count("no-down-section") == 0) {
        lint_finding f = lint_detail::make_finding("no-down-section", m, false, m.file, 1);
        f.message = "migration " + std::to_string(m.version) +
                    " has no down section: `rollback` cannot undo it, and a failed deploy cannot be reverted by pgmig";
        for (const lint_detail::allow_directive& d : up_result.directives) {
            if (suppresses(d, "no-down-section")) {
                f.suppressed = true;
                f.suppression_reason = d.reason;
                break;
            }
        }
        result.findings.push_back(std::move(f));
    }

    if (options.lint_down && m.reversible) {
        // The down section runs against the schema as the up left it; what it does
        // is not carried forward.
        lint_detail::knowledge after_up = know;
        lint_detail::section_input down;
        down.m = &m;
        down.down = true;
        down.sql = m.down_sql;
        down.first_line = m.down_line;
        down.no_transaction = m.down_no_transaction;
        down.file = m.down_file.empty() ? m.file : m.down_file;
        lint_detail::section_result down_result = lint_detail::lint_section(down, disabled, after_up);
        for (lint_finding& f : down_result.findings) result.findings.push_back(std::move(f));
    }

    std::stable_sort(result.findings.begin(), result.findings.end(), finding_order);
    for (const lint_finding& f : result.findings)
        if (!f.suppressed && f.level > result.level) result.level = f.level;
    return result;
}

} // namespace

const char* to_string(risk level) noexcept {
    switch (level) {
    case risk::none: return "none";
    case risk::low: return "low";
    case risk::medium: return "medium";
    case risk::high: return "high";
    case risk::critical: return "critical";
    }
    return "none";
}

bool parse_risk(std::string_view text, risk& out) noexcept {
    for (const risk r : {risk::none, risk::low, risk::medium, risk::high, risk::critical}) {
        if (iequals(text, to_string(r))) {
            out = r;
            return true;
        }
    }
    return false;
}

const std::vector<lint_rule>& lint_rules() {
    static const std::vector<lint_rule> rules = make_catalogue();
    return rules;
}

const lint_rule* find_lint_rule(std::string_view id) noexcept {
    for (const lint_rule& r : lint_rules())
        if (r.id == id) return &r;
    return nullptr;
}

migration_lint lint_migration(const migration& m, const lint_options& options) {
    const std::set<std::string> disabled = resolve_disabled(options);
    lint_detail::knowledge know;
    return lint_one(m, disabled, options, know);
}

std::vector<migration_lint> lint_set(const migration_set& set, const lint_options& options) {
    const std::set<std::string> disabled = resolve_disabled(options);
    lint_detail::knowledge know;
    std::vector<migration_lint> out;
    out.reserve(set.size());
    for (const migration& m : set) out.push_back(lint_one(m, disabled, options, know));
    return out;
}

risk max_level(const std::vector<migration_lint>& results) noexcept {
    risk level = risk::none;
    for (const migration_lint& r : results)
        if (r.level > level) level = r.level;
    return level;
}

} // namespace pgmig
