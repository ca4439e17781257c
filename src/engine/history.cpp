// The history table: DDL, shape check, reading.
#include "engine/history.hpp"
#include "core/admin_command.hpp"
#include "core/checksum.hpp"
#include "engine/executor_notx.hpp"

#include <pgmig/error.hpp>
#include <pgmig/reconcile.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <sstream>

#ifdef _WIN32
#include <cstdlib>
#else
#include <unistd.h>
#endif

namespace pgmig::detail {

std::string qualified_table(const history_table_name& t) {
    return quote_ident(t.schema) + "." + quote_ident(t.table);
}

const std::vector<std::pair<std::string, std::string>>& history_columns() {
    static const std::vector<std::pair<std::string, std::string>> cols = {
        {"id", "bigint"},
        {"version", "bigint"},
        {"name", "text"},
        {"checksum", "text"},
        {"applied_at", "timestamp with time zone"},
        {"direction", "text"},
        {"status", "text"},
        {"error_message", "text"},
        {"execution_ms", "bigint"},
        {"applied_by", "text"},
        {"down_sql", "text"},
        {"statements_done", "integer"},
        {"statements_total", "integer"},
    };
    return cols;
}

std::string history_create_sql(const history_table_name& t) {
    std::string index = t.table + "_version_direction_success";
    if (index.size() > 63) index = index.substr(0, 63);
    const std::string q = qualified_table(t);
    return "CREATE TABLE IF NOT EXISTS " + q +
           " (\n"
           "    id               bigserial   PRIMARY KEY,\n"
           "    version          bigint      NOT NULL,\n"
           "    name             text        NOT NULL,\n"
           "    checksum         text        NOT NULL,\n"
           "    applied_at       timestamptz NOT NULL DEFAULT now(),\n"
           "    direction        text        NOT NULL CHECK (direction IN ('up', 'down')),\n"
           "    status           text        NOT NULL CHECK (status IN ('success', 'failed', 'running', 'reverted', 'repaired')),\n"
           "    error_message    text,\n"
           "    execution_ms     bigint      NOT NULL DEFAULT 0,\n"
           "    applied_by       text        NOT NULL DEFAULT '',\n"
           "    down_sql         text,\n"
           "    statements_done  integer     NOT NULL DEFAULT 0,\n"
           "    statements_total integer     NOT NULL DEFAULT 0\n"
           ");\n"
           "CREATE UNIQUE INDEX IF NOT EXISTS " +
           quote_ident(index) + " ON " + q + " (version, direction) WHERE status = 'success'";
}

std::string foreign_table_message(const history_table_name& t, const table_shape& shape,
                                  const std::string& admin_command) {
    if (!shape.exists) return {};
    std::ostringstream cols;
    bool has_dirty = false, version_is_varchar = false;
    for (std::size_t i = 0; i < shape.columns.size(); ++i) {
        if (i) cols << ", ";
        cols << shape.columns[i].first << ' ' << shape.columns[i].second;
        if (shape.columns[i].first == "dirty") has_dirty = true;
        if (shape.columns[i].first == "version" &&
            shape.columns[i].second.rfind("character varying", 0) == 0)
            version_is_varchar = true;
    }
    if (shape.is_table) {
        bool all = true;
        for (const auto& want : history_columns()) {
            bool found = false;
            for (const auto& have : shape.columns)
                if (have.first == want.first && have.second == want.second) found = true;
            if (!found) {
                all = false;
                break;
            }
        }
        if (all) return {};
    }
    std::string looks_like;
    if (!shape.is_table)
        looks_like = "it is not a table";
    else if (has_dirty)
        looks_like = "it looks like golang-migrate's history table";
    else if (version_is_varchar)
        looks_like = "it looks like a Rails or dbmate history table";
    else
        looks_like = "it is not a pgmig history table";
    return t.qualified() + " exists but has another shape (" + cols.str() + "); " + looks_like +
           ". pgmig never writes to a table it does not own. Choose another history table "
           "(options.history_table / --history-table, e.g. " +
           t.schema + ".pgmig_migrations), or migrate the other tool's history with " +
           command_hint(admin_command, "baseline --version V") + ".";
}

table_shape inspect_table(db_connection& c, const history_table_name& t) {
    const db_result r = c.query(
        "SELECT c.relkind::text, a.attname::text, format_type(a.atttypid, a.atttypmod) "
        "FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
        "WHERE n.nspname = " + quote_literal(t.schema) + " AND c.relname = " + quote_literal(t.table) +
        " ORDER BY a.attnum");
    table_shape s;
    if (r.empty()) return s;
    s.exists = true;
    const std::string& kind = r.text(0, 0);
    s.is_table = kind == "r" || kind == "p";
    for (std::size_t i = 0; i < r.size(); ++i)
        if (!r.is_null(i, 1)) s.columns.emplace_back(r.text(i, 1), r.text(i, 2));
    return s;
}

bool check_history_table(db_connection& c, const options& opts) {
    const table_shape s = inspect_table(c, opts.history_table);
    if (!s.exists) return false;
    std::string msg = foreign_table_message(opts.history_table, s, opts.admin_command);
    if (!msg.empty()) throw error(error_code::foreign_history_table, msg);
    return true;
}

namespace {

std::int64_t to_i64(const std::string& s) { return s.empty() ? 0 : std::strtoll(s.c_str(), nullptr, 10); }

direction parse_direction(const std::string& s) { return s == "down" ? direction::down : direction::up; }

row_status parse_status(const std::string& s) {
    if (s == "failed") return row_status::failed;
    if (s == "running") return row_status::running;
    if (s == "reverted") return row_status::reverted;
    if (s == "repaired") return row_status::repaired;
    return row_status::success;
}

} // namespace

std::vector<history_row> read_history(db_connection& c, const options& opts) {
    // Fast path (every boot): one SELECT. If it fails, the table is missing or
    // has another shape; the catalog check below says which. Writes always
    // happen after the full shape check (ensure_history_table, under the lock).
    const std::string select =
        "SELECT id, version, name, checksum, "
        "to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
        "direction, status, coalesce(error_message, ''), execution_ms, applied_by, "
        "(down_sql IS NOT NULL)::int, statements_done, statements_total FROM " +
        qualified_table(opts.history_table) + " ORDER BY id";
    db_result r;
    for (int attempt = 0;; ++attempt) {
        try {
            r = c.query(select);
            break;
        } catch (const db_error& e) {
            if (!check_history_table(c, opts)) return {}; // does not exist (42P01 / 3F000)
            // It exists now: another instance created it between our two queries. Read again.
            const bool created_meanwhile = e.sqlstate == "42P01" || e.sqlstate == "3F000";
            if (attempt == 0 && created_meanwhile) continue;
            throw; // exists, right shape, other failure
        }
    }
    std::vector<history_row> rows;
    rows.reserve(r.size());
    for (std::size_t i = 0; i < r.size(); ++i) {
        history_row h;
        h.id = to_i64(r.text(i, 0));
        h.version = to_i64(r.text(i, 1));
        h.name = r.text(i, 2);
        h.checksum = r.text(i, 3);
        h.applied_at = r.text(i, 4);
        h.dir = parse_direction(r.text(i, 5));
        h.status = parse_status(r.text(i, 6));
        h.error_message = r.text(i, 7);
        h.execution_ms = to_i64(r.text(i, 8));
        h.applied_by = r.text(i, 9);
        h.has_down_sql = r.text(i, 10) == "1";
        h.statements_done = static_cast<int>(to_i64(r.text(i, 11)));
        h.statements_total = static_cast<int>(to_i64(r.text(i, 12)));
        rows.push_back(std::move(h));
    }
    return rows;
}

void ensure_history_table(db_connection& c, const options& opts, bool known_missing) {
    const history_table_name& t = opts.history_table;
    const db_result r = c.query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = " +
                                quote_literal(t.schema));
    if (r.empty()) c.exec("CREATE SCHEMA IF NOT EXISTS " + quote_ident(t.schema));
    if (!known_missing && check_history_table(c, opts)) return;
    c.exec(history_create_sql(t));
    check_history_table(c, opts);
}

std::string applied_by_sql() {
    static const std::string host = [] {
#ifdef _WIN32
        const char* h = std::getenv("COMPUTERNAME");
        std::string s = h ? h : "unknown-host";
#else
        char buf[256] = {0};
        std::string s = gethostname(buf, sizeof buf - 1) == 0 ? std::string(buf) : "unknown-host";
#endif
        return s;
    }();
    return "session_user || '@' || " + quote_literal(host) +
           " || ' (' || current_setting('application_name') || ')'";
}

history_probe probe_history(db_connection& c, const history_table_name& t, const migration_set& set) {
    const std::string expected = set_digest(set);
    db_result r;
    try {
        r = c.query("SELECT count(*), coalesce(bool_and(direction = 'up' AND status = 'success'), true)::int, "
                    "encode(sha256(convert_to(coalesce(string_agg(version::text || ' ' || checksum, ',' "
                    "ORDER BY version), ''), 'UTF8')), 'hex') FROM " +
                    qualified_table(t));
    } catch (const db_error& e) {
        // undefined_table / invalid_schema_name: nothing recorded yet. Anything
        // else (a table of another shape…): the full read says what it is.
        return e.sqlstate == "42P01" || e.sqlstate == "3F000" ? history_probe::missing : history_probe::differs;
    }
    const bool same = r.size() == 1 && r.text(0, 0) == std::to_string(set.size()) && r.text(0, 1) == "1" &&
                      r.text(0, 2) == expected;
    return same ? history_probe::matches : history_probe::differs;
}

// ------------------------------------------------------------ the state the commands plan from

namespace admin {

db_state read_state(db_connection& c, const migration_set& set, const options& opts) {
    db_state s;
    s.schema_exists = !c.query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = " +
                               quote_literal(opts.history_table.schema))
                           .empty();
    s.table_exists = s.schema_exists && check_history_table(c, opts);
    if (s.table_exists) s.rows = read_history(c, opts);
    s.report = reconcile(set, s.rows, opts.policy, opts.admin_command);
    return s;
}

void read_stored_downs(db_connection& c, db_state& s, const migration_set& set, const options& opts) {
    s.stored_downs.clear();
    // The latest success row of each version is its effective row (an up row when applied).
    std::map<std::int64_t, const history_row*> latest;
    for (const history_row& h : s.rows) {
        if (h.status != row_status::success) continue;
        const history_row*& slot = latest[h.version];
        if (slot == nullptr || h.id >= slot->id) slot = &h;
    }
    std::string versions;
    for (const auto& [version, row] : latest) {
        if (row->dir != direction::up || !row->has_down_sql) continue;
        const migration* m = set.find(version);
        if (m != nullptr && m->reversible) continue; // the file's down is used
        versions += (versions.empty() ? "" : ", ") + std::to_string(version);
    }
    if (versions.empty()) return;
    // The down SQL of each version's effective up row (the one success row of the partial unique index).
    const db_result r = c.query("SELECT version, down_sql FROM " + qualified_table(opts.history_table) +
                                " WHERE direction = 'up' AND status = 'success' AND down_sql IS NOT NULL"
                                " AND version IN (" + versions + ") ORDER BY id");
    for (std::size_t i = 0; i < r.size(); ++i) {
        stored_down& d = s.stored_downs[std::stoll(r.text(i, 0))];
        d.sql = r.text(i, 1);
        d.no_transaction = needs_no_transaction(d.sql);
    }
}

} // namespace admin

} // namespace pgmig::detail
