// The pure planners behind the writing commands (see planner.hpp).
#include "core/planner.hpp"
#include "core/admin_command.hpp"
#include "core/checksum.hpp"
#include "core/code_migration.hpp"
#include "core/directive.hpp"
#include "core/drift_diff.hpp"
#include "core/refusal.hpp"
#include "core/sql_lexer.hpp"

#include <algorithm>
#include <functional>

namespace pgmig::detail::core {

namespace {

std::string label(std::int64_t version, const std::string& name, const std::string& file) {
    std::string out = "migration " + std::to_string(version);
    if (!file.empty())
        out += " (" + file + ")";
    else if (!name.empty())
        out += " (\"" + name + "\")";
    return out;
}

/// A copy of the report keeping only the problems `keep` accepts.
reconcile_report filtered(const reconcile_report& r, const std::function<bool(const problem&)>& keep) {
    reconcile_report out = r;
    out.problems.clear();
    for (const problem& p : r.problems)
        if (keep(p)) out.problems.push_back(p);
    return out;
}

std::vector<problem> warnings_of(const reconcile_report& r) {
    std::vector<problem> out;
    for (const problem& p : r.problems)
        if (p.level == severity::warning) out.push_back(p);
    return out;
}

bool is_failure_kind(problem_kind k) { return k == problem_kind::failed || k == problem_kind::interrupted; }

const applied_migration* find_applied(const db_state& s, std::int64_t version) {
    for (const applied_migration& a : s.report.applied)
        if (a.version == version) return &a;
    return nullptr;
}

/// Applied migrations, latest applied first (by the id of the effective up row).
std::vector<const applied_migration*> reverse_applied_order(const db_state& s) {
    std::vector<std::pair<std::int64_t, const applied_migration*>> order;
    for (const applied_migration& a : s.report.applied) order.emplace_back(effective_up_row_id(s, a.version), &a);
    std::stable_sort(order.begin(), order.end(), [](const auto& x, const auto& y) {
        if (x.first != y.first) return x.first > y.first;
        return x.second->version > y.second->version;
    });
    std::vector<const applied_migration*> out;
    for (const auto& o : order) out.push_back(o.second);
    return out;
}

/// Versions whose `down` success row is in effect (rolled back): applying one of
/// them again marks that row reverted. Sorted, for binary_search.
std::vector<std::int64_t> rolled_back_versions(const std::vector<history_row>& rows) {
    std::vector<std::int64_t> out;
    for (const history_row& h : rows)
        if (h.dir == direction::down && h.status == row_status::success) out.push_back(h.version);
    std::sort(out.begin(), out.end());
    return out;
}

/// The rollback step for an applied migration, or nullopt when no down SQL exists anywhere.
std::optional<rollback_step> make_step(const db_state& s, const applied_migration& a, const migration_set& set) {
    rollback_step st;
    st.version = a.version;
    st.name = a.name;
    st.checksum = a.checksum;
    st.applied_at = a.applied_at;
    const migration* m = set.find(a.version);
    if (m != nullptr && is_code(*m)) {
        // A C++ migration: its down function, or nothing (no SQL is stored for it).
        if (!m->reversible) return std::nullopt;
        st.file = m->file;
        st.code = m;
        st.no_transaction = m->down_no_transaction;
        return st;
    }
    if (m != nullptr && m->reversible) {
        st.file = m->down_file;
        st.down_sql = m->down_sql;
        st.down_line = m->down_line;
        st.no_transaction = m->down_no_transaction;
        return st;
    }
    const auto stored = s.stored_downs.find(a.version);
    if (stored != s.stored_downs.end()) {
        st.from_history = true;
        st.down_sql = stored->second.sql;
        st.no_transaction = stored->second.no_transaction;
        st.down_line = 1;
        return st;
    }
    return std::nullopt;
}

/// Why a C++ migration cannot be rolled back (a sentence), or "" for a SQL one.
std::string code_not_reversible_note(std::int64_t version, const std::string& name, const std::string& checksum,
                                     const migration_set& set) {
    const migration* m = set.find(version);
    if (m != nullptr && is_code(*m))
        return "\nMigration " + std::to_string(version) + " (" + m->file +
               ") is a C++ migration registered without a down function.";
    if (is_code_checksum(checksum))
        return "\nMigration " + std::to_string(version) + " (\"" + name +
               "\") is a C++ migration (its checksum is " + checksum +
               "): no SQL is stored for it, and only the service that registers it can roll it back, with its "
               "own db rollback command.";
    return {};
}

error usage_error(const std::string& msg, std::optional<std::int64_t> version = std::nullopt) {
    error_location where;
    where.version = version;
    return error(error_code::usage, msg, where);
}

std::string known_range(const migration_set& set) {
    if (set.empty()) return "there are no migrations";
    return "the migrations go from " + std::to_string(set.migrations().front().version) + " to " +
           std::to_string(set.newest_version());
}

} // namespace

std::int64_t effective_up_row_id(const db_state& s, std::int64_t version) {
    const history_row* best = nullptr;
    for (const history_row& r : s.rows)
        if (r.version == version && r.status == row_status::success && (best == nullptr || r.id >= best->id))
            best = &r;
    return best != nullptr && best->dir == direction::up ? best->id : 0;
}

// ------------------------------------------------------------------ up

std::optional<error> empty_migrations_error(const std::vector<const migration*>& planned) {
    std::vector<const migration*> empty;
    for (const migration* m : planned)
        if (!is_code(*m) && is_empty_sql(m->up_sql)) empty.push_back(m);
    if (empty.empty()) return std::nullopt;
    std::string list;
    for (const migration* m : empty)
        list += "\n  - " + m->file + " (line " + std::to_string(m->up_line) + "): " + std::to_string(m->version) + " " +
                m->name;
    error_location where;
    where.file = empty.front()->file;
    where.line = empty.front()->up_line;
    where.version = empty.front()->version;
    return error(error_code::invalid_migration,
                 std::string(empty.size() == 1 ? "a pending migration has" : "pending migrations have") +
                     " no statement in the up SQL (its up section or .up.sql file), only comments and whitespace:" +
                     list +
                     "\nFill it in with the migration's SQL (or delete the file if the change is not needed), then "
                     "apply again. Nothing was applied: applied empty, the migration would be recorded as done, and "
                     "filling it in afterwards would be drift.",
                 where);
}

up_plan plan_up(const db_state& s, const migration_set& set, const up_target& target,
                const std::string& admin_command) {
    const std::optional<std::int64_t>& to = target.to;
    if (to && set.find(*to) == nullptr)
        throw usage_error("--to " + std::to_string(*to) + " is not a version of the migrations (" +
                              known_range(set) + "); nothing was applied",
                          to);
    if (target.steps && *target.steps < 1)
        throw usage_error("--steps " + std::to_string(*target.steps) + " is not a positive number; nothing was applied");
    if (auto refusal = refusal_error(s.report)) throw *refusal;
    up_plan p;
    p.target = target;
    p.warnings = warnings_of(s.report);
    for (const pending_migration& pm : s.report.pending) {
        const migration* m = set.find(pm.version);
        if (!selects(target.phases, m->phase)) {
            p.waiting.push_back(m);
            continue;
        }
        if (to && pm.version > *to) continue;
        if (target.steps && p.migrations.size() >= static_cast<std::size_t>(*target.steps)) continue;
        p.migrations.push_back(m);
    }
    if (target.phases == phase_selection::post_deploy && !p.migrations.empty()) {
        // The post-deploy step runs once the release's pre-deploy migrations are in.
        const migration* last = p.migrations.back();
        for (const migration* w : p.waiting) {
            if (w->version > last->version) break;
            const migration* before = nullptr;
            for (const migration* m : p.migrations)
                if (m->version > w->version) {
                    before = m;
                    break;
                }
            throw error(error_code::pending,
                        "pre-deploy migration " + std::to_string(w->version) + " (" + w->file +
                            ") is pending and older than post-deploy migration " + std::to_string(before->version) +
                            " (" + before->file + "), which may depend on it; nothing was applied. The post-deploy "
                            "step runs after the release's pre-deploy migrations: apply them first (a boot of the "
                            "new release, or " + command_hint(admin_command, "up") + "), or apply both in "
                            "version order with " + command_hint(admin_command, "up --phase all") + ".",
                        error_location{w->file, 0, w->version, {}});
        }
    }
    if (auto empty = empty_migrations_error(p.migrations)) throw *empty;
    p.rolled_back = rolled_back_versions(s.rows);
    for (const resume_point& r : s.resumes)
        if (std::any_of(p.migrations.begin(), p.migrations.end(),
                        [&](const migration* m) { return m->version == r.version; }))
            p.resumes.push_back(r);
    return p;
}

const resume_point* up_plan::resume_of(std::int64_t version) const {
    for (const resume_point& r : resumes)
        if (r.version == version) return &r;
    return nullptr;
}

// ------------------------------------------------------------------ rollback

std::vector<rollback_step> rollback_candidates(const db_state& s, const migration_set& set,
                                              const rollback_target& target) {
    std::vector<rollback_step> out;
    int taken = 0;
    for (const applied_migration* a : reverse_applied_order(s)) {
        if (target.to ? a->version <= *target.to : taken >= target.steps) continue;
        ++taken;
        std::optional<rollback_step> st = make_step(s, *a, set);
        if (!st) {
            st.emplace();
            st->version = a->version;
            st->name = a->name;
            st->checksum = a->checksum;
            st->applied_at = a->applied_at;
            st->reversible = false;
        }
        out.push_back(std::move(*st));
    }
    return out;
}

rollback_plan plan_rollback(const db_state& s, const migration_set& set, const options& opts,
                            const rollback_target& target) {
    // Failed or interrupted runs first: the state is uncertain until repaired.
    // (A run that `up` would resume refuses here too: resume it first.)
    reconcile_report failures = filtered(s.report, [](const problem& p) { return is_failure_kind(p.kind); });
    for (problem& p : failures.problems) p.level = severity::refusal;
    if (auto refusal = refusal_error(failures)) throw *refusal;

    if (target.to && *target.to != 0 && set.find(*target.to) == nullptr && find_applied(s, *target.to) == nullptr)
        throw usage_error("--to " + std::to_string(*target.to) +
                              " is neither an applied version nor a version of the migrations (" + known_range(set) +
                              "); use --to 0 to roll back everything. Nothing was rolled back.",
                          target.to);
    if (!target.to && target.steps < 1)
        throw usage_error("--steps must be at least 1 (got " + std::to_string(target.steps) + ")");

    rollback_plan plan;
    std::vector<rollback_step> chosen = rollback_candidates(s, set, target);
    const auto is_chosen = [&](std::int64_t v) {
        return std::any_of(chosen.begin(), chosen.end(), [v](const rollback_step& st) { return st.version == v; });
    };

    // Drift of a migration to roll back: its down SQL was written for other up SQL.
    const reconcile_report drift = filtered(s.report, [&](const problem& p) {
        return p.kind == problem_kind::drift && p.level == severity::refusal && is_chosen(p.version);
    });
    if (auto refusal = refusal_error(drift)) {
        throw error(refusal->code(),
                    std::string(refusal->what()) +
                        "\nRolling back a migration whose file changed after it was applied could run down SQL "
                        "that does not match what was applied. Nothing was rolled back.",
                    refusal->where());
    }

    std::vector<std::string> missing;
    std::string code_notes;
    std::optional<std::int64_t> first_missing;
    for (rollback_step& st : chosen) {
        if (!st.reversible) {
            const applied_migration* a = find_applied(s, st.version);
            missing.push_back(label(st.version, st.name, a != nullptr ? a->file : std::string()));
            if (!first_missing) first_missing = st.version;
            code_notes += code_not_reversible_note(st.version, st.name, st.checksum, set);
            continue;
        }
        plan.steps.push_back(std::move(st));
    }
    if (!missing.empty()) {
        std::string msg = "cannot roll back: ";
        for (std::size_t i = 0; i < missing.size(); ++i) msg += (i ? ", " : "") + missing[i];
        msg += missing.size() == 1 ? " is" : " are";
        msg += " not reversible (no down section or .down.sql file, and no down SQL stored in " +
               opts.history_table.qualified() +
               "). Nothing was rolled back. Write a new migration that undoes the change instead, or, if the "
               "change was undone by hand, record it with " +
               command_hint(opts.admin_command, "force V") + "." + code_notes;
        error_location where;
        where.version = first_missing;
        throw error(error_code::not_reversible, msg, where);
    }
    for (const problem& p : s.report.problems)
        if (!is_failure_kind(p.kind) && !(p.kind == problem_kind::drift && is_chosen(p.version)))
            plan.warnings.push_back(p);
    return plan;
}

// ------------------------------------------------------------------ redo

redo_plan plan_redo(const db_state& s, const migration_set& set, const options& opts) {
    redo_plan plan;
    const auto order = reverse_applied_order(s);
    if (order.empty()) {
        // Nothing applied: still refuse on problems, like up would.
        if (auto refusal = refusal_error(s.report)) throw *refusal;
        return plan;
    }
    const applied_migration& latest = *order.front();
    const reconcile_report rest = filtered(s.report, [&](const problem& p) {
        return !(p.kind == problem_kind::drift && p.version == latest.version);
    });
    if (auto refusal = refusal_error(rest)) throw *refusal;
    const migration* m = set.find(latest.version);
    if (m == nullptr) {
        error_location where;
        where.version = latest.version;
        throw error(error_code::policy,
                    "cannot redo " + label(latest.version, latest.name, "") +
                        ": the migrations do not include it, so it could not be applied again. Nothing was changed.",
                    where);
    }
    auto st = make_step(s, latest, set);
    if (!st) {
        error_location where;
        where.version = latest.version;
        where.file = m->file;
        throw error(error_code::not_reversible,
                    "cannot redo " + label(latest.version, latest.name, m->file) +
                        ": it is not reversible (no down section or .down.sql file, and no down SQL stored in " +
                        opts.history_table.qualified() + "). Nothing was changed." +
                        code_not_reversible_note(latest.version, latest.name, latest.checksum, set),
                    where);
    }
    plan.down.steps.push_back(std::move(*st));
    plan.down.warnings = warnings_of(rest);
    plan.up.migrations.push_back(m);
    plan.up.warnings = plan.down.warnings;
    plan.up.rolled_back.push_back(m->version); // its down row, written just before, is superseded
    return plan;
}

// ------------------------------------------------------------------ baseline, repair, force

namespace {

/// The up SQL a row recording `m`'s checksum stores with it.
void record_up_sql(bookkeeping_change& ch, const migration& m) {
    if (const std::optional<std::string_view> text = up_sql_to_record(m.up_sql)) ch.up_sql = std::string(*text);
    ch.up_sql_bytes = static_cast<std::int64_t>(m.up_sql.size());
}

} // namespace

void mark_applied(bookkeeping_plan& plan, const migration& m) {
    bookkeeping_change ch;
    ch.action = "mark_applied";
    ch.version = m.version;
    ch.name = m.name;
    ch.file = m.file;
    ch.checksum = m.checksum;
    if (m.reversible && !is_code(m)) ch.down_sql = m.down_sql;
    if (!is_code(m)) record_up_sql(ch, m); // a C++ migration has no text: NULL
    ch.phase = m.phase;
    ch.detail = "record " + std::to_string(m.version) + " " + m.name + " as applied (its SQL is not run)";
    plan.changes.push_back(std::move(ch));
}

namespace {

/// The failed/running rows, marked repaired.
void clear_failed(const db_state& s, const migration_set& set, bookkeeping_plan& plan) {
    for (const history_row& r : s.report.outstanding) {
        bookkeeping_change ch;
        ch.action = "clear_failed";
        ch.version = r.version;
        ch.name = r.name;
        if (const migration* m = set.find(r.version)) ch.file = m->file;
        ch.row_id = r.id;
        ch.detail = "mark history row " + std::to_string(r.id) + " (" + to_string(r.dir) + " of " +
                    std::to_string(r.version) + " " + r.name + ", " + to_string(r.status) + " at " + r.applied_at +
                    (r.error_message.empty() ? std::string() : ": " + r.error_message) + ") as repaired";
        plan.changes.push_back(std::move(ch));
    }
}

} // namespace

bookkeeping_plan plan_baseline(const db_state& s, const migration_set& set, const options& opts,
                               std::int64_t version) {
    if (s.table_exists && !s.rows.empty()) {
        error_location where;
        where.version = version;
        throw error(error_code::policy,
                    opts.history_table.qualified() + " already has " + std::to_string(s.rows.size()) +
                        (s.rows.size() == 1 ? " row" : " rows") +
                        "; baseline is only for a database pgmig has never migrated. Nothing was changed. See " +
                        command_hint(opts.admin_command, "status") + "; to set the recorded state deliberately use " +
                        command_hint(opts.admin_command, "force V") + ".",
                    where);
    }
    if (set.find(version) == nullptr)
        throw usage_error("--version " + std::to_string(version) + " is not a version of the migrations (" +
                              known_range(set) + "); nothing was changed",
                          version);
    bookkeeping_plan plan;
    plan.command = "baseline";
    plan.create_history_table = !s.table_exists;
    for (const migration& m : set) {
        if (m.version > version) break;
        mark_applied(plan, m);
    }
    return plan;
}

bookkeeping_plan plan_repair(const db_state& s, const migration_set& set, bool accept_checksums) {
    bookkeeping_plan plan;
    plan.command = "repair";
    clear_failed(s, set, plan);
    if (accept_checksums) {
        for (const drifted_migration& d : s.report.drifted) {
            bookkeeping_change ch;
            ch.action = "accept_checksum";
            ch.version = d.version;
            ch.name = d.name;
            ch.file = d.file;
            ch.row_id = effective_up_row_id(s, d.version);
            ch.old_checksum = d.recorded_checksum;
            ch.new_checksum = d.current_checksum;
            if (const migration* m = set.find(d.version)) record_up_sql(ch, *m);
            ch.detail = "record the current checksum of " + std::to_string(d.version) + " " + d.name + " (" +
                        d.file + "): " + d.recorded_checksum + " -> " + d.current_checksum;
            plan.changes.push_back(std::move(ch));
        }
    }
    return plan;
}

bookkeeping_plan plan_force(const db_state& s, const migration_set& set, std::int64_t version) {
    if (version < 0 || (version != 0 && set.find(version) == nullptr && find_applied(s, version) == nullptr))
        throw usage_error("version " + std::to_string(version) +
                              " is neither 0, an applied version nor a version of the migrations (" +
                              known_range(set) + "); nothing was changed",
                          version);
    bookkeeping_plan plan;
    plan.command = "force";
    clear_failed(s, set, plan);
    for (const applied_migration* a : reverse_applied_order(s)) {
        if (a->version <= version) continue;
        bookkeeping_change ch;
        ch.action = "mark_rolled_back";
        ch.version = a->version;
        ch.name = a->name;
        ch.file = a->file;
        ch.checksum = a->checksum;
        ch.row_id = effective_up_row_id(s, a->version);
        ch.detail = "record " + std::to_string(a->version) + " " + a->name +
                    " as rolled back (its down SQL is not run)";
        plan.changes.push_back(std::move(ch));
    }
    for (const pending_migration& p : s.report.pending) {
        if (p.version > version) continue;
        mark_applied(plan, *set.find(p.version));
    }
    plan.create_history_table = !s.table_exists && !plan.changes.empty();
    return plan;
}

// ------------------------------------------------------------------ comparing plans

bool same(const up_plan& a, const up_plan& b) {
    if (a.migrations != b.migrations || a.resumes.size() != b.resumes.size()) return false;
    for (std::size_t i = 0; i < a.resumes.size(); ++i)
        if (a.resumes[i].version != b.resumes[i].version || a.resumes[i].first != b.resumes[i].first ||
            a.resumes[i].drop_index != b.resumes[i].drop_index)
            return false;
    return true;
}

bool same(const rollback_plan& a, const rollback_plan& b) {
    if (a.steps.size() != b.steps.size()) return false;
    for (std::size_t i = 0; i < a.steps.size(); ++i)
        if (a.steps[i].version != b.steps[i].version || a.steps[i].down_sql != b.steps[i].down_sql ||
            a.steps[i].code != b.steps[i].code)
            return false;
    return true;
}

bool same(const redo_plan& a, const redo_plan& b) { return same(a.down, b.down) && same(a.up, b.up); }

bool same(const bookkeeping_plan& a, const bookkeeping_plan& b) {
    // Whether the history table must be created first is not a change a person confirms.
    if (a.command != b.command || a.changes.size() != b.changes.size()) return false;
    for (std::size_t i = 0; i < a.changes.size(); ++i) {
        const bookkeeping_change& x = a.changes[i];
        const bookkeeping_change& y = b.changes[i];
        if (x.action != y.action || x.version != y.version || x.name != y.name || x.row_id != y.row_id ||
            x.checksum != y.checksum || x.old_checksum != y.old_checksum || x.new_checksum != y.new_checksum ||
            x.down_sql != y.down_sql)
            return false;
    }
    return true;
}

bool empty(const up_plan& p) { return p.migrations.empty(); }
bool empty(const rollback_plan& p) { return p.steps.empty(); }
bool empty(const redo_plan& p) { return p.down.steps.empty(); }
bool empty(const bookkeeping_plan& p) { return p.changes.empty(); }

} // namespace pgmig::detail::core
