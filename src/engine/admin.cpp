// Database operations behind the admin commands: plans, dry-run statements, execution.
#include "engine/admin.hpp"
#include "engine/schema_snapshot.hpp"
#include "core/sql_lexer.hpp"
#include "lint/rules.hpp"

#include <pgmig/lint.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

namespace pgmig::detail::admin {

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

std::string history_down_label(const options& opts) {
    return "down SQL stored in " + opts.history_table.qualified();
}

/// The rollback step for an applied migration, or nullopt when no down SQL exists anywhere.
std::optional<rollback_step> make_step(db_connection& c, const applied_migration& a, const migration_set& set,
                                       const options& opts) {
    rollback_step st;
    st.version = a.version;
    st.name = a.name;
    st.checksum = a.checksum;
    st.applied_at = a.applied_at;
    const migration* m = set.find(a.version);
    if (m != nullptr && m->reversible) {
        st.file = m->down_file;
        st.down_sql = m->down_sql;
        st.down_line = m->down_line;
        st.no_transaction = m->down_no_transaction;
        return st;
    }
    if (auto stored = stored_down_sql(c, opts.history_table, a.version)) {
        st.from_history = true;
        st.down_sql = *stored;
        st.no_transaction = needs_no_transaction(st.down_sql);
        st.down_line = 1;
        return st;
    }
    return std::nullopt;
}

std::string bookkeeping_applied_by(const char* via) { return applied_by_sql() + " || ' via " + via + "'"; }

std::string transaction_of(const std::vector<std::string>& parts) {
    if (parts.empty()) return {};
    std::string sql = "BEGIN;\n";
    for (const std::string& p : parts) sql += p + ";\n";
    sql += "COMMIT";
    return sql;
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

// ------------------------------------------------------------------ state

db_state read_state(db_connection& c, const migration_set& set, const options& opts) {
    db_state s;
    s.schema_exists = !c.query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = " +
                               quote_literal(opts.history_table.schema))
                           .empty();
    s.table_exists = s.schema_exists && check_history_table(c, opts.history_table);
    if (s.table_exists) s.rows = read_history(c, opts.history_table);
    s.report = reconcile(set, s.rows, opts.policy);
    return s;
}

std::vector<statement> history_setup_statements(const db_state& s, const history_table_name& t) {
    std::vector<statement> out;
    if (s.table_exists) return out;
    if (!s.schema_exists) out.push_back({0, "create schema " + t.schema, "CREATE SCHEMA IF NOT EXISTS " + quote_ident(t.schema)});
    out.push_back({0, "create history table " + t.qualified(), history_create_sql(t)});
    return out;
}

std::int64_t effective_up_row_id(const db_state& s, std::int64_t version) {
    const history_row* best = nullptr;
    for (const history_row& r : s.rows)
        if (r.version == version && r.status == row_status::success && (best == nullptr || r.id >= best->id))
            best = &r;
    return best != nullptr && best->dir == direction::up ? best->id : 0;
}

// ------------------------------------------------------------------ up

up_plan plan_up(const db_state& s, const migration_set& set, std::optional<std::int64_t> to) {
    if (to && set.find(*to) == nullptr)
        throw usage_error("--to " + std::to_string(*to) + " is not a version of the migrations (" +
                              known_range(set) + "); nothing was applied",
                          to);
    if (auto refusal = refusal_error(s.report)) throw *refusal;
    up_plan p;
    p.to = to;
    p.warnings = warnings_of(s.report);
    for (const pending_migration& pm : s.report.pending) {
        if (to && pm.version > *to) continue;
        p.migrations.push_back(set.find(pm.version));
    }
    p.rolled_back = rolled_back_versions(s.rows);
    return p;
}

std::vector<statement> up_statements(const up_plan& p, const db_state& s, const options& opts) {
    std::vector<statement> out;
    std::vector<step_time> times;
    if (!p.migrations.empty()) out = history_setup_statements(s, opts.history_table);
    for (const migration* m : p.migrations) {
        const std::string label = "apply " + std::to_string(m->version) + " " + m->name + " (" + m->file + ")";
        if (!m->up_no_transaction) {
            const bool supersede = std::binary_search(p.rolled_back.begin(), p.rolled_back.end(), m->version);
            out.push_back({m->version, label, up_transaction_sql(opts.history_table, opts, *m, applied_by_sql(), supersede)});
            times.push_back({m->version, direction::up, -1});
            continue;
        }
        for (std::string& sql : no_transaction_sql(opts.history_table, m->version, m->name, m->checksum,
                                                   direction::up, m->up_sql,
                                                   m->reversible ? std::optional<std::string>(m->down_sql)
                                                                 : std::nullopt,
                                                   effective_lock_timeout_ms(opts, m->lock_timeout_ms)))
            out.push_back({m->version, label + " [no-transaction]", std::move(sql)});
    }
    if (!times.empty())
        out.push_back({0, "record the measured execution times", execution_times_sql(opts.history_table, times)});
    return out;
}

void execute_up(db_connection& c, const up_plan& p, const options& opts, const logger& log,
                const observer& obs, std::vector<applied_step>& done) {
    exec_context ctx{c, opts.history_table, opts, log};
    const int total = static_cast<int>(p.migrations.size());
    int index = 0;
    for (const migration* m : p.migrations) {
        ++index;
        if (obs.begin) obs.begin("apply", m->version, m->name, m->file, index, total);
        const std::int64_t ms =
            apply_up(ctx, *m, std::binary_search(p.rolled_back.begin(), p.rolled_back.end(), m->version));
        done.push_back({m->version, m->name, m->file, ms});
        if (obs.end) obs.end(m->version, ms);
    }
    ctx.record_times();
}

// ------------------------------------------------------------------ rollback

rollback_plan plan_rollback(db_connection& c, const db_state& s, const migration_set& set, const options& opts,
                            const rollback_target& target) {
    // Failed or interrupted runs first: the state is uncertain until repaired.
    const reconcile_report failures =
        filtered(s.report, [](const problem& p) { return is_failure_kind(p.kind); });
    if (auto refusal = refusal_error(failures)) throw *refusal;

    if (target.to && *target.to != 0 && set.find(*target.to) == nullptr && find_applied(s, *target.to) == nullptr)
        throw usage_error("--to " + std::to_string(*target.to) +
                              " is neither an applied version nor a version of the migrations (" + known_range(set) +
                              "); use --to 0 to roll back everything. Nothing was rolled back.",
                          target.to);
    if (!target.to && target.steps < 1)
        throw usage_error("--steps must be at least 1 (got " + std::to_string(target.steps) + ")");

    std::vector<const applied_migration*> chosen;
    int taken = 0;
    for (const applied_migration* a : reverse_applied_order(s)) {
        if (target.to) {
            if (a->version > *target.to) chosen.push_back(a);
        } else if (taken < target.steps) {
            chosen.push_back(a);
            ++taken;
        }
    }

    rollback_plan plan;
    std::vector<std::int64_t> chosen_versions;
    for (const applied_migration* a : chosen) chosen_versions.push_back(a->version);
    const auto is_chosen = [&](std::int64_t v) {
        return std::find(chosen_versions.begin(), chosen_versions.end(), v) != chosen_versions.end();
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
    std::optional<std::int64_t> first_missing;
    for (const applied_migration* a : chosen) {
        auto st = make_step(c, *a, set, opts);
        if (!st) {
            missing.push_back(label(a->version, a->name, a->file));
            if (!first_missing) first_missing = a->version;
            continue;
        }
        plan.steps.push_back(std::move(*st));
    }
    if (!missing.empty()) {
        std::string msg = "cannot roll back: ";
        for (std::size_t i = 0; i < missing.size(); ++i) msg += (i ? ", " : "") + missing[i];
        msg += missing.size() == 1 ? " is" : " are";
        msg += " not reversible (no down section or .down.sql file, and no down SQL stored in " +
               opts.history_table.qualified() +
               "). Nothing was rolled back. Write a new migration that undoes the change instead, or, if the "
               "change was undone by hand, record it with `force`.";
        error_location where;
        where.version = first_missing;
        throw error(error_code::not_reversible, msg, where);
    }
    for (const problem& p : s.report.problems)
        if (!is_failure_kind(p.kind) && !(p.kind == problem_kind::drift && is_chosen(p.version)))
            plan.warnings.push_back(p);
    return plan;
}

std::vector<statement> rollback_statements(const rollback_plan& p, const options& opts) {
    std::vector<statement> out;
    std::vector<step_time> times;
    for (const rollback_step& st : p.steps) {
        const std::string label = "roll back " + std::to_string(st.version) + " " + st.name + " (" +
                                  (st.from_history ? history_down_label(opts) : st.file) + ")";
        if (!st.no_transaction) {
            out.push_back({st.version, label,
                           down_transaction_sql(opts.history_table, opts, st.version, st.name, st.checksum,
                                                st.down_sql, applied_by_sql())});
            times.push_back({st.version, direction::down, -1});
            continue;
        }
        for (std::string& sql : no_transaction_sql(opts.history_table, st.version, st.name, st.checksum,
                                                   direction::down, st.down_sql, std::nullopt,
                                                   static_cast<std::int64_t>(opts.ddl_lock_timeout.count())))
            out.push_back({st.version, label + " [no-transaction]", std::move(sql)});
    }
    if (!times.empty())
        out.push_back({0, "record the measured execution times", execution_times_sql(opts.history_table, times)});
    return out;
}

void execute_rollback(db_connection& c, const rollback_plan& p, const options& opts, const logger& log,
                      const observer& obs, std::vector<applied_step>& done) {
    exec_context ctx{c, opts.history_table, opts, log};
    const int total = static_cast<int>(p.steps.size());
    int index = 0;
    for (const rollback_step& st : p.steps) {
        ++index;
        const std::string file = st.from_history ? history_down_label(opts) : st.file;
        if (obs.begin) obs.begin("roll back", st.version, st.name, file, index, total);
        const std::int64_t ms = apply_down(ctx, st.version, st.name, st.checksum, st.down_sql, file, st.down_line,
                                           st.no_transaction);
        done.push_back({st.version, st.name, file, ms});
        if (obs.end) obs.end(st.version, ms);
    }
    ctx.record_times();
}

// ------------------------------------------------------------------ redo

redo_plan plan_redo(db_connection& c, const db_state& s, const migration_set& set, const options& opts) {
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
    auto st = make_step(c, latest, set, opts);
    if (!st) {
        error_location where;
        where.version = latest.version;
        where.file = m->file;
        throw error(error_code::not_reversible,
                    "cannot redo " + label(latest.version, latest.name, m->file) +
                        ": it is not reversible (no down section or .down.sql file, and no down SQL stored in " +
                        opts.history_table.qualified() + "). Nothing was changed.",
                    where);
    }
    plan.down.steps.push_back(std::move(*st));
    plan.down.warnings = warnings_of(rest);
    plan.up.migrations.push_back(m);
    plan.up.warnings = plan.down.warnings;
    plan.up.rolled_back.push_back(m->version); // its down row, written just before, is superseded
    return plan;
}

std::vector<statement> redo_statements(const redo_plan& p, const db_state& s, const options& opts) {
    std::vector<statement> out = rollback_statements(p.down, opts);
    db_state exists = s;
    exists.table_exists = true; // a redo always has a history table
    for (statement& st : up_statements(p.up, exists, opts)) out.push_back(std::move(st));
    return out;
}

// ------------------------------------------------------------------ bookkeeping commands

namespace {

// Record `m` as applied without running its SQL (baseline, force): the change for
// the confirmation and the bookkeeping statement, with applied_by "… via <how>".
void mark_applied(bookkeeping_plan& plan, std::vector<std::string>& parts, const migration& m, const options& opts,
                  const char* how) {
    bookkeeping_change ch;
    ch.action = "mark_applied";
    ch.version = m.version;
    ch.name = m.name;
    ch.file = m.file;
    ch.detail = "record " + std::to_string(m.version) + " " + m.name + " as applied (its SQL is not run)";
    plan.changes.push_back(ch);
    parts.push_back(up_bookkeeping_sql(opts.history_table, m.version, m.name, m.checksum,
                                       m.reversible ? std::optional<std::string>(m.down_sql) : std::nullopt, "0",
                                       bookkeeping_applied_by(how)));
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
                        "; baseline is only for a database pgmig has never migrated. Nothing was changed. See "
                        "`status`; to set the recorded state deliberately use `force V`.",
                    where);
    }
    if (set.find(version) == nullptr)
        throw usage_error("--version " + std::to_string(version) + " is not a version of the migrations (" +
                              known_range(set) + "); nothing was changed",
                          version);
    bookkeeping_plan plan;
    plan.setup = history_setup_statements(s, opts.history_table);
    std::vector<std::string> parts;
    for (const migration& m : set) {
        if (m.version > version) break;
        mark_applied(plan, parts, m, opts, "baseline");
    }
    plan.sql = transaction_of(parts);
    return plan;
}

namespace {

void add_clear_failed(const db_state& s, const migration_set& set, const options& opts, bookkeeping_plan& plan,
                      std::vector<std::string>& parts) {
    std::vector<std::string> ids;
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
        plan.changes.push_back(ch);
        ids.push_back(std::to_string(r.id));
    }
    if (ids.empty()) return;
    std::string list;
    for (std::size_t i = 0; i < ids.size(); ++i) list += (i ? ", " : "") + ids[i];
    parts.push_back("UPDATE " + qualified_table(opts.history_table) + " SET status = 'repaired' WHERE id IN (" +
                    list + ") AND status IN ('failed', 'running')");
}

} // namespace

bookkeeping_plan plan_repair(const db_state& s, const migration_set& set, const options& opts,
                             bool accept_checksums) {
    bookkeeping_plan plan;
    std::vector<std::string> parts;
    add_clear_failed(s, set, opts, plan, parts);
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
            ch.detail = "record the current checksum of " + std::to_string(d.version) + " " + d.name + " (" +
                        d.file + "): " + d.recorded_checksum + " -> " + d.current_checksum;
            plan.changes.push_back(ch);
            parts.push_back("UPDATE " + qualified_table(opts.history_table) +
                            " SET checksum = " + quote_literal(d.current_checksum) +
                            " WHERE id = " + std::to_string(ch.row_id) + " AND status = 'success'");
        }
    }
    plan.sql = transaction_of(parts);
    return plan;
}

bookkeeping_plan plan_force(const db_state& s, const migration_set& set, const options& opts,
                            std::int64_t version) {
    if (version < 0 || (version != 0 && set.find(version) == nullptr && find_applied(s, version) == nullptr))
        throw usage_error("version " + std::to_string(version) +
                              " is neither 0, an applied version nor a version of the migrations (" +
                              known_range(set) + "); nothing was changed",
                          version);
    bookkeeping_plan plan;
    plan.setup = history_setup_statements(s, opts.history_table);
    std::vector<std::string> parts;
    add_clear_failed(s, set, opts, plan, parts);
    for (const applied_migration* a : reverse_applied_order(s)) {
        if (a->version <= version) continue;
        bookkeeping_change ch;
        ch.action = "mark_rolled_back";
        ch.version = a->version;
        ch.name = a->name;
        ch.file = a->file;
        ch.row_id = effective_up_row_id(s, a->version);
        ch.detail = "record " + std::to_string(a->version) + " " + a->name +
                    " as rolled back (its down SQL is not run)";
        plan.changes.push_back(ch);
        parts.push_back(down_bookkeeping_sql(opts.history_table, a->version, a->name, a->checksum, "0",
                                             bookkeeping_applied_by("force")));
    }
    for (const pending_migration& p : s.report.pending) {
        if (p.version > version) continue;
        const migration& m = *set.find(p.version);
        mark_applied(plan, parts, m, opts, "force");
    }
    if (plan.changes.empty()) plan.setup.clear();
    plan.sql = transaction_of(parts);
    return plan;
}

std::vector<statement> bookkeeping_statements(const bookkeeping_plan& p) {
    std::vector<statement> out = p.setup;
    if (!p.sql.empty()) out.push_back({0, "record the changes in the history table", p.sql});
    return out;
}

void execute_bookkeeping(db_connection& c, const bookkeeping_plan& p, const options& opts) {
    if (!p.setup.empty()) ensure_history_table(c, opts.history_table);
    if (p.sql.empty()) return;
    try {
        c.exec(p.sql);
    } catch (const db_error& e) {
        try {
            c.exec("ROLLBACK");
        } catch (const std::exception&) {
        }
        throw error(error_code::database,
                    "updating " + opts.history_table.qualified() + " failed: " + e.primary + " (SQLSTATE " +
                        e.sqlstate + "); nothing was changed",
                    error_location{"", 0, std::nullopt, e.sqlstate});
    }
}

// ------------------------------------------------------------------ comparing plans

bool same_versions(const rollback_plan& a, const rollback_plan& b) {
    if (a.steps.size() != b.steps.size()) return false;
    for (std::size_t i = 0; i < a.steps.size(); ++i)
        if (a.steps[i].version != b.steps[i].version || a.steps[i].down_sql != b.steps[i].down_sql) return false;
    return true;
}

bool same_changes(const bookkeeping_plan& a, const bookkeeping_plan& b) { return a.sql == b.sql; }

// ------------------------------------------------------------------ live risk

std::map<std::string, table_size> table_sizes(db_connection& c, const std::vector<std::string>& relations) {
    std::map<std::string, table_size> out;
    std::string values;
    for (const std::string& r : relations) {
        if (r.empty() || out.count(r) != 0) continue;
        out[r] = table_size{};
        // Quote each part, so that a name written quoted ("Orders") is not folded.
        const std::size_t dot = r.find('.');
        const std::string qualified =
            dot == std::string::npos ? quote_ident(r) : quote_ident(r.substr(0, dot)) + "." + quote_ident(r.substr(dot + 1));
        values += std::string(values.empty() ? "" : ", ") + "(" + quote_literal(r) + ", " + quote_literal(qualified) + ")";
    }
    if (values.empty()) return out;
    const db_result res = c.query(
        "SELECT n.name, c.oid IS NOT NULL AS found,"
        " CASE WHEN c.oid IS NULL OR c.reltuples < 0 THEN NULL"
        " ELSE c.reltuples::bigint END AS est_rows,"
        " CASE WHEN c.oid IS NULL THEN NULL ELSE pg_catalog.pg_total_relation_size(c.oid) END AS total_bytes"
        " FROM (VALUES " + values + ") AS n(name, qualified)"
        " LEFT JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(n.qualified)");
    for (std::size_t i = 0; i < res.size(); ++i) {
        table_size& t = out[res.text(i, 0)];
        t.exists = res.text(i, 1) == "t";
        if (!res.is_null(i, 2)) t.rows = std::stoll(res.text(i, 2));
        if (!res.is_null(i, 3)) t.bytes = std::stoll(res.text(i, 3));
    }
    return out;
}

namespace {

/// One decimal below 10 (dropping ".0"), whole numbers above.
std::string scaled(double v) {
    char buf[32];
    if (v < 9.95) {
        std::snprintf(buf, sizeof buf, "%.1f", v);
        std::string s = buf;
        if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
        return s;
    }
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
}

} // namespace

std::string human_rows(std::int64_t rows) {
    const double v = static_cast<double>(rows);
    if (rows < 1000) return "~" + std::to_string(rows) + (rows == 1 ? " row" : " rows");
    if (v < 999500.0) return "~" + scaled(v / 1e3) + " k rows";
    if (v < 999500000.0) return "~" + scaled(v / 1e6) + " M rows";
    return "~" + scaled(v / 1e9) + " G rows";
}

std::string human_bytes(std::int64_t bytes) {
    if (bytes < 1024) return std::to_string(bytes) + " bytes";
    const char* units[] = {"kB", "MB", "GB", "TB", "PB"};
    double v = static_cast<double>(bytes) / 1024.0;
    std::size_t u = 0;
    while (v >= 1023.5 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1024.0;
        ++u;
    }
    return scaled(v) + " " + units[u];
}

// ------------------------------------------------------------------ check-rollback

namespace {

bool has_rule(const migration_lint& l, bool down, lint_detail::rule rule) {
    for (const lint_finding& f : l.findings)
        if (f.down == down && lint_detail::is(f, rule)) return true;
    return false;
}

std::string failure(const db_error& e, const std::string& what, const std::string& file, int section_line) {
    std::string out = what + " failed";
    if (e.line > 0) out += " at " + file + ":" + std::to_string(section_line + e.line - 1);
    return out + ": " + e.primary + " (SQLSTATE " + (e.sqlstate.empty() ? "?????" : e.sqlstate) + ")";
}

} // namespace

std::vector<rollback_check> check_rollbacks(db_connection& c, const std::vector<const migration*>& migrations,
                                            const options& opts) {
    std::vector<rollback_check> out;
    if (migrations.empty()) return out;
    c.exec("BEGIN");
    struct always_rollback {
        db_connection& c;
        ~always_rollback() {
            try {
                c.exec("ROLLBACK");
            } catch (...) {
            }
        }
    } guard{c};
    std::string broken; // why later migrations cannot be checked
    for (const migration* m : migrations) {
        rollback_check r;
        r.version = m->version;
        r.name = m->name;
        r.file = m->file;
        const auto skip = [&](const std::string& why) {
            r.status = "skipped";
            r.reason = why;
            out.push_back(r);
        };
        if (!broken.empty()) {
            skip(broken);
            continue;
        }
        const migration_lint lint = lint_migration(*m, lint_options{true, {}});
        const std::string v = std::to_string(m->version);
        if (m->up_no_transaction || has_rule(lint, false, lint_detail::rule::transaction_control_in_transaction) ||
            has_rule(lint, false, lint_detail::rule::non_transactional_in_transaction)) {
            skip(m->up_no_transaction ? "its up runs outside a transaction (-- pgmig:no-transaction), so it cannot be applied "
                                        "and undone inside the check's transaction"
                                      : "its up holds statements that cannot run inside the check's transaction");
            broken = "migration " + v + " before it could not be applied in the check (" + out.back().reason +
                     "), so its schema cannot be built";
            continue;
        }
        const bool checkable = m->reversible && !m->down_no_transaction &&
                               !has_rule(lint, true, lint_detail::rule::transaction_control_in_transaction) &&
                               !has_rule(lint, true, lint_detail::rule::non_transactional_in_transaction);
        if (m->lock_timeout_ms >= 0)
            c.exec("SET LOCAL lock_timeout = '" + std::to_string(m->lock_timeout_ms) + "ms'");
        else
            c.exec("SET LOCAL lock_timeout = '" + std::to_string(opts.ddl_lock_timeout.count()) + "ms'");
        std::vector<std::string> before;
        if (checkable) before = schema_snapshot(c);
        c.exec("SAVEPOINT pgmig_check_up");
        try {
            if (!is_empty_sql(m->up_sql)) c.exec(m->up_sql);
        } catch (const db_error& e) {
            c.exec("ROLLBACK TO SAVEPOINT pgmig_check_up");
            r.status = "failed";
            r.reason = failure(e, "up", m->file, m->up_line);
            out.push_back(r);
            broken = "migration " + v + " before it failed to apply, so its schema cannot be built";
            continue;
        }
        if (!checkable) {
            skip(!m->reversible ? "not reversible: no down section"
                 : m->down_no_transaction
                     ? "its down runs outside a transaction (-- pgmig:no-transaction), so it cannot be undone inside the check's transaction"
                     : "its down holds statements that cannot run inside the check's transaction");
            continue;
        }
        c.exec("SAVEPOINT pgmig_check_down");
        try {
            if (!is_empty_sql(m->down_sql)) c.exec(m->down_sql);
            const std::vector<std::string> after = schema_snapshot(c);
            r.diff = snapshot_diff(before, after);
            r.status = r.diff.empty() ? "ok" : "differs";
        } catch (const db_error& e) {
            r.status = "failed";
            r.reason = failure(e, "down", m->down_file.empty() ? m->file : m->down_file, m->down_line);
        }
        // Undo the down: the next migration starts from the schema after this up.
        c.exec("ROLLBACK TO SAVEPOINT pgmig_check_down");
        out.push_back(r);
    }
    return out;
}

} // namespace pgmig::detail::admin
