// The history table: DDL, shape check, reading.
#include "engine/history.hpp"
#include "core/code_migration.hpp"
#include "core/admin_command.hpp"
#include "core/checksum.hpp"
#include "core/drift_diff.hpp"
#include "core/foreign_history.hpp"
#include "core/identifier.hpp"
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

namespace pgmig::detail::engine {

std::string qualified_table(const history_table_name& t) {
    return quote_ident(t.schema) + "." + quote_ident(t.table);
}

// ------------------------------------------------------------ shapes

const std::vector<history_shape>& history_shapes() {
    static const std::vector<history_shape> shapes = {
        {1,
         "the original specification's columns, plus execution time, who applied it, the down SQL and the "
         "progress of a no-transaction run",
         {
             {"id", "bigint", "bigserial PRIMARY KEY"},
             {"version", "bigint", "bigint NOT NULL"},
             {"name", "text", "text NOT NULL"},
             {"checksum", "text", "text NOT NULL"},
             {"applied_at", "timestamp with time zone", "timestamptz NOT NULL DEFAULT now()"},
             {"direction", "text", "text NOT NULL CHECK (direction IN ('up', 'down'))"},
             {"status", "text",
              "text NOT NULL CHECK (status IN ('success', 'failed', 'running', 'reverted', 'repaired'))"},
             {"error_message", "text", "text"},
             {"execution_ms", "bigint", "bigint NOT NULL DEFAULT 0"},
             {"applied_by", "text", "text NOT NULL DEFAULT ''"},
             {"down_sql", "text", "text"},
             {"statements_done", "integer", "integer NOT NULL DEFAULT 0"},
             {"statements_total", "integer", "integer NOT NULL DEFAULT 0"},
         }},
        {2,
         "who runs a no-transaction migration (a run id, and the backend's pid and start time), so that the next "
         "run can tell whether it is still running and resume it",
         {
             {"run_id", "text", "text"},
             {"backend_pid", "integer", "integer"},
             {"backend_start", "timestamp with time zone", "timestamptz"},
         }},
        {3,
         "zero-downtime deploys: the phase a migration ran in (pre-deploy, post-deploy), and the progress of its "
         "batched statements (batches committed, rows they changed)",
         {
             {"phase", "text", "text"},
             {"batches_done", "bigint", "bigint"},
             {"batch_rows", "bigint", "bigint"},
         }},
        {4,
         "what changed when a migration drifts: the up SQL a success row was applied with (a text of 1 MiB or "
         "more: only its size)",
         {
             {"up_sql", "text", "text"},
             {"up_sql_bytes", "bigint", "bigint"},
         }},
    };
    return shapes;
}

int current_history_shape() { return history_shapes().back().number; }

std::vector<std::pair<std::string, std::string>> history_columns(int shape) {
    if (shape <= 0) shape = current_history_shape();
    std::vector<std::pair<std::string, std::string>> out;
    for (const history_shape& s : history_shapes()) {
        if (s.number > shape) break;
        for (const history_column& c : s.added) out.emplace_back(c.name, c.type);
    }
    return out;
}

int shape_of(const table_shape& shape) {
    if (!shape.exists || !shape.is_table) return 0;
    const auto has = [&](const history_column& want) {
        return std::any_of(shape.columns.begin(), shape.columns.end(),
                           [&](const auto& have) { return have.first == want.name && have.second == want.type; });
    };
    int found = 0;
    for (const history_shape& s : history_shapes()) {
        if (!std::all_of(s.added.begin(), s.added.end(), has)) break;
        found = s.number;
    }
    return found;
}

std::string history_index_sql(const history_table_name& t) {
    return "CREATE UNIQUE INDEX IF NOT EXISTS " + quote_ident(core::history_index_name(t)) + " ON " + qualified_table(t) +
           " (version, direction) WHERE status = 'success'";
}

std::string history_create_sql(const history_table_name& t) {
    std::string cols;
    for (const history_shape& s : history_shapes())
        for (const history_column& c : s.added) {
            if (!cols.empty()) cols += ",\n";
            cols += "    " + c.name + std::string(c.name.size() < 16 ? 17 - c.name.size() : 1, ' ') + c.definition;
        }
    return "CREATE TABLE IF NOT EXISTS " + qualified_table(t) + " (\n" + cols + "\n);\n" + history_index_sql(t);
}

std::string history_upgrade_sql(const history_table_name& t, int from) {
    std::string adds;
    for (const history_shape& s : history_shapes()) {
        if (s.number <= from) continue;
        for (const history_column& c : s.added)
            adds += (adds.empty() ? " ADD COLUMN IF NOT EXISTS " : ", ADD COLUMN IF NOT EXISTS ") + c.name + " " +
                    c.definition;
    }
    return adds.empty() ? std::string() : "ALTER TABLE " + qualified_table(t) + adds;
}

std::string foreign_table_message(const history_table_name& t, const table_shape& shape,
                                  const std::string& admin_command) {
    if (!shape.exists) return {};
    if (shape_of(shape) > 0) return {}; // pgmig's, of some shape (extra columns are tolerated)
    std::ostringstream cols;
    for (std::size_t i = 0; i < shape.columns.size(); ++i) {
        if (i) cols << ", ";
        cols << shape.columns[i].first << ' ' << shape.columns[i].second;
    }
    const core::foreign_tool_info* tool = shape.is_table ? core::recognise_foreign_table(shape.columns) : nullptr;
    const std::string looks_like = !shape.is_table ? "it is not a table"
                                   : tool != nullptr ? std::string("it looks like ") + tool->looks_like + " history table"
                                                     : "it is not a pgmig history table";
    const std::string other = t.schema + ".pgmig_migrations";
    return t.qualified() + " exists but has another shape (" + cols.str() + "); " + looks_like +
           ". pgmig never writes to a table it does not own. Choose another history table "
           "(options.history_table / --history-table, e.g. " + other + "), then " +
           (tool != nullptr ? "adopt the other tool's history with " +
                                  core::command_hint(admin_command, std::string("import --from ") + tool->name +
                                                                        " --history-table " + other)
                            : "record the migrations the database already has with " +
                                  core::command_hint(admin_command, "baseline --version V --history-table " + other)) +
           ".";
}

table_shape inspect_table(db_connection& c, const history_table_name& t) {
    const db_result r = c.query(
        "SELECT c.relkind::text, a.attname::text, format_type(a.atttypid, a.atttypmod), "
        "EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid AND i.indisunique AND i.indisvalid "
        "AND pg_catalog.pg_get_indexdef(i.indexrelid) LIKE '%(version, direction) WHERE (status = ''success''::text)')"
        "::int FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
        "WHERE n.nspname = " + quote_literal(t.schema) + " AND c.relname = " + quote_literal(t.table) +
        " ORDER BY a.attnum");
    table_shape s;
    if (r.empty()) return s;
    s.exists = true;
    const std::string& kind = r.text(0, 0);
    s.is_table = kind == "r" || kind == "p";
    s.has_unique_index = r.text(0, 3) == "1";
    for (std::size_t i = 0; i < r.size(); ++i)
        if (!r.is_null(i, 1)) s.columns.emplace_back(r.text(i, 1), r.text(i, 2));
    return s;
}

namespace {

/// The table's shape; throws error(foreign_history_table) when it is not pgmig's.
table_shape checked_shape(db_connection& c, const options& opts) {
    table_shape s = inspect_table(c, opts.history_table);
    if (!s.exists) return s;
    std::string msg = foreign_table_message(opts.history_table, s, opts.admin_command);
    if (!msg.empty()) throw error(error_code::foreign_history_table, msg);
    return s;
}

/// "the history table public.schema_migrations could not be …: <server message> (SQLSTATE x)" and what that means.
error history_write_error(const options& opts, const std::string& doing, const db_error& e) {
    std::string msg = "could not " + doing + " " + opts.history_table.qualified() + ": " + e.primary +
                      " (SQLSTATE " + (e.sqlstate.empty() ? std::string("?????") : e.sqlstate) + ")";
    if (e.sqlstate == "25006")
        msg += "; the server is read-only (a standby, or default_transaction_read_only is on): migrations must run "
               "on the primary";
    else if (e.sqlstate == "42501")
        msg += "; the role pgmig connects as lacks the privilege";
    msg += ". Nothing was changed.";
    return error(error_code::database, msg, error_location{"", 0, std::nullopt, e.sqlstate});
}

void log_info(const options& opts, const std::string& text) {
    if (opts.log) opts.log(log_level::info, text);
}

} // namespace

bool check_history_table(db_connection& c, const options& opts) { return checked_shape(c, opts).exists; }

bool upgrade_history_table(db_connection& c, const options& opts) {
    const table_shape s = checked_shape(c, opts);
    if (!s.exists) return false;
    const history_table_name& t = opts.history_table;
    const int from = shape_of(s);
    // One round trip, one (implicit) transaction: the upgrade happens whole or not at all.
    std::string sql = history_upgrade_sql(t, from);
    // A table of a name whose index name PostgreSQL truncated onto the table's
    // own name never got its unique index: create it now.
    if (!s.has_unique_index) sql += (sql.empty() ? "" : ";\n") + history_index_sql(t);
    if (sql.empty()) return true;
    try {
        c.exec(sql);
    } catch (const db_error& e) {
        if (e.sqlstate != "23505") throw history_write_error(opts, "upgrade the history table", e);
        throw error(error_code::database,
                    t.qualified() + " has no unique index on (version, direction) WHERE status = 'success', and it "
                    "cannot be created because the table holds two 'success' rows of the same version and direction (" +
                        e.primary + "). Find them with SELECT version, direction, count(*) FROM " + qualified_table(t) +
                        " WHERE status = 'success' GROUP BY 1, 2 HAVING count(*) > 1; keep the latest of each and mark "
                        "the others 'reverted'. Nothing was changed.",
                    error_location{"", 0, std::nullopt, e.sqlstate});
    }
    if (from < current_history_shape()) {
        std::string why;
        for (const history_shape& sh : history_shapes())
            if (sh.number > from) why += (why.empty() ? "" : "; ") + sh.why;
        log_info(opts, "upgraded the history table " + t.qualified() + " from shape " + std::to_string(from) +
                           " to shape " + std::to_string(current_history_shape()) + " (added columns for " + why + ")");
    }
    if (!s.has_unique_index)
        log_info(opts, "created the missing unique index " + core::history_index_name(t) + " of " + t.qualified());
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

namespace {

/// The one SELECT of the full read for a table of `shape`: the columns a shape
/// lacks read as NULL.
std::string select_history_sql(const history_table_name& t, int shape) {
    const bool s2 = shape >= 2, s3 = shape >= 3;
    return "SELECT id, version, name, checksum, "
           "to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
           "direction, status, coalesce(error_message, ''), execution_ms, applied_by, "
           "(down_sql IS NOT NULL)::int, statements_done, statements_total, " +
           std::string(s2 ? "run_id, backend_pid, "
                            "to_char(backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                          : "NULL, NULL, NULL") +
           (s3 ? ", coalesce(phase, ''), coalesce(batches_done, 0), coalesce(batch_rows, 0)" : ", '', 0, 0") +
           " FROM " + qualified_table(t) + " ORDER BY id";
}

} // namespace

std::vector<history_row> read_history(db_connection& c, const options& opts) {
    // Fast path (every boot): one SELECT of the current shape. If it fails, the
    // table is missing, of an earlier shape or of another tool; the catalog
    // check below says which. Writes always happen after the full shape check
    // (upgrade_history_table / ensure_history_table, under the lock).
    int shape = current_history_shape();
    db_result r;
    for (int attempt = 0;; ++attempt) {
        try {
            r = c.query(select_history_sql(opts.history_table, shape));
            break;
        } catch (const db_error& e) {
            const table_shape s = checked_shape(c, opts);
            if (!s.exists) return {}; // does not exist (42P01 / 3F000)
            if (attempt > 0) throw;
            const int found = shape_of(s);
            if (found < shape) { // an earlier shape: read the columns it has
                shape = found;
                continue;
            }
            // It exists now: another instance created it between our two queries. Read again.
            if (e.sqlstate == "42P01" || e.sqlstate == "3F000") continue;
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
        h.run_id = r.text(i, 13);
        h.backend_pid = static_cast<int>(to_i64(r.text(i, 14)));
        h.backend_start = r.text(i, 15);
        h.phase = r.text(i, 16);
        h.batches_done = to_i64(r.text(i, 17));
        h.batch_rows = to_i64(r.text(i, 18));
        rows.push_back(std::move(h));
    }
    return rows;
}

void ensure_history_table(db_connection& c, const options& opts, bool known_missing) {
    const history_table_name& t = opts.history_table;
    const db_result r = c.query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = " +
                                quote_literal(t.schema));
    try {
        if (r.empty()) c.exec("CREATE SCHEMA IF NOT EXISTS " + quote_ident(t.schema));
    } catch (const db_error& e) {
        throw history_write_error(opts, "create the schema of the history table", e);
    }
    if (!known_missing && upgrade_history_table(c, opts)) return;
    try {
        c.exec(history_create_sql(t));
    } catch (const db_error& e) {
        throw history_write_error(opts, "create the history table", e);
    }
    upgrade_history_table(c, opts); // a table that was there after all (another tool's is refused) is brought up to date
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
    const std::string expected = core::set_digest(set);
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


core::db_state read_state(db_connection& c, const migration_set& set, const options& opts, bool under_lock) {
    core::db_state s;
    s.schema_exists = !c.query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = " +
                               quote_literal(opts.history_table.schema))
                           .empty();
    s.table_exists = s.schema_exists && (under_lock ? upgrade_history_table(c, opts) : check_history_table(c, opts));
    if (s.table_exists) read_rows_and_judge(c, s, set, opts);
    else s.report = reconcile(set, s.rows, opts.policy, opts.admin_command);
    return s;
}

namespace {

core::attempt_facts facts_of(db_connection& c, const core::attempt& a) {
    core::attempt_facts f;
    const history_row& row = *a.row;
    if (row.backend_pid != 0) {
        // The same pid and backend start: a reused pid is another session. A start we
        // may not see (another role's session, without pg_read_all_stats) counts as it.
        const db_result r = c.query(
            "SELECT pid, coalesce(state, ''), coalesce(query, ''), "
            "coalesce(to_char(coalesce(state_change, query_start) AT TIME ZONE 'UTC', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '') FROM pg_catalog.pg_stat_activity WHERE pid = " +
            std::to_string(row.backend_pid) + " AND pid <> pg_backend_pid() AND (backend_start IS NULL" +
            (row.backend_start.empty() ? std::string(" OR true")
                                       : " OR backend_start = " + quote_literal(row.backend_start) + "::timestamptz") +
            ")");
        if (!r.empty())
            f.backend = core::backend_activity{static_cast<int>(to_i64(r.text(0, 0))), r.text(0, 1), r.text(0, 2), r.text(0, 3)};
    }
    if (a.index) {
        const std::string pick = "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), i.indisvalid::int "
                                 "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                                 "JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid ";
        try {
            const db_result r =
                a.index->build
                    ? c.query(pick + "WHERE i.indrelid = to_regclass(" + quote_literal(a.index->table) +
                              ") AND c.relname = " + quote_literal(a.index->name))
                    : c.query(pick + "WHERE c.oid = to_regclass(" + quote_literal(a.index->table) + ")");
            f.index_known = true;
            if (!r.empty()) f.index = core::index_state{true, r.text(0, 1) == "1", r.text(0, 0)};
        } catch (const db_error&) {
            f.index_known = false; // e.g. a name to_regclass cannot parse: not provable
        }
    }
    return f;
}

} // namespace

namespace {

// Did a judged row change after it was read? Asked after the backend checks:
// a backend seen gone writes nothing more, so what this reads is final.
bool judged_rows_changed(db_connection& c, const options& opts, const std::vector<core::attempt>& attempts) {
    std::string ids;
    for (const core::attempt& a : attempts) ids += (ids.empty() ? "" : ", ") + std::to_string(a.row->id);
    const db_result r = c.query("SELECT id, status, statements_done FROM " + qualified_table(opts.history_table) +
                                " WHERE id IN (" + ids + ")");
    std::size_t seen = 0;
    for (const core::attempt& a : attempts)
        for (std::size_t i = 0; i < r.size(); ++i) {
            if (to_i64(r.text(i, 0)) != a.row->id) continue;
            ++seen;
            if (parse_status(r.text(i, 1)) != a.row->status ||
                static_cast<int>(to_i64(r.text(i, 2))) != a.row->statements_done)
                return true;
        }
    return seen != attempts.size();
}

} // namespace

bool assess_interrupted_runs(db_connection& c, core::db_state& s, const migration_set& set, const options& opts) {
    s.resumes.clear();
    const std::vector<core::attempt> attempts = core::attempts_to_judge(set, s.rows);
    if (attempts.empty()) return true;
    std::vector<core::attempt_verdict> verdicts;
    for (const core::attempt& a : attempts) {
        verdicts.push_back(core::judge_attempt(a, facts_of(c, a), opts.admin_command));
        if (verdicts.back().resume) s.resumes.push_back(*verdicts.back().resume);
    }
    core::apply_verdicts(s.report, attempts, verdicts);
    // The rows were read before their backends were looked up: a backend that
    // committed its statement (and its progress) in between and then ended
    // leaves a verdict on a stale statements_done, which would run that
    // statement again. The rows read now, after the lookups, say whether the
    // verdicts stand.
    return !judged_rows_changed(c, opts, attempts);
}

void read_drift_texts(db_connection& c, reconcile_report& report, const migration_set& set, const options& opts) {
    if (report.drifted.empty()) return;
    std::string versions;
    for (const drifted_migration& d : report.drifted)
        versions += (versions.empty() ? "" : ", ") + std::to_string(d.version);
    // The effective up row of each (the one success row of the partial unique index).
    std::map<std::int64_t, core::recorded_up_sql> recorded;
    try {
        const db_result r = c.query("SELECT version, up_sql, up_sql_bytes FROM " + qualified_table(opts.history_table) +
                                    " WHERE direction = 'up' AND status = 'success' AND version IN (" + versions +
                                    ") ORDER BY id");
        for (std::size_t i = 0; i < r.size(); ++i) {
            core::recorded_up_sql& u = recorded[std::stoll(r.text(i, 0))];
            u.text = r.is_null(i, 1) ? std::nullopt : std::optional<std::string>(r.text(i, 1));
            u.bytes = r.is_null(i, 2) ? std::nullopt : std::optional<std::int64_t>(to_i64(r.text(i, 2)));
        }
    } catch (const db_error& e) {
        // A table of an earlier shape read without the lock (42703 undefined_column): nothing recorded.
        if (e.sqlstate != "42703") throw;
        recorded.clear();
    }
    for (drifted_migration& d : report.drifted) {
        const migration* m = set.find(d.version);
        core::describe_drift(d, recorded[d.version], m != nullptr ? std::string_view(m->up_sql) : std::string_view(),
                             (m != nullptr && core::is_code(*m)) || core::is_code_checksum(d.recorded_checksum));
    }
}

void read_rows_and_judge(db_connection& c, core::db_state& s, const migration_set& set, const options& opts) {
    for (int pass = 1;; ++pass) {
        s.rows = read_history(c, opts);
        s.report = reconcile(set, s.rows, opts.policy, opts.admin_command);
        const bool settled = assess_interrupted_runs(c, s, set, opts);
        if (settled || pass == 3) read_drift_texts(c, s.report, set, opts);
        if (settled) return;
        if (pass == 3) break;
    }
    // Still changing: something writes these rows although their backends are
    // gone (another run, not under this run's lock). Resume nothing this time.
    s.resumes.clear();
    for (problem& p : s.report.problems) {
        if (p.kind != problem_kind::interrupted) continue;
        p.level = severity::refusal;
        p.message += " Its history row kept changing while pgmig read it, so nothing is resumed now.";
        p.fix = "Check that no other migration run is working on this database, then run " +
                core::command_hint(core::admin_command_or_default(opts.admin_command), "up") + " again.";
    }
}

void read_stored_downs(db_connection& c, core::db_state& s, const migration_set& set, const options& opts) {
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
        core::stored_down& d = s.stored_downs[std::stoll(r.text(i, 0))];
        d.sql = r.text(i, 1);
        d.no_transaction = needs_no_transaction(d.sql);
    }
}

} // namespace pgmig::detail::engine
