// Running a no-transaction migration written in C++: a `running` row, its
// function's statements each committing on their own, then `success` or
// `failed` (the transactional path is executor.cpp's run_transactional).
#include "engine/executor_code.hpp"
#include "core/admin_command.hpp"
#include "engine/executor_notx.hpp"
#include "engine/history.hpp"
#include "engine/lock.hpp"

#include <chrono>

namespace pgmig::detail::engine {

namespace {

std::int64_t lock_timeout_of(const options& opts, const migration& m, direction dir) {
    return dir == direction::up ? effective_lock_timeout_ms(opts, m.lock_timeout_ms)
                                : static_cast<std::int64_t>(opts.ddl_lock_timeout.count());
}

// The `running` row: the function is the one "statement" (statements_done 1 when it returned).
std::string start_sql(const history_table_name& t, const migration& m, direction dir, std::int64_t lock_timeout_ms,
                      const std::string& run_id, const core::resume_point* resume) {
    return notx_start_sql(t, m.version, m.name, m.checksum, dir, 1, std::nullopt,
                          dir == direction::up ? code_up_sql_values : "NULL, NULL", lock_timeout_ms, run_id, resume,
                          m.phase);
}

std::string done_sql(const history_table_name& t, const migration& m, direction dir) {
    return "RESET lock_timeout; RESET statement_timeout; " + notx_progress_sql(t, m.version, dir, 1);
}

} // namespace

std::string code_placeholder_sql(const migration& m, direction dir) {
    return "-- " + m.file + ": the C++ migration's " + (dir == direction::up ? "up" : "down") +
           " function runs here; the SQL it sends is not known before it runs";
}

std::vector<std::string> code_no_transaction_sql(const history_table_name& t, const options& opts, const migration& m,
                                                 direction dir, const core::resume_point* resume) {
    core::resume_point from_start;
    if (resume != nullptr) {
        from_start = *resume;
        from_start.first = 0;
    }
    return {start_sql(t, m, dir, lock_timeout_of(opts, m, dir), quote_literal("<run id>"),
                      resume != nullptr ? &from_start : nullptr),
            code_placeholder_sql(m, dir) + " (each statement commits on its own)", done_sql(t, m, dir),
            notx_finish_sql(t, m.version, dir, "0 /* measured ms */")};
}

std::int64_t run_code_no_transaction(exec_context& ctx, const migration& m, direction dir,
                                     const core::resume_point* resume) {
    const std::string tbl = qualified_table(ctx.table);
    const std::string v = std::to_string(m.version);
    const std::string what = dir == direction::up ? "migration" : "rollback of migration";
    const bool up = dir == direction::up;
    const std::int64_t lock_timeout_ms = lock_timeout_of(ctx.opts, m, dir);
    const auto start = std::chrono::steady_clock::now();
    const auto elapsed = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    };
    // The function is the one "statement": statements_done 1 when it returned.
    core::resume_point from_start;
    if (resume != nullptr) {
        from_start = *resume;
        from_start.first = 0;
        ctx.log(log_level::info, resume->note);
    }
    ctx.conn.exec(start_sql(ctx.table, m, dir, lock_timeout_ms, quote_literal(ctx.run_id()),
                            resume != nullptr ? &from_start : nullptr));
    const std::string id = "(SELECT max(id) FROM " + tbl + " WHERE version = " + v + " AND direction = '" +
                           to_string(dir) + "' AND status = 'running')";

    const auto fail = [&](const std::string& recorded, const std::string& reported, const std::string& sqlstate) {
        if (auto other = done_by_another_instance(ctx, m.version, dir, m.file)) {
            record_failure(ctx, "UPDATE " + tbl + " SET status = 'repaired', error_message = " +
                                    quote_literal("superseded: another instance completed it while this run (" +
                                                  ctx.run_id() + ") was running it") +
                                    " WHERE id = " + id);
            throw done_elsewhere(*other);
        }
        const std::string not_recorded =
            record_failure(ctx, "RESET lock_timeout; RESET statement_timeout; UPDATE " + tbl +
                                    " SET status = 'failed', execution_ms = " + std::to_string(elapsed()) +
                                    ", error_message = " + quote_literal(recorded) + " WHERE id = " + id);
        std::string msg = what + " " + v + " (" + m.file + ", no-transaction) failed: " + reported +
                          "\nIt ran outside a transaction: what its statements committed before the failure stays";
        if (not_recorded.empty())
            msg += "; a 'failed' row records it. Check the database, fix the cause, then run " +
                   core::command_hint(ctx.opts.admin_command, "repair") + ": the next run calls its " +
                   (up ? "up" : "down") + " function again from its start.";
        else
            msg += ". No 'failed' row could be recorded in " + ctx.table.qualified() + " (" + not_recorded +
                   "): the history still shows it running.";
        throw error(error_code::migration_failed, msg, error_location{m.file, 0, m.version, sqlstate});
    };

    std::string failed_statement;
    try {
        call_code(up ? m.code->up : m.code->down, ctx.conn, false, m.version, m.file, ctx.log, failed_statement,
                  ctx.fence != nullptr && ctx.fence->between ? &ctx.fence->between : nullptr);
    } catch (const db_error& e) {
        std::string statement = failed_statement.substr(0, failed_statement.find('\n'));
        if (statement.size() > 120) statement = statement.substr(0, 117) + "...";
        fail("SQLSTATE " + e.sqlstate + " in " + m.file + ": " + e.primary + " (in: " + statement + ")",
             e.primary + " (SQLSTATE " + e.sqlstate + ")\n  in the statement: " + statement, e.sqlstate);
    } catch (const code_exception& e) {
        fail(std::string("its C++ function threw: ") + e.what(), std::string("its C++ function threw: ") + e.what(), {});
    }
    ctx.conn.exec(done_sql(ctx.table, m, dir));
    const std::int64_t ms = elapsed();
    ctx.conn.exec(notx_finish_sql(ctx.table, m.version, dir, std::to_string(ms)));
    return ms;
}

} // namespace pgmig::detail::engine
