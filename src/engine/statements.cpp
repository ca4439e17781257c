// The SQL a plan sends (for --dry-run, and the bookkeeping transaction).
#include "engine/statements.hpp"
#include "engine/executor_code.hpp"
#include "engine/connect.hpp"
#include "engine/executor.hpp"
#include "engine/executor_notx.hpp"
#include "engine/history.hpp"
#include "engine/lock.hpp"

#include <algorithm>

namespace pgmig::detail::engine {

std::string history_down_label(const options& opts) {
    return "down SQL stored in " + opts.history_table.qualified();
}

statement session_statement(const options& opts) {
    std::string sql = "SET application_name = " + quote_literal(opts.application_name);
    for (const session_setting& s : session_settings(opts)) sql += "; SET " + s.first + " = " + quote_literal(s.second);
    return {0,
            "session settings of every pgmig connection (sent in the startup packet; as these SETs when a pooler "
            "refuses startup options; lock_timeout in ms)",
            sql};
}

namespace {

/// The fence a real run's migration transactions carry (session mode, the
/// default on a direct connection), with the run's random key and the lock
/// session's pid as placeholders. Through a transaction pooler the run takes a
/// transaction-scoped lock in each transaction instead (README, the lock).
lock_fence dry_run_fence(const options& opts) {
    lock_fence f;
    f.status_sql = session_fence_status_sql(advisory_lock_key(opts.history_table), "0 /* the run's random key */",
                                            "<the lock session's pid>");
    return f;
}

/// `body` after the session settings, when it runs anything.
std::vector<statement> in_session(std::vector<statement> body, const options& opts) {
    if (body.empty()) return body;
    body.insert(body.begin(), session_statement(opts));
    return body;
}

} // namespace

std::vector<statement> history_setup_statements(const core::db_state& s, const history_table_name& t) {
    std::vector<statement> out;
    if (s.table_exists) return out;
    if (!s.schema_exists) out.push_back({0, "create schema " + t.schema, "CREATE SCHEMA IF NOT EXISTS " + quote_ident(t.schema)});
    out.push_back({0, "create history table " + t.qualified(), history_create_sql(t)});
    return out;
}

std::vector<statement> up_statements(const core::up_plan& p, const core::db_state& s, const options& opts) {
    const lock_fence fence = dry_run_fence(opts);
    std::vector<statement> out;
    std::vector<step_time> times;
    if (!p.migrations.empty()) out = history_setup_statements(s, opts.history_table);
    for (const migration* m : p.migrations) {
        const std::string label = "apply " + std::to_string(m->version) + " " + m->name + " (" + m->file + ")";
        if (m->code != nullptr && m->up_no_transaction) {
            for (std::string& sql : code_no_transaction_sql(opts.history_table, opts, *m, direction::up,
                                                            p.resume_of(m->version)))
                out.push_back({m->version, label + " [C++, no-transaction]", std::move(sql)});
            continue;
        }
        if (!m->up_no_transaction) {
            const bool supersede = std::binary_search(p.rolled_back.begin(), p.rolled_back.end(), m->version);
            out.push_back({m->version, label,
                           up_transaction_sql(opts.history_table, opts, *m, applied_by_sql(), supersede, &fence, true)});
            times.push_back({m->version, direction::up, -1});
            continue;
        }
        for (std::string& sql : no_transaction_sql(opts.history_table, m->version, m->name, m->checksum,
                                                   direction::up, m->up_sql,
                                                   m->reversible ? std::optional<std::string>(m->down_sql)
                                                                 : std::nullopt,
                                                   effective_lock_timeout_ms(opts, m->lock_timeout_ms),
                                                   p.resume_of(m->version), m->phase,
                                                   static_cast<std::int64_t>(opts.batch_statement_timeout.count())))
            out.push_back({m->version, label + (p.resume_of(m->version) ? " [no-transaction, resumed]" : " [no-transaction]"),
                           std::move(sql)});
    }
    if (!times.empty())
        out.push_back({0, "record the measured execution times", execution_times_sql(opts.history_table, times)});
    return in_session(std::move(out), opts);
}

std::vector<statement> rollback_statements(const core::rollback_plan& p, const options& opts) {
    const lock_fence fence = dry_run_fence(opts);
    std::vector<statement> out;
    std::vector<step_time> times;
    for (const core::rollback_step& st : p.steps) {
        const std::string label = "roll back " + std::to_string(st.version) + " " + st.name + " (" +
                                  (st.from_history ? history_down_label(opts) : st.file) + ")";
        if (st.code != nullptr && st.no_transaction) {
            for (std::string& sql : code_no_transaction_sql(opts.history_table, opts, *st.code, direction::down, nullptr))
                out.push_back({st.version, label + " [C++, no-transaction]", std::move(sql)});
            continue;
        }
        if (!st.no_transaction) {
            out.push_back({st.version, label,
                           down_transaction_sql(opts.history_table, opts, st.version, st.name, st.checksum,
                                                st.code != nullptr ? code_placeholder_sql(*st.code, direction::down)
                                                                   : st.down_sql,
                                                applied_by_sql(), &fence)});
            times.push_back({st.version, direction::down, -1});
            continue;
        }
        for (std::string& sql : no_transaction_sql(opts.history_table, st.version, st.name, st.checksum,
                                                   direction::down, st.down_sql, std::nullopt,
                                                   static_cast<std::int64_t>(opts.ddl_lock_timeout.count()), nullptr,
                                                   deploy_phase::pre_deploy,
                                                   static_cast<std::int64_t>(opts.batch_statement_timeout.count())))
            out.push_back({st.version, label + " [no-transaction]", std::move(sql)});
    }
    if (!times.empty())
        out.push_back({0, "record the measured execution times", execution_times_sql(opts.history_table, times)});
    return in_session(std::move(out), opts);
}

std::vector<statement> redo_statements(const core::redo_plan& p, const core::db_state& s, const options& opts) {
    std::vector<statement> out = rollback_statements(p.down, opts);
    core::db_state exists = s;
    exists.table_exists = true; // a redo always has a history table
    std::vector<statement> up = up_statements(p.up, exists, opts);
    // One session: its settings once, first.
    for (std::size_t i = out.empty() || up.empty() ? 0 : 1; i < up.size(); ++i) out.push_back(std::move(up[i]));
    return out;
}

namespace {

/// The up_sql and up_sql_bytes values of a change's row, as SQL (up_sql_values' rule, from what the plan kept).
struct up_sql_columns {
    std::string text, bytes;
};
up_sql_columns change_up_sql(const core::bookkeeping_change& ch, bool dry_run) {
    if (!ch.up_sql) return {"NULL", std::to_string(ch.up_sql_bytes)};
    return {dry_run ? "<the up SQL of " + ch.file + ", as a literal>" : quote_literal(*ch.up_sql),
            std::to_string(ch.up_sql_bytes)};
}

} // namespace

std::string bookkeeping_sql(const core::bookkeeping_plan& p, const options& opts, bool dry_run) {
    if (p.changes.empty()) return {};
    const std::string tbl = qualified_table(opts.history_table);
    const std::string applied_by = applied_by_sql() + " || ' via " + p.command + "'";
    std::vector<std::string> parts;
    std::string repaired; // the ids of the failed/running rows, marked repaired by one UPDATE
    for (const core::bookkeeping_change& ch : p.changes) {
        if (ch.action == "clear_failed") {
            repaired += (repaired.empty() ? "" : ", ") + std::to_string(ch.row_id);
        } else if (ch.action == "accept_checksum") {
            // The text the new checksum hashes goes with it.
            const up_sql_columns up = change_up_sql(ch, dry_run);
            parts.push_back("UPDATE " + tbl + " SET checksum = " + quote_literal(ch.new_checksum) + ", up_sql = " +
                            up.text + ", up_sql_bytes = " + up.bytes + " WHERE id = " +
                            std::to_string(ch.row_id) + " AND status = 'success'");
        } else if (ch.action == "mark_rolled_back") {
            parts.push_back(down_bookkeeping_sql(opts.history_table, ch.version, ch.name, ch.checksum, "0", applied_by));
        } else if (ch.action == "mark_applied") {
            const up_sql_columns up = change_up_sql(ch, dry_run);
            parts.push_back(up_bookkeeping_sql(opts.history_table, ch.version, ch.name, ch.checksum, ch.down_sql,
                                               up.text + ", " + up.bytes, "0", applied_by, ch.phase));
        }
    }
    if (!repaired.empty())
        parts.insert(parts.begin(), "UPDATE " + tbl + " SET status = 'repaired' WHERE id IN (" + repaired +
                                        ") AND status IN ('failed', 'running')");
    std::string sql = "BEGIN;\n";
    for (const std::string& part : parts) sql += part + ";\n";
    sql += "COMMIT";
    return sql;
}

std::vector<statement> bookkeeping_statements(const core::bookkeeping_plan& p, const core::db_state& s, const options& opts) {
    std::vector<statement> out;
    if (p.create_history_table) out = history_setup_statements(s, opts.history_table);
    const std::string sql = bookkeeping_sql(p, opts, true);
    if (!sql.empty()) out.push_back({0, "record the changes in the history table", sql});
    return in_session(std::move(out), opts);
}

} // namespace pgmig::detail::engine
