// No-transaction migrations (-- pgmig:no-transaction): statement by statement,
// outside a transaction, with a `running` history row that records progress.
#include "engine/executor_notx.hpp"
#include "core/admin_command.hpp"
#include "core/batch.hpp"
#include "core/directive.hpp"
#include "core/resume.hpp"
#include "core/sql_split.hpp"
#include "core/statement_kind.hpp"
#include "core/duration.hpp"
#include "core/text.hpp"
#include "engine/blockers.hpp"
#include "engine/history.hpp"
#include "engine/lock.hpp"

#include <pgmig/error.hpp>

#include <algorithm>
#include <chrono>
#include <sstream>
#include <thread>

namespace pgmig::detail::engine {

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

int count_lines(const std::string& s) {
    return 1 + static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

std::string running_row(const history_table_name& t, std::int64_t version, direction dir) {
    return "(SELECT max(id) FROM " + qualified_table(t) + " WHERE version = " + std::to_string(version) +
           " AND direction = '" + to_string(dir) + "' AND status = 'running')";
}

} // namespace

std::int64_t run_no_transaction(exec_context& ctx, std::int64_t version, const std::string& name,
                                const std::string& checksum, direction dir, const std::string& body,
                                const std::optional<std::string>& down_sql, const std::string& file,
                                int section_line, std::int64_t lock_timeout_ms, const core::resume_point* resume,
                                deploy_phase phase) {
    const std::string tbl = qualified_table(ctx.table);
    const std::string v = std::to_string(version);
    const std::string what = dir == direction::up ? "migration" : "rollback of migration";
    const std::vector<core::sql_statement> stmts = core::split_sql(body);
    const auto start = clock::now();
    auto elapsed = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start).count();
    };
    const std::size_t first = resume != nullptr ? std::min(resume->first, stmts.size()) : 0;

    // The `running` row first: if this process dies half-way, the next run sees it
    // (and, resuming, the row of the interrupted run is closed in the same transaction).
    ctx.conn.exec(notx_start_sql(ctx.table, version, name, checksum, dir, stmts.size(), down_sql,
                                 dir == direction::up ? up_sql_values(body) : "NULL, NULL", lock_timeout_ms,
                                 quote_literal(ctx.run_id()), resume, phase));
    const std::string id = running_row(ctx.table, version, dir);
    if (resume != nullptr) ctx.log(log_level::info, resume->note);

    // Record the failure of statement `i` (0-based; i == stmts.size() for pgmig's
    // own step before the first statement) and throw what the caller reports.
    auto fail = [&](std::size_t i, const db_error& e, const std::string& stmt_text, int stmt_line, bool rolled_back,
                    const std::string& blockers) {
        if (auto other = done_by_another_instance(ctx, version, dir, file)) {
            // Not a failure of the migration: close our row as superseded.
            record_failure(ctx, "UPDATE " + tbl + " SET status = 'repaired', error_message = " +
                                    quote_literal("superseded: another instance completed it while this run (" +
                                                  ctx.run_id() + ") was at statement " + std::to_string(i + 1)) +
                                    " WHERE id = " + id);
            throw done_elsewhere(*other);
        }
        const int line = e.line > 0 ? stmt_line + e.line - 1 : stmt_line;
        const std::string k = std::to_string(i + 1), n = std::to_string(stmts.size());
        std::ostringstream rec, out;
        rec << "SQLSTATE " << e.sqlstate << " at line " << line << " of " << file << " (statement " << k << " of "
            << n << "): " << e.primary;
        const std::string not_recorded =
            record_failure(ctx, "RESET lock_timeout; RESET statement_timeout; UPDATE " + tbl +
                                    " SET status = 'failed', statements_done = " + std::to_string(i) +
                                    ", execution_ms = " + std::to_string(elapsed()) +
                                    ", error_message = " + quote_literal(rec.str()) + " WHERE id = " + id);
        out << what << ' ' << v << " (" << file << ", no-transaction) failed at statement " << k << " of " << n
            << ", line " << line << ": " << e.primary << " (SQLSTATE " << e.sqlstate << ")\n  " << file << ':'
            << stmt_line << ": " << first_line(stmt_text) << "\n";
        if (i == 0)
            out << "None of its statements had taken effect";
        else
            out << "It ran outside a transaction: " << core::first_statements(i) << " took effect and "
                << (i == 1 ? "was" : "were") << " not rolled back";
        if (rolled_back) out << " (statement " << k << " was rolled back)";
        if (not_recorded.empty()) {
            out << "; a 'failed' row records how far it got. Check the database, fix the cause, then run "
                << core::command_hint(ctx.opts.admin_command, "repair") << ": ";
            if (dir == direction::up)
                out << "the next run resumes it at statement " << k
                    << (i == 0 ? std::string(".")
                               : " (" + core::first_statements(i) + (i == 1 ? " is" : " are") + " not run again).");
            else
                out << "the next rollback runs it again from its first statement.";
        } else {
            out << ". No 'failed' row could be recorded in " << ctx.table.qualified() << " (" << not_recorded
                << "): the history still shows it running with " << i << " of " << n << " statements done.";
        }
        if (!blockers.empty())
            out << "\nBlocked by " << blockers << " (end it with pg_terminate_backend(pid) if it is stuck).";
        if (core::classify_notx_statement(stmt_text) == core::notx_statement::index_build || core::icontains(stmt_text, "concurrently"))
            out << invalid_index_advice(ctx.conn);
        throw error(error_code::migration_failed, out.str(), error_location{file, line, version, e.sqlstate});
    };

    if (resume != nullptr && !resume->drop_index.empty()) {
        ctx.log(log_level::info, what + " " + v + " (" + file + "): dropping the INVALID index " + resume->drop_index +
                                     " that the interrupted CREATE INDEX CONCURRENTLY left (DROP INDEX CONCURRENTLY "
                                     "IF EXISTS " + resume->drop_index + "), then building it again");
        if (ctx.fence != nullptr && ctx.fence->between) ctx.fence->between();
        try {
            ctx.conn.exec(drop_invalid_index_sql(resume->drop_index));
        } catch (const db_error& e) {
            const core::sql_statement& s = stmts[first];
            fail(first, e, "DROP INDEX CONCURRENTLY IF EXISTS " + resume->drop_index, section_line + s.line - 1, false,
                 {});
        }
    }

    // A -- pgmig:batch statement: again and again, each time in a short
    // transaction of its own that commits the batch with its progress (so an
    // interrupted run resumes at this statement, which goes on where the
    // committed batches stopped), until a batch affects no row.
    const std::vector<std::optional<core::batch_spec>> batches = core::batch_specs(body, stmts);
    auto run_batches = [&](std::size_t i, const core::sql_statement& s, int stmt_line, const core::batch_spec& b) {
        const std::int64_t timeout_ms = b.statement_timeout ? b.statement_timeout->count()
                                                            : static_cast<std::int64_t>(
                                                                  ctx.opts.batch_statement_timeout.count());
        const std::string begin = batch_begin_sql(s.text, lock_timeout_ms, timeout_ms);
        const std::string where = what + " " + v + " (" + file + "), statement " + std::to_string(i + 1);
        std::int64_t count = 0, rows = 0;
        auto last_log = clock::now();
        auto backoff = std::chrono::milliseconds(500);
        int retries = 0;
        for (;;) {
            if (ctx.fence != nullptr && ctx.fence->between) ctx.fence->between();
            std::int64_t n = 0;
            try {
                n = ctx.conn.query(begin).affected_rows;
                ctx.conn.exec(batch_commit_sql(ctx.table, version, dir, std::to_string(n), n == 0 ? i + 1 : i, n == 0));
            } catch (const db_error& e) {
                try {
                    ctx.conn.exec("ROLLBACK");
                } catch (const db_error&) {
                }
                const std::string blockers =
                    e.sqlstate == "55P03" ? describe_lock_blockers(ctx.conn, s.text) : std::string();
                if (e.sqlstate == "55P03" && retries < ctx.opts.ddl_lock_retries) {
                    ctx.log(log_level::warning, where + ", batch " + std::to_string(count + 1) + ": " + e.primary +
                                                    (blockers.empty() ? std::string() : "; blocked by " + blockers) +
                                                    "; retry " + std::to_string(++retries) + "/" +
                                                    std::to_string(ctx.opts.ddl_lock_retries) + " in " +
                                                    core::format_duration(backoff));
                    std::this_thread::sleep_for(backoff);
                    backoff = std::min(backoff * 2, std::chrono::milliseconds(30000));
                    continue;
                }
                db_error in_statement = e; // the error's line counts the BEGIN line in front of the statement
                in_statement.line = e.line > 1 ? e.line - 1 : 0;
                fail(i, in_statement, s.text, stmt_line, true, blockers);
            }
            retries = 0;
            backoff = std::chrono::milliseconds(500);
            ++count;
            rows += n;
            const std::string so_far = std::to_string(rows) + (rows == 1 ? " row" : " rows") + " in " +
                                       std::to_string(count) + (count == 1 ? " batch" : " batches");
            if (n == 0) {
                ctx.log(log_level::info, where + ": batched statement done, " + so_far + " (this run)");
                return;
            }
            const bool due = clock::now() - last_log >= std::chrono::seconds(1);
            ctx.log(due ? log_level::info : log_level::debug,
                    where + ": batch " + std::to_string(count) + " changed " + std::to_string(n) + " rows; " + so_far);
            if (due) last_log = clock::now();
            if (b.pause.count() > 0) std::this_thread::sleep_for(b.pause);
        }
    };

    for (std::size_t i = first; i < stmts.size(); ++i) {
        const core::sql_statement& s = stmts[i];
        const int stmt_line = section_line + s.line - 1;
        if (batches[i]) {
            run_batches(i, s, stmt_line, *batches[i]);
            continue;
        }
        if (ctx.fence != nullptr && ctx.fence->between) ctx.fence->between(); // no transaction can fence it
        // A statement that can run in a transaction block goes with its progress
        // update in one implicit transaction: it took effect if and only if its
        // progress was recorded (core/resume.hpp).
        const bool with_progress = core::classify_notx_statement(s.text) == core::notx_statement::with_progress;
        const std::string progress = notx_progress_sql(ctx.table, version, dir, i + 1);
        const std::string sql = with_progress ? notx_statement_sql(s.text, progress) : s.text;
        const int stmt_lines = count_lines(s.text);
        const lock_retry_policy retry = lock_retries(ctx.opts);
        for (int attempt = 0;; ++attempt) {
            try {
                ctx.conn.exec(sql);
                break;
            } catch (const db_error& e) {
                if (with_progress && e.line > stmt_lines)
                    throw error(error_code::database,
                                "recording the progress of " + what + " " + v + " (" + file + ") in " +
                                    ctx.table.qualified() + " failed: " + e.primary + " (SQLSTATE " + e.sqlstate +
                                    "); statement " + std::to_string(i + 1) +
                                    " was rolled back with it, and the next run resumes there",
                                error_location{file, stmt_line, version, e.sqlstate});
                const std::string blockers =
                    e.sqlstate == "55P03" ? describe_lock_blockers(ctx.conn, s.text) : std::string();
                if (e.sqlstate == "55P03" && attempt < retry.retries) {
                    const std::chrono::milliseconds backoff = retry.pause(attempt);
                    ctx.log(log_level::warning, what + " " + v + " (" + file + "), statement " +
                                                    std::to_string(i + 1) + ": " + e.primary +
                                                    (blockers.empty() ? std::string() : "; blocked by " + blockers) +
                                                    "; retry " +
                                                    std::to_string(attempt + 1) + "/" +
                                                    std::to_string(retry.retries) + " in " +
                                                    std::to_string(backoff.count()) + "ms");
                    std::this_thread::sleep_for(backoff);
                    continue;
                }
                fail(i, e, s.text, stmt_line, with_progress, blockers);
            }
        }
        if (!with_progress) ctx.conn.exec(progress);
        if (stmts.size() > 1)
            ctx.log(log_level::debug, what + " " + v + ": statement " + std::to_string(i + 1) + "/" +
                                          std::to_string(stmts.size()) + " done");
    }

    // Success: the running row becomes the row in effect, superseding earlier rows
    // as a transactional run would. Its execution_ms is the time returned (and printed).
    const std::int64_t ms = elapsed();
    ctx.conn.exec(notx_finish_sql(ctx.table, version, dir, std::to_string(ms)));
    return ms;
}

// ------------------------------------------------------------ SQL text (shared with --dry-run)

std::string notx_start_sql(const history_table_name& t, std::int64_t version, const std::string& name,
                           const std::string& checksum, direction dir, std::size_t statements,
                           const std::optional<std::string>& down_sql, const std::string& up_sql,
                           std::int64_t lock_timeout_ms, const std::string& run_id, const core::resume_point* resume,
                           deploy_phase phase) {
    const std::string tbl = qualified_table(t);
    std::string close;
    if (resume != nullptr && resume->was_running)
        close = "UPDATE " + tbl + " SET status = 'repaired', error_message = " +
                quote_literal("interrupted; resumed at statement " + std::to_string(resume->first + 1) + " by run ") +
                " || " + run_id + " WHERE id = " + std::to_string(resume->row_id) + " AND status = 'running';\n";
    const std::size_t done = resume != nullptr ? resume->first : 0;
    // A resumed run goes on counting the batches of the run it resumes.
    const auto carried = [&](const char* column) {
        return resume != nullptr ? "coalesce((SELECT " + std::string(column) + " FROM " + tbl + " WHERE id = " +
                                       std::to_string(resume->row_id) + "), 0)"
                                 : std::string("0");
    };
    return close + "INSERT INTO " + tbl +
           " (version, name, checksum, direction, status, statements_done, statements_total, applied_by, down_sql, "
           "up_sql, up_sql_bytes, run_id, backend_pid, backend_start, phase, batches_done, batch_rows) VALUES (" + std::to_string(version) + ", " + quote_literal(name) + ", " +
           quote_literal(checksum) + ", '" + to_string(dir) + "', 'running', " + std::to_string(done) + ", " +
           std::to_string(statements) + ", " + applied_by_sql() + ", " +
           (down_sql ? quote_literal(*down_sql) : std::string("NULL")) + ", " + up_sql + ", " + run_id +
           ", pg_backend_pid(), (SELECT backend_start FROM pg_catalog.pg_stat_activity WHERE pid = pg_backend_pid()), '" +
           to_string(phase) + "', " + carried("batches_done") + ", " + carried("batch_rows") + ");"
           " SET lock_timeout = '" + std::to_string(lock_timeout_ms) + "ms'; SET statement_timeout = 0";
}

std::string notx_progress_sql(const history_table_name& t, std::int64_t version, direction dir, std::size_t done) {
    return "UPDATE " + qualified_table(t) + " SET statements_done = " + std::to_string(done) +
           " WHERE id = " + running_row(t, version, dir);
}

std::string notx_statement_sql(const std::string& statement, const std::string& progress) {
    // On its own line: a trailing -- comment of the statement must not swallow the update.
    return statement + "\n;\n" + progress;
}

std::string batch_begin_sql(const std::string& statement, std::int64_t lock_timeout_ms,
                            std::int64_t statement_timeout_ms) {
    // The statement on a line of its own: the error's line number is its line + 1.
    return "BEGIN; SET LOCAL lock_timeout = '" + std::to_string(lock_timeout_ms) +
           "ms'; SET LOCAL statement_timeout = '" + std::to_string(statement_timeout_ms) + "ms';\n" + statement;
}

std::string batch_commit_sql(const history_table_name& t, std::int64_t version, direction dir,
                             const std::string& rows, std::size_t done, bool finished) {
    return "\n;\nUPDATE " + qualified_table(t) + " SET batches_done = coalesce(batches_done, 0) + 1, batch_rows = "
           "coalesce(batch_rows, 0) + " + rows + (finished ? ", statements_done = " + std::to_string(done) : "") +
           " WHERE id = " + running_row(t, version, dir) + "; COMMIT";
}

std::string drop_invalid_index_sql(const std::string& qualified_index) {
    return "DROP INDEX CONCURRENTLY IF EXISTS " + qualified_index;
}

std::string notx_finish_sql(const history_table_name& t, std::int64_t version, direction dir,
                            const std::string& execution_ms) {
    const std::string tbl = qualified_table(t);
    const std::string v = std::to_string(version);
    const std::string supersede =
        dir == direction::up
            ? "UPDATE " + tbl + " SET status = 'reverted' WHERE version = " + v +
                  " AND direction = 'down' AND status = 'success'; "
            : "UPDATE " + tbl + " SET status = 'reverted' WHERE version = " + v + " AND status = 'success'; ";
    return "RESET lock_timeout; RESET statement_timeout; BEGIN; " + supersede + "UPDATE " + tbl +
           " SET status = 'success', execution_ms = " + execution_ms + " WHERE id = " + running_row(t, version, dir) +
           "; COMMIT";
}

std::vector<std::string> no_transaction_sql(const history_table_name& t, std::int64_t version, const std::string& name,
                                            const std::string& checksum, direction dir, const std::string& body,
                                            const std::optional<std::string>& down_sql, std::int64_t lock_timeout_ms,
                                            const core::resume_point* resume, deploy_phase phase,
                                            std::int64_t batch_statement_timeout_ms) {
    const std::vector<core::sql_statement> stmts = core::split_sql(body);
    std::vector<std::string> out;
    out.push_back(notx_start_sql(t, version, name, checksum, dir, stmts.size(), down_sql,
                                 dir == direction::up ? up_sql_values(body, true) : "NULL, NULL", lock_timeout_ms,
                                 quote_literal("<run id>"), resume, phase));
    if (resume != nullptr && !resume->drop_index.empty()) out.push_back(drop_invalid_index_sql(resume->drop_index));
    const std::vector<std::optional<core::batch_spec>> batches = core::batch_specs(body, stmts);
    for (std::size_t i = resume != nullptr ? resume->first : 0; i < stmts.size(); ++i) {
        if (batches[i]) {
            const std::int64_t timeout =
                batches[i]->statement_timeout ? batches[i]->statement_timeout->count() : batch_statement_timeout_ms;
            out.push_back("-- repeated, one transaction per batch, until it changes no row" +
                          (batches[i]->pause.count() > 0 ? ", " + core::format_duration(batches[i]->pause) + " apart"
                                                         : std::string()) +
                          ":\n" + batch_begin_sql(stmts[i].text, lock_timeout_ms, timeout));
            out.push_back(batch_commit_sql(t, version, dir, "<rows it changed>", i + 1, true).substr(3));
            continue;
        }
        const std::string progress = notx_progress_sql(t, version, dir, i + 1);
        if (core::classify_notx_statement(stmts[i].text) == core::notx_statement::with_progress) {
            out.push_back(notx_statement_sql(stmts[i].text, progress));
        } else {
            out.push_back(stmts[i].text);
            out.push_back(progress);
        }
    }
    out.push_back(notx_finish_sql(t, version, dir, "0 /* measured ms */"));
    return out;
}

bool needs_no_transaction(const std::string& sql) {
    return !core::non_transactional_statement(sql).empty() || core::has_no_transaction_directive(sql);
}

} // namespace pgmig::detail::engine
