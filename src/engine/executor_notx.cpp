// No-transaction migrations (-- pgmig:no-transaction): statement by statement,
// outside a transaction, with a `running` history row that records progress.
#include "engine/executor_notx.hpp"
#include "core/admin_command.hpp"
#include "core/directive.hpp"
#include "core/sql_split.hpp"
#include "core/statement_kind.hpp"
#include "engine/blockers.hpp"
#include "engine/history.hpp"
#include "engine/lock.hpp"

#include <pgmig/error.hpp>

#include <algorithm>
#include <chrono>
#include <sstream>
#include <thread>

namespace pgmig::detail {

namespace {

using clock = std::chrono::steady_clock;

std::string first_line(const std::string& s) {
    std::string l = s.substr(0, s.find('\n'));
    if (l.size() > 120) l = l.substr(0, 117) + "...";
    return l;
}

// Invalid indexes a failed CREATE/REINDEX ... CONCURRENTLY leaves behind, named for the operator.
std::string invalid_index_advice(db_connection& c) {
    try {
        const db_result r = c.query(
            "SELECT quote_ident(n.nspname) || '.' || quote_ident(ic.relname) "
            "FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace "
            "WHERE NOT i.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "ORDER BY 1");
        if (r.empty()) return {};
        std::string out = "\nA failed CONCURRENTLY build leaves an INVALID index behind; drop it before retrying:";
        for (std::size_t i = 0; i < r.size(); ++i)
            out += "\n  DROP INDEX CONCURRENTLY IF EXISTS " + r.text(i, 0) + ";";
        return out;
    } catch (const std::exception&) {
        return {};
    }
}

std::string running_row(const history_table_name& t, std::int64_t version, direction dir) {
    return "(SELECT max(id) FROM " + qualified_table(t) + " WHERE version = " + std::to_string(version) +
           " AND direction = '" + to_string(dir) + "' AND status = 'running')";
}

} // namespace

std::int64_t run_no_transaction(exec_context& ctx, std::int64_t version, const std::string& name,
                                const std::string& checksum, direction dir, const std::string& body,
                                const std::optional<std::string>& down_sql, const std::string& file,
                                int section_line, std::int64_t lock_timeout_ms) {
    const std::string tbl = qualified_table(ctx.table);
    const std::string v = std::to_string(version);
    const std::string what = dir == direction::up ? "migration" : "rollback of migration";
    const std::vector<sql_statement> stmts = split_sql(body);
    const auto start = clock::now();
    auto elapsed = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start).count();
    };

    // The `running` row first: if this process dies half-way, the next boot sees it.
    ctx.conn.exec(notx_start_sql(ctx.table, version, name, checksum, dir, stmts.size(), down_sql, lock_timeout_ms));
    const std::string id = running_row(ctx.table, version, dir);

    for (std::size_t i = 0; i < stmts.size(); ++i) {
        const sql_statement& s = stmts[i];
        const int stmt_line = section_line + s.line - 1;
        if (ctx.fence != nullptr && ctx.fence->between) ctx.fence->between(); // no transaction can fence it
        auto backoff = std::chrono::milliseconds(500);
        for (int attempt = 0;; ++attempt) {
            try {
                ctx.conn.exec(s.text);
                break;
            } catch (const db_error& e) {
                const std::string blockers =
                    e.sqlstate == "55P03" ? describe_lock_blockers(ctx.conn, s.text) : std::string();
                if (e.sqlstate == "55P03" && attempt < ctx.opts.ddl_lock_retries) {
                    ctx.log(log_level::warning, what + " " + v + " (" + file + "), statement " +
                                                    std::to_string(i + 1) + ": " + e.primary +
                                                    (blockers.empty() ? std::string() : "; blocked by " + blockers) +
                                                    "; retry " +
                                                    std::to_string(attempt + 1) + "/" +
                                                    std::to_string(ctx.opts.ddl_lock_retries) + " in " +
                                                    std::to_string(backoff.count()) + "ms");
                    std::this_thread::sleep_for(backoff);
                    backoff = std::min(backoff * 2, std::chrono::milliseconds(30000));
                    continue;
                }
                const int line = e.line > 0 ? stmt_line + e.line - 1 : stmt_line;
                std::ostringstream rec, out;
                rec << "SQLSTATE " << e.sqlstate << " at line " << line << " of " << file << " (statement "
                    << (i + 1) << " of " << stmts.size() << "): " << e.primary;
                try {
                    ctx.conn.exec("RESET lock_timeout; RESET statement_timeout; UPDATE " + tbl +
                                  " SET status = 'failed', statements_done = " + std::to_string(i) +
                                  ", execution_ms = " + std::to_string(elapsed()) +
                                  ", error_message = " + quote_literal(rec.str()) + " WHERE id = " + id);
                } catch (const std::exception& ue) {
                    ctx.log(log_level::error, std::string("could not record the failure: ") + ue.what());
                }
                out << what << ' ' << v << " (" << file << ", no-transaction) failed at statement " << (i + 1)
                    << " of " << stmts.size() << ", line " << line << ": " << e.primary << " (SQLSTATE "
                    << e.sqlstate << ")\n  " << file << ':' << stmt_line << ": " << first_line(s.text)
                    << "\nIt ran outside a transaction: statements 1.." << i
                    << " took effect and were not rolled back; a 'failed' row records how far it got. "
                       "Check the database, fix the cause, then run "
                    << command_hint(ctx.opts.admin_command, "repair")
                    << " and start again "
                       "(the whole migration runs again, so keep its statements idempotent: IF NOT EXISTS / IF EXISTS).";
                if (!blockers.empty())
                    out << "\nBlocked by " << blockers << " (end it with pg_terminate_backend(pid) if it is stuck).";
                if (s.text.find("CONCURRENTLY") != std::string::npos ||
                    s.text.find("concurrently") != std::string::npos)
                    out << invalid_index_advice(ctx.conn);
                throw error(error_code::migration_failed, out.str(), error_location{file, line, version, e.sqlstate});
            }
        }
        ctx.conn.exec(notx_progress_sql(ctx.table, version, dir, i + 1));
        if (stmts.size() > 1)
            ctx.log(log_level::debug, what + " " + v + ": statement " + std::to_string(i + 1) + "/" +
                                          std::to_string(stmts.size()) + " done");
    }

    // Success: the running row becomes the row in effect, superseding earlier rows as a transactional run would.
    ctx.conn.exec(notx_finish_sql(ctx.table, version, dir));
    return elapsed();
}

// ------------------------------------------------------------ SQL text (shared with --dry-run)


std::string notx_start_sql(const history_table_name& t, std::int64_t version, const std::string& name,
                           const std::string& checksum, direction dir, std::size_t statements,
                           const std::optional<std::string>& down_sql, std::int64_t lock_timeout_ms) {
    return "INSERT INTO " + qualified_table(t) +
           " (version, name, checksum, direction, status, statements_done, statements_total, applied_by, down_sql)"
           " VALUES (" + std::to_string(version) + ", " + quote_literal(name) + ", " + quote_literal(checksum) +
           ", '" + to_string(dir) + "', 'running', 0, " + std::to_string(statements) + ", " + applied_by_sql() +
           ", " + (down_sql ? quote_literal(*down_sql) : std::string("NULL")) + "); SET lock_timeout = '" +
           std::to_string(lock_timeout_ms) + "ms'; SET statement_timeout = 0";
}

std::string notx_progress_sql(const history_table_name& t, std::int64_t version, direction dir, std::size_t done) {
    return "UPDATE " + qualified_table(t) + " SET statements_done = " + std::to_string(done) +
           " WHERE id = " + running_row(t, version, dir);
}

std::string notx_finish_sql(const history_table_name& t, std::int64_t version, direction dir) {
    const std::string tbl = qualified_table(t);
    const std::string v = std::to_string(version);
    const std::string supersede =
        dir == direction::up
            ? "UPDATE " + tbl + " SET status = 'reverted' WHERE version = " + v +
                  " AND direction = 'down' AND status = 'success'; "
            : "UPDATE " + tbl + " SET status = 'reverted' WHERE version = " + v + " AND status = 'success'; ";
    return "RESET lock_timeout; RESET statement_timeout; BEGIN; " + supersede + "UPDATE " + tbl +
           " SET status = 'success', execution_ms = (extract(epoch FROM clock_timestamp() - applied_at) * 1000)::bigint"
           " WHERE id = " + running_row(t, version, dir) + "; COMMIT";
}

std::vector<std::string> no_transaction_sql(const history_table_name& t, std::int64_t version, const std::string& name,
                                            const std::string& checksum, direction dir, const std::string& body,
                                            const std::optional<std::string>& down_sql, std::int64_t lock_timeout_ms) {
    const std::vector<sql_statement> stmts = split_sql(body);
    std::vector<std::string> out;
    out.push_back(notx_start_sql(t, version, name, checksum, dir, stmts.size(), down_sql, lock_timeout_ms));
    for (std::size_t i = 0; i < stmts.size(); ++i) {
        out.push_back(stmts[i].text);
        out.push_back(notx_progress_sql(t, version, dir, i + 1));
    }
    out.push_back(notx_finish_sql(t, version, dir));
    return out;
}

bool needs_no_transaction(const std::string& sql) {
    return !non_transactional_statement(sql).empty() || has_no_transaction_directive(sql);
}

} // namespace pgmig::detail
