// pgmig — reconcile: compare the migration set with the history rows (pure).
//
// Interpretation of the rows (see reconcile.hpp and DESIGN.md):
//  * A version is applied when its latest `success` row (highest id, either
//    direction; on equal ids the later row in the input wins) is an `up` row.
//    A later down/success row therefore wins even when the `reverted` marking
//    of the up row was missed, and a re-apply wins over an earlier rollback.
//  * `reverted` and `repaired` rows never affect the state.
//  * Every `failed` or `running` row is outstanding (ordered by id) and is a
//    refusal until `repair` marks it `repaired`.
//  * Checksums are compared only when the recorded and the current checksum
//    carry the same algorithm prefix (the text before ':'). A recorded
//    checksum of another algorithm, or without any prefix, is not drift.
//
// Ordering guarantees of the report:
//  * applied, pending, drifted, unknown_newer, unknown_inside: by version.
//  * outstanding: by row id.
//  * problems: grouped by kind in the declaration order of problem_kind
//    (drift, unknown_newer, unknown_inside, out_of_order, failed,
//    interrupted); within a kind by version, failed/interrupted by row id.
//
// Complexity: O((m + r) log(m + r)) for m migrations and r rows.
#include <pgmig/reconcile.hpp>

#include "core/admin_command.hpp"
#include "core/checksum.hpp"
#include "core/directive.hpp"
#include "core/resume.hpp"
#include "core/sql_split.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <utility>

namespace pgmig {

namespace {

/// The algorithm prefix of "algo:digest"; empty when there is no ':'.
std::string_view algorithm_of(std::string_view checksum) noexcept {
    const auto colon = checksum.find(':');
    if (colon == std::string_view::npos) return {};
    return checksum.substr(0, colon);
}

/// Are the two checksums of the same (known) algorithm, so that comparing them means something?
bool comparable(std::string_view recorded, std::string_view current) noexcept {
    const auto algo = algorithm_of(current);
    if (algo.empty()) return false;
    // A SQL migration that became a C++ one (or the reverse) changed too.
    const auto sql_or_code = [](std::string_view a) { return a == "sha256" || a == "code-sha256"; };
    return algo == algorithm_of(recorded) || (sql_or_code(algo) && sql_or_code(algorithm_of(recorded)));
}

/// "migration 20240101120000 (20240101_120000_create_users.sql)", falling
/// back to the recorded name when no file is known.
std::string label(std::int64_t version, const std::string& file, const std::string& name) {
    std::string out = "migration " + std::to_string(version);
    if (!file.empty()) {
        out += " (" + file + ")";
    } else if (!name.empty()) {
        out += " (\"" + name + "\")";
    }
    return out;
}

severity level_of(drift_policy p) noexcept {
    return p == drift_policy::refuse ? severity::refusal : severity::warning;
}
severity level_of(unknown_policy p) noexcept {
    return p == unknown_policy::refuse ? severity::refusal : severity::warning;
}
severity level_of(out_of_order_policy p) noexcept {
    return p == out_of_order_policy::refuse ? severity::refusal : severity::warning;
}

problem make_problem(problem_kind kind, severity level, std::int64_t version, std::string file,
                     std::string message, std::string fix) {
    problem p;
    p.kind = kind;
    p.level = level;
    p.version = version;
    p.file = std::move(file);
    p.message = std::move(message);
    p.fix = std::move(fix);
    return p;
}

/// Read-only view of the set, sorted by version, with O(log n) lookup.
class set_index {
public:
    explicit set_index(const migration_set& set) {
        sorted_.reserve(set.size());
        for (const auto& m : set.migrations()) sorted_.push_back(&m);
        if (!std::is_sorted(sorted_.begin(), sorted_.end(), by_version)) {
            std::stable_sort(sorted_.begin(), sorted_.end(), by_version);
        }
    }

    const migration* find(std::int64_t version) const noexcept {
        const auto it = std::lower_bound(
            sorted_.begin(), sorted_.end(), version,
            [](const migration* m, std::int64_t v) { return m->version < v; });
        return it != sorted_.end() && (*it)->version == version ? *it : nullptr;
    }

    bool empty() const noexcept { return sorted_.empty(); }
    std::int64_t newest() const noexcept { return sorted_.empty() ? 0 : sorted_.back()->version; }
    const std::vector<const migration*>& sorted() const noexcept { return sorted_; }

private:
    static bool by_version(const migration* a, const migration* b) noexcept {
        return a->version < b->version;
    }
    std::vector<const migration*> sorted_;
};

std::string drift_message(const drifted_migration& d) {
    const bool code_now = detail::core::is_code_checksum(d.current_checksum);
    const bool code_then = detail::core::is_code_checksum(d.recorded_checksum);
    if (code_now && code_then)
        return label(d.version, d.file, d.name) +
               " is a C++ migration whose checksum string changed after it was applied (its author marked a "
               "change of its meaning): recorded " + d.recorded_checksum + ", now " + d.current_checksum + ".";
    if (code_now || code_then)
        return label(d.version, d.file, d.name) + " was applied as " +
               (code_then ? "a C++ migration" : "a SQL migration") + " and is now " +
               (code_now ? "a C++ one" : "a SQL file") + ": recorded " + d.recorded_checksum + ", now " +
               d.current_checksum + ".";
    return label(d.version, d.file, d.name) + " was changed after it was applied: recorded " +
           d.recorded_checksum + ", file now " + d.current_checksum + ".";
}

std::string drift_fix(const drifted_migration& d, const std::string& cmd) {
    if (detail::core::is_code_checksum(d.current_checksum) && detail::core::is_code_checksum(d.recorded_checksum))
        return "An applied migration is not run again: put its checksum string back and write a new migration for "
               "what must change, or accept the new string deliberately with " +
               detail::core::command_hint(cmd, "repair --accept-checksums") + " (or set the drift policy to warn).";
    return "Restore the file to its applied content, or accept the edit deliberately with " +
           detail::core::command_hint(cmd, "repair --accept-checksums") + " (or set the drift policy to warn).";
}

std::string stored_down_note(const applied_migration& a) {
    return a.reversible ? " Its down SQL is stored in the history table, so it can be rolled back."
                        : " No down SQL is stored for it, so it cannot be rolled back.";
}

std::string unknown_newer_message(const applied_migration& a, const set_index& known) {
    std::string msg = label(a.version, a.file, a.name) + " is applied in the database but ";
    if (known.empty()) {
        msg += "this binary ships no migrations at all; the database was probably migrated by a "
               "newer release.";
    } else {
        msg += "this binary does not ship it: it is newer than the newest migration the binary "
               "knows (" +
               std::to_string(known.newest()) +
               "), so the database was probably migrated by a newer release.";
    }
    return msg + stored_down_note(a);
}

std::string unknown_newer_fix(const set_index& known, const std::string& cmd) {
    return "This binary is older than the database; deploy the newer binary, or roll back with "
           "the newer binary's " +
           detail::core::command_hint(cmd, "rollback --to " + std::to_string(known.newest())) + ".";
}

std::string unknown_inside_message(const applied_migration& a, const set_index& known) {
    return label(a.version, a.file, a.name) +
           " is applied in the database but is missing from this binary's migrations, although "
           "it is not newer than the newest migration the binary knows (" +
           std::to_string(known.newest()) +
           "); its file was probably deleted or renamed. Unknown versions inside the range of "
           "the migrations are always refused.";
}

std::string unknown_inside_fix(std::int64_t version, const std::string& cmd) {
    const std::string v = std::to_string(version);
    return "Restore the deleted migration file (version " + v +
           ", or undo its renaming), or remove the row deliberately (" + detail::core::command_hint(cmd, "force " + v) +
           " / " + detail::core::command_hint(cmd, "repair") + ") if the migration was meant to go away.";
}

std::string out_of_order_message(const pending_migration& p, std::int64_t newest_applied,
                                 out_of_order_policy policy) {
    std::string msg = label(p.version, p.file, p.name) + " is pending but older than the newest applied " +
                      (p.phase == deploy_phase::post_deploy ? "post-deploy " : "") + "migration " +
                      std::to_string(newest_applied) + "; ";
    if (policy == out_of_order_policy::refuse) {
        msg += "applying it now would run it out of order, which the out-of-order policy "
               "refuses.";
    } else {
        msg += "it will be applied out of order because the out-of-order policy allows it.";
    }
    return msg;
}

std::string out_of_order_fix(std::int64_t newest_applied) {
    const std::string n = std::to_string(newest_applied);
    return "Renumber the migration after " + n +
           " (give it a newer version), or allow out-of-order migrations (set the out-of-order "
           "policy to `allow`).";
}

std::string subject_of(const history_row& row, const std::string& file) {
    std::string subject = label(row.version, file, row.name);
    if (row.dir == direction::down) subject = "the rollback of " + subject;
    return subject;
}

std::string when_of(const history_row& row) {
    return row.applied_at.empty() ? std::string("at an unknown time") : "at " + row.applied_at;
}

/// The recorded error without trailing whitespace (server messages often end in a newline).
std::string error_text(const history_row& row) {
    const auto end = row.error_message.find_last_not_of(" \t\r\n");
    return end == std::string::npos ? std::string() : row.error_message.substr(0, end + 1);
}

std::string failed_message(const history_row& row, const std::string& file) {
    const std::string error = error_text(row);
    std::string msg = subject_of(row, file) + " failed " + when_of(row) + " (history row " +
                      std::to_string(row.id) + "): ";
    msg += error.empty() ? std::string("no error message was recorded.") : error;
    if (msg.back() != '.') msg += '.';
    return msg;
}

std::string failed_fix(const history_row& row, const migration* m, const std::string& cmd) {
    std::string fix = "Fix the cause, check the database, then run " + detail::core::command_hint(cmd, "repair") +
                      " to clear the failed record";
    // A no-transaction run of this protocol (a run id) resumes at the statement that failed.
    if (row.dir == direction::up && !row.run_id.empty() && row.statements_total > 0 && m != nullptr &&
        m->checksum == row.checksum)
        fix += "; the next run then resumes it at statement " + std::to_string(row.statements_done + 1) + " of " +
               std::to_string(row.statements_total) +
               (row.statements_done == 0 ? std::string()
                                         : " (" + detail::core::first_statements(static_cast<std::size_t>(row.statements_done)) +
                                               " took effect and " + (row.statements_done == 1 ? "is" : "are") +
                                               " not run again)");
    return fix + ".";
}

std::string interrupted_message(const history_row& row, const std::string& file) {
    std::string msg = subject_of(row, file) + " was interrupted: its run started " +
                      when_of(row) + " (history row " + std::to_string(row.id) +
                      ") never finished";
    if (row.statements_total > 0) {
        msg += ", with " + std::to_string(row.statements_done) + "/" +
               std::to_string(row.statements_total) + " statements done";
    }
    const std::string error = error_text(row);
    if (!error.empty()) msg += "; last error: " + error;
    if (msg.back() != '.') msg += '.';
    return msg;
}

// For a no-transaction run that died: which statement it was on, from the set's text.
std::string where_it_stopped(const history_row& row, const migration* m) {
    if (m == nullptr || row.statements_total <= 0 || row.statements_done >= row.statements_total) return {};
    const bool up = row.dir == direction::up;
    if (!up && !m->reversible) return {};
    const std::string& sql = up ? m->up_sql : m->down_sql;
    const std::vector<detail::core::sql_statement> stmts = detail::core::split_sql(sql);
    if (static_cast<int>(stmts.size()) != row.statements_total) return {}; // the file changed since
    const detail::core::sql_statement& st = stmts[static_cast<std::size_t>(row.statements_done)];
    std::string first = st.text.substr(0, st.text.find('\n'));
    if (first.size() > 120) first = first.substr(0, 117) + "...";
    const std::string& file = up ? m->file : m->down_file;
    const int line = (up ? m->up_line : m->down_line) + st.line - 1;
    return " It stopped in statement " + std::to_string(row.statements_done + 1) + " of " +
           std::to_string(row.statements_total) + " (" + file + ":" + std::to_string(line) + "): " + first +
           (row.statements_done == 0 ? std::string(" (none of its statements had taken effect).")
                                     : "; " + detail::core::first_statements(static_cast<std::size_t>(row.statements_done)) +
                                           " had finished and took effect.");
}

std::string interrupted_fix(const std::string& cmd) {
    return "Make sure no other process is still running it, check what the interrupted migration "
           "left behind, then run " +
           detail::core::command_hint(cmd, "repair") + ".";
}

} // namespace

const char* to_string(problem_kind k) noexcept {
    switch (k) {
    case problem_kind::drift: return "drift";
    case problem_kind::unknown_newer: return "unknown_newer";
    case problem_kind::unknown_inside: return "unknown_inside";
    case problem_kind::out_of_order: return "out_of_order";
    case problem_kind::failed: return "failed";
    case problem_kind::interrupted: return "interrupted";
    }
    return "unknown";
}

const char* to_string(drift_text t) noexcept {
    switch (t) {
    case drift_text::unread: return "unread";
    case drift_text::diff: return "diff";
    case drift_text::same_text: return "same_text";
    case drift_text::not_recorded: return "not_recorded";
    case drift_text::too_large: return "too_large";
    case drift_text::code_migration: return "code_migration";
    case drift_text::diff_too_large: return "diff_too_large";
    }
    return "unread";
}

const char* to_string(severity s) noexcept {
    switch (s) {
    case severity::warning: return "warning";
    case severity::refusal: return "refusal";
    }
    return "unknown";
}

bool reconcile_report::refuses() const noexcept {
    return std::any_of(problems.begin(), problems.end(),
                       [](const problem& p) { return p.level == severity::refusal; });
}

bool reconcile_report::up_to_date() const noexcept {
    return pending.empty() && problems.empty();
}

reconcile_report reconcile(const migration_set& set, const std::vector<history_row>& rows,
                           const policies& policy, const std::string& admin_command) {
    const std::string cmd = detail::core::admin_command_or_default(admin_command);
    reconcile_report report;
    const set_index known(set);

    // ---- state of each version: its latest success row, by version.
    std::map<std::int64_t, const history_row*> latest_success;
    std::vector<const history_row*> outstanding;
    for (const auto& row : rows) {
        switch (row.status) {
        case row_status::success: {
            const history_row*& slot = latest_success[row.version];
            if (slot == nullptr || row.id >= slot->id) slot = &row;
            break;
        }
        case row_status::failed:
        case row_status::running:
            outstanding.push_back(&row);
            break;
        case row_status::reverted:
        case row_status::repaired:
            break;
        }
    }
    std::stable_sort(outstanding.begin(), outstanding.end(),
                     [](const history_row* a, const history_row* b) { return a->id < b->id; });

    // ---- applied (by version, since the map is ordered).
    for (const auto& entry : latest_success) {
        const history_row& row = *entry.second;
        if (row.dir != direction::up) continue;
        applied_migration a;
        a.version = entry.first;
        a.checksum = row.checksum;
        a.applied_at = row.applied_at;
        a.execution_ms = row.execution_ms;
        a.applied_by = row.applied_by;
        a.name = row.name;
        a.phase = detail::core::deploy_phase_named(row.phase).value_or(deploy_phase::pre_deploy);
        if (const migration* m = known.find(a.version)) {
            a.in_set = true;
            a.file = m->file;
            a.reversible = m->reversible;
            a.phase = m->phase;
            a.kind = m->kind;
            if (a.name.empty()) a.name = m->name;
        } else {
            a.reversible = row.has_down_sql;
            if (detail::core::is_code_checksum(row.checksum)) a.kind = migration_kind::code;
        }
        report.applied.push_back(std::move(a));
    }
    report.newest_applied = report.applied.empty() ? 0 : report.applied.back().version;

    const auto is_applied = [&](std::int64_t version) {
        const auto it = latest_success.find(version);
        return it != latest_success.end() && it->second->dir == direction::up;
    };

    // ---- pending (by version). A post-deploy migration waits for its step
    // while later pre-deploy ones are applied: it is out of order only behind
    // a newer applied post-deploy migration (docs/zero-downtime.md, "Ordering").
    std::int64_t newest_post_deploy = 0;
    bool any_post_deploy = false;
    for (const applied_migration& a : report.applied)
        if (a.phase == deploy_phase::post_deploy) {
            newest_post_deploy = a.version;
            any_post_deploy = true;
        }
    for (const migration* m : known.sorted()) {
        if (is_applied(m->version)) continue;
        pending_migration p;
        p.version = m->version;
        p.name = m->name;
        p.file = m->file;
        p.reversible = m->reversible;
        p.phase = m->phase;
        p.kind = m->kind;
        p.out_of_order = m->phase == deploy_phase::post_deploy
                             ? any_post_deploy && m->version < newest_post_deploy
                             : !report.applied.empty() && m->version < report.newest_applied;
        report.pending.push_back(std::move(p));
    }

    // ---- drifted and unknown (by version).
    for (const applied_migration& a : report.applied) {
        if (a.in_set) {
            const migration& m = *known.find(a.version);
            if (comparable(a.checksum, m.checksum) && a.checksum != m.checksum) {
                drifted_migration d;
                d.version = a.version;
                d.name = m.name;
                d.file = m.file;
                d.recorded_checksum = a.checksum;
                d.current_checksum = m.checksum;
                report.drifted.push_back(std::move(d));
            }
        } else if (policy.code_migrations_elsewhere && a.kind == migration_kind::code) {
            continue; // a service's C++ migration: applied, not in this directory, not a problem
        } else if (known.empty() || a.version > known.newest()) {
            report.unknown_newer.push_back(a);
        } else {
            report.unknown_inside.push_back(a);
        }
    }

    // ---- problems, grouped by kind in problem_kind order.
    for (const drifted_migration& d : report.drifted) {
        report.problems.push_back(make_problem(problem_kind::drift, level_of(policy.drift),
                                               d.version, d.file, drift_message(d), drift_fix(d, cmd)));
    }
    for (const applied_migration& a : report.unknown_newer) {
        report.problems.push_back(make_problem(
            problem_kind::unknown_newer, level_of(policy.unknown_newer), a.version, a.file,
            unknown_newer_message(a, known), unknown_newer_fix(known, cmd)));
    }
    for (const applied_migration& a : report.unknown_inside) {
        report.problems.push_back(make_problem(problem_kind::unknown_inside, severity::refusal,
                                               a.version, a.file,
                                               unknown_inside_message(a, known),
                                               unknown_inside_fix(a.version, cmd)));
    }
    for (const pending_migration& p : report.pending) {
        if (!p.out_of_order) continue;
        const std::int64_t newer = p.phase == deploy_phase::post_deploy ? newest_post_deploy : report.newest_applied;
        report.problems.push_back(make_problem(problem_kind::out_of_order, level_of(policy.out_of_order), p.version,
                                               p.file, out_of_order_message(p, newer, policy.out_of_order),
                                               out_of_order_fix(newer)));
    }
    for (const problem_kind kind : {problem_kind::failed, problem_kind::interrupted}) {
        const row_status wanted =
            kind == problem_kind::failed ? row_status::failed : row_status::running;
        for (const history_row* row : outstanding) {
            if (row->status != wanted) continue;
            const migration* m = known.find(row->version);
            const std::string file = m != nullptr ? m->file : std::string();
            report.problems.push_back(make_problem(
                kind, severity::refusal, row->version, file,
                kind == problem_kind::failed ? failed_message(*row, file)
                                             : interrupted_message(*row, file) + where_it_stopped(*row, m),
                kind == problem_kind::failed ? failed_fix(*row, m, cmd) : interrupted_fix(cmd)));
        }
    }

    report.outstanding.reserve(outstanding.size());
    for (const history_row* row : outstanding) report.outstanding.push_back(*row);
    return report;
}

} // namespace pgmig
