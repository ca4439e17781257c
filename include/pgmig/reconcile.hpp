// pgmig — comparing the migration set with the history (pure, no database).
#pragma once

#include <pgmig/history.hpp>
#include <pgmig/migration.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace pgmig {

enum class drift_policy { refuse, warn };
enum class unknown_policy { warn, refuse };
enum class out_of_order_policy { refuse, allow };

/// Defaults as in DESIGN.md. Unknown versions *inside* the set's range (a
/// deleted file) are always refused.
struct policies {
    drift_policy drift = drift_policy::refuse;
    unknown_policy unknown_newer = unknown_policy::warn;
    out_of_order_policy out_of_order = out_of_order_policy::refuse;
    /// The set cannot hold C++ migrations (the standalone `pgmig` CLI on a
    /// directory): an applied version it does not hold whose recorded checksum
    /// is a C++ migration's (code-sha256:) is a service's code migration,
    /// listed as applied (kind code, in_set false) and not reported as unknown.
    bool code_migrations_elsewhere = false;
};

enum class problem_kind {
    drift,          ///< applied checksum differs from the file's
    unknown_newer,  ///< applied, not in the set, newer than the set's newest (app rollback)
    unknown_inside, ///< applied, not in the set, inside its range (deleted/renamed file)
    out_of_order,   ///< pending, older than the newest applied version
    failed,         ///< a failed row is recorded
    interrupted     ///< a running row is recorded (a no-transaction run that died)
};

enum class severity { warning, refusal };

const char* to_string(problem_kind k) noexcept;
const char* to_string(severity s) noexcept;

/// One finding, with a full sentence for people and the command that fixes it.
struct problem {
    problem_kind kind = problem_kind::drift;
    severity level = severity::refusal;
    std::int64_t version = 0;
    std::string file;    ///< migration file when known
    std::string message; ///< what is wrong, with versions, files, checksums
    std::string fix;     ///< which command or setting resolves it
};

struct applied_migration {
    std::int64_t version = 0;
    std::string name;
    std::string checksum;    ///< as recorded
    std::string applied_at;
    std::int64_t execution_ms = 0;
    std::string applied_by;
    bool in_set = false;     ///< the binary/directory ships this version
    std::string file;        ///< when in_set
    bool reversible = false; ///< down SQL available (file or stored)
    deploy_phase phase = deploy_phase::pre_deploy; ///< the set's, else as recorded
    migration_kind kind = migration_kind::sql; ///< the set's, else from the recorded checksum
};

struct pending_migration {
    std::int64_t version = 0;
    std::string name;
    std::string file;
    /// Older than the newest applied version (a post-deploy migration: than
    /// the newest applied post-deploy one; it may wait behind pre-deploy ones).
    bool out_of_order = false;
    bool reversible = false;
    deploy_phase phase = deploy_phase::pre_deploy;
    migration_kind kind = migration_kind::sql;
};

/// What can be shown of how a drifted migration changed.
enum class drift_text {
    unread,         ///< not looked up (reconcile alone; reading the database fills it in)
    diff,           ///< drifted_migration::diff: the up SQL as applied → the file's now
    same_text,      ///< the recorded text is the file's; only the checksums differ
    not_recorded,   ///< no text recorded: the row was written by a pgmig before history shape 4
    too_large,      ///< the applied up SQL was 1 MiB or more: only its size is recorded
    code_migration, ///< a C++ migration: there is no SQL text to compare
    diff_too_large  ///< both texts are known but differ too much to show (text_note says how)
};

/// "diff", "same_text", "not_recorded", "too_large", "code_migration", "diff_too_large", "unread" (as --json spells them).
const char* to_string(drift_text t) noexcept;

struct drifted_migration {
    std::int64_t version = 0;
    std::string name;
    std::string file;
    std::string recorded_checksum;
    std::string current_checksum;
    /// What changed: the unified diff of the up SQL recorded when it was
    /// applied (history shape 4) against the file's, or why there is none.
    drift_text text = drift_text::unread;
    /// text == diff: "--- …", "+++ …", "@@ -a,b +c,d @@", then " ", "-", "+" lines.
    std::vector<std::string> diff;
    /// Otherwise: why no diff is shown, a sentence for people.
    std::string text_note;
};

struct reconcile_report {
    std::vector<applied_migration> applied;        ///< in effect now, by version
    std::vector<pending_migration> pending;        ///< in the set, not applied, by version
    std::vector<drifted_migration> drifted;
    std::vector<applied_migration> unknown_newer;  ///< subset of applied
    std::vector<applied_migration> unknown_inside; ///< subset of applied
    std::vector<history_row> outstanding;          ///< failed/running rows not yet repaired
    std::vector<problem> problems;                 ///< every finding, warnings included
    std::int64_t newest_applied = 0;               ///< 0 when nothing is applied, or when version 0 is (see `applied`)

    /// Any problem with severity::refusal.
    bool refuses() const noexcept;
    /// Nothing pending and no problem of any severity: boot needs no lock.
    bool up_to_date() const noexcept;
};

/// Derive the current state from the rows (ordered by id) and compare it with
/// the set under the policies. `admin_command` spells the commands the fixes
/// name, as the front end that shows them is invoked: "pgmig" gives
/// "`pgmig repair`", "myapp db" gives "`myapp db repair`"; empty means the
/// default of options::admin_command ("<program> db").
reconcile_report reconcile(const migration_set& set, const std::vector<history_row>& rows,
                           const policies& policy = {}, const std::string& admin_command = {});

} // namespace pgmig
