// pgmig — what each writing command would do: pure functions of (migration
// set, history state, options, request) → plan, or pgmig::error when the
// command must be refused. No database: the migrator (src/engine/migrator.*)
// reads the state, plans, and after taking the lock reads and plans again;
// src/engine/statements.* turns a plan into the SQL it sends (for --dry-run).
#pragma once

#include "core/resume.hpp"

#include <pgmig/error.hpp>
#include <pgmig/history.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/reconcile.hpp>
#include <pgmig/startup.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pgmig::detail::core {

/// Down SQL recorded in the history with an applied version's up row.
struct stored_down {
    std::string sql;
    bool no_transaction = false; ///< it must run outside a transaction
};

/// The database as the commands see it.
struct db_state {
    bool schema_exists = false;        ///< the history table's schema exists
    bool table_exists = false;         ///< the history table exists (and has pgmig's shape)
    std::vector<history_row> rows;     ///< every row, by id
    reconcile_report report;           ///< reconcile(set, rows, policy)
    /// The down SQL stored with the effective up row of each applied version
    /// whose down the set does not ship (read for rollback and redo only).
    std::map<std::int64_t, stored_down> stored_downs;
    /// Interrupted or repaired no-transaction runs that resume where they
    /// stopped (core/resume.hpp: judged with what the database says).
    std::vector<resume_point> resumes;
};

/// The id of the effective up row of an applied version (0 when not applied).
std::int64_t effective_up_row_id(const db_state& s, std::int64_t version);

// ------------------------------------------------------------------ up

/// Which pending migrations `up` applies: all, those up to and including `to`,
/// the next `steps`, or (both given) the next `steps` of those up to `to`; of
/// the phases selected (a boot and the CLI's `up` select pre-deploy, the
/// post-deploy step post-deploy; the planner's own default is every phase, as
/// for redo and a test's template database).
struct up_target {
    std::optional<std::int64_t> to;
    std::optional<int> steps;
    phase_selection phases = phase_selection::all;
};

struct up_plan {
    std::vector<const migration*> migrations; ///< to apply, in version order
    std::vector<problem> warnings;            ///< problems that do not refuse
    up_target target;
    /// Planned versions with a `down` success row in effect (rolled back before):
    /// applying them again marks that row reverted. Sorted.
    std::vector<std::int64_t> rolled_back;
    /// Planned no-transaction migrations that resume an earlier run, by version.
    std::vector<resume_point> resumes;
    /// Pending migrations of a phase the target does not select, by version
    /// (the post-deploy ones a boot leaves for the post-deploy step). Not planned, not a refusal.
    std::vector<const migration*> waiting;

    /// The resume point of `version`, or nullptr when it runs from its first statement.
    const resume_point* resume_of(std::int64_t version) const;
};

/// The refusal of planned migrations whose up SQL holds no statement (only
/// comments and whitespace: a template `new` wrote and nobody filled in):
/// applied, the empty text's checksum would be recorded, and filling it in
/// afterwards would be drift. error(invalid_migration) naming each file and
/// line; nullopt when every one has a statement.
std::optional<error> empty_migrations_error(const std::vector<const migration*>& planned);

/// Same refusal semantics as migrate_on_startup (drift, unknown, out of order,
/// failed rows; and empty_migrations_error of what it plans). `target.to` must be a version of the set (error usage
/// otherwise): only pending versions <= to are planned; `target.steps` (> 0)
/// plans only the first that many pending versions. Ordering across phases
/// (docs/zero-downtime.md): versions keep one order; pending migrations of an
/// unselected phase are skipped (`waiting`) and do not hold back later ones;
/// the post-deploy step refuses (error pending) while a pre-deploy migration
/// older than one it would apply is pending, since that one may depend on it.
/// `admin_command` spells the commands of that refusal's fix (core/admin_command.hpp).
up_plan plan_up(const db_state& s, const migration_set& set, const up_target& target = {},
                const std::string& admin_command = {});

// ------------------------------------------------------------------ rollback

struct rollback_step {
    std::int64_t version = 0;
    std::string name;
    std::string checksum;     ///< as recorded
    std::string file;         ///< file holding the down SQL ("" when from the history)
    std::string down_sql;
    int down_line = 1;
    bool from_history = false; ///< the down SQL stored when the up was applied
    bool no_transaction = false;
    std::string applied_at;
    bool reversible = true;    ///< false: no down SQL anywhere (only in rollback_candidates())
    const migration* code = nullptr; ///< a C++ migration of the set: its down function runs (no down_sql)
};

struct rollback_plan {
    std::vector<rollback_step> steps; ///< in reverse applied order
    std::vector<problem> warnings;
};

struct rollback_target {
    std::optional<std::int64_t> to; ///< roll back every applied version > to
    int steps = 1;                  ///< when `to` is not set: the latest `steps` applied
};

/// The applied migrations `target` selects, latest first, each with its down
/// SQL when it has one (reversible false when it has none); checks nothing, so
/// a refused rollback can still show what it would have rolled back.
std::vector<rollback_step> rollback_candidates(const db_state& s, const migration_set& set,
                                              const rollback_target& target);

/// Refuses (error) when failed/running rows are recorded, when a migration to
/// roll back has drifted and the drift policy refuses, and when any of them has
/// no down SQL, neither in the set nor in s.stored_downs (not_reversible,
/// naming them), so nothing is touched. `to` must be 0, an applied version or a
/// version of the set.
rollback_plan plan_rollback(const db_state& s, const migration_set& set, const options& opts,
                            const rollback_target& target);

// ------------------------------------------------------------------ redo

struct redo_plan {
    rollback_plan down;
    up_plan up;
};
/// The latest applied migration: rolled back, then applied again from the set.
/// Drift of that migration is expected (editing it is why one redoes) and not refused.
redo_plan plan_redo(const db_state& s, const migration_set& set, const options& opts);

// ------------------------------------------------------------------ baseline, repair, force

/// A change of recorded state only (no migration SQL).
struct bookkeeping_change {
    std::string action;       ///< "mark_applied", "mark_rolled_back", "clear_failed", "accept_checksum"
    std::int64_t version = 0;
    std::string name;
    std::string file;
    std::string detail;       ///< for people: what changes exactly
    std::int64_t row_id = 0;  ///< the history row concerned (clear_failed, accept_checksum, mark_rolled_back)
    std::string old_checksum; ///< accept_checksum
    std::string new_checksum; ///< accept_checksum
    std::string checksum;     ///< the row to write: the file's (mark_applied), as recorded (mark_rolled_back)
    std::optional<std::string> down_sql; ///< mark_applied: the down SQL to store with the row
    /// mark_applied, accept_checksum: the up SQL the row's checksum hashes, to
    /// store with it (history shape 4; core::up_sql_to_record: none when too
    /// large) and its size in bytes.
    std::optional<std::string> up_sql;
    std::int64_t up_sql_bytes = 0;
    deploy_phase phase = deploy_phase::pre_deploy; ///< mark_applied: the migration's phase
};

struct bookkeeping_plan {
    std::string command;                     ///< "baseline", "repair", "force", "import" (applied_by "… via <command>")
    std::vector<bookkeeping_change> changes; ///< made in one transaction
    bool create_history_table = false;       ///< the history table must be created first
};

/// Adds the change that records `m` as applied without running its SQL
/// (baseline, force, import), with the down SQL to store.
void mark_applied(bookkeeping_plan& plan, const migration& m);

/// Refuses (error policy) when the history table has rows. `version` must be in the set.
bookkeeping_plan plan_baseline(const db_state& s, const migration_set& set, const options& opts,
                               std::int64_t version);
/// failed/running rows → repaired; with accept_checksums, drifted versions get the file's checksum.
bookkeeping_plan plan_repair(const db_state& s, const migration_set& set, bool accept_checksums);
/// Recorded state becomes exactly `version`: set versions <= version marked
/// applied, applied versions > version marked rolled back, failed/running rows
/// cleared. `version` must be 0, in the set or applied.
bookkeeping_plan plan_force(const db_state& s, const migration_set& set, std::int64_t version);

// ------------------------------------------------------------------ comparing plans

/// Would the two plans do the same (what a person confirmed is what runs)?
bool same(const up_plan& a, const up_plan& b);
bool same(const rollback_plan& a, const rollback_plan& b);
bool same(const redo_plan& a, const redo_plan& b);
bool same(const bookkeeping_plan& a, const bookkeeping_plan& b);

/// Does the plan do nothing?
bool empty(const up_plan& p);
bool empty(const rollback_plan& p);
bool empty(const redo_plan& p);
bool empty(const bookkeeping_plan& p);

} // namespace pgmig::detail::core
