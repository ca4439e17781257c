// Running one migration (up or down) together with its history row.
#include "engine/executor.hpp"
#include "core/admin_command.hpp"
#include "core/drift_diff.hpp"
#include "engine/blockers.hpp"
#include "engine/executor_code.hpp"
#include "engine/executor_notx.hpp"
#include "engine/history.hpp"
#include "engine/lock.hpp"

#include <pgmig/error.hpp>

#include <algorithm>
#include <chrono>
#include <random>
#include <sstream>
#include <string_view>
#include <thread>

namespace pgmig::detail::engine {

namespace {

int count_lines(const std::string& s) {
    int n = 1;
    for (char c : s)
        if (c == '\n') ++n;
    return n;
}

std::string line_of(const std::string& s, int line) {
    int cur = 1;
    std::size_t start = 0;
    while (cur < line) {
        std::size_t nl = s.find('\n', start);
        if (nl == std::string::npos) return {};
        start = nl + 1;
        ++cur;
    }
    std::size_t end = s.find('\n', start);
    std::string out = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const auto first = out.find_first_not_of(" \t");
    return first == std::string::npos ? std::string() : out.substr(first);
}

// Prefix on ONE line so that the server's "LINE n" stays the line within the section.
// statement_timeout=0 and the run's lock_timeout are session settings of pgmig's
// connections (connect_with_retry); only a per-file lock timeout needs SET LOCAL.
std::string tx_prefix(std::int64_t lock_timeout_ms, std::int64_t session_lock_timeout_ms) {
    if (lock_timeout_ms == session_lock_timeout_ms) return "BEGIN; ";
    return "BEGIN; SET LOCAL lock_timeout = '" + std::to_string(lock_timeout_ms) + "ms'; ";
}

void rollback_quietly(db_connection& c) {
    try {
        c.exec("ROLLBACK");
    } catch (const std::exception&) {
    }
}

struct failure_text {
    std::string recorded; // for error_message
    std::string thrown;   // for the exception
    int file_line = 0;
};

failure_text describe_failure(const db_error& e, const std::string& sql, const std::string& file,
                              int section_line, const std::string& what, std::int64_t version) {
    failure_text f;
    std::ostringstream rec, out;
    const int sql_lines = count_lines(sql);
    if (e.line > 0 && e.line <= sql_lines) f.file_line = section_line + e.line - 1;
    rec << "SQLSTATE " << (e.sqlstate.empty() ? "?????" : e.sqlstate);
    if (f.file_line) rec << " at line " << f.file_line << " of " << file;
    rec << ": " << e.primary;
    out << what << ' ' << version << " (" << file << ") failed";
    if (f.file_line)
        out << " at line " << f.file_line;
    out << ": " << e.primary << " (SQLSTATE " << (e.sqlstate.empty() ? "?????" : e.sqlstate) << ")";
    if (f.file_line) {
        const std::string text = line_of(sql, e.line);
        if (!text.empty()) out << "\n  " << file << ':' << f.file_line << ": " << text;
    }
    f.recorded = rec.str();
    f.thrown = out.str();
    return f;
}

std::string failed_row_sql(exec_context& ctx, std::int64_t version, const std::string& name,
                           const std::string& checksum, direction dir, const std::string& message, std::int64_t ms) {
    return "INSERT INTO " + qualified_table(ctx.table) +
           " (version, name, checksum, direction, status, error_message, execution_ms, applied_by)"
           " VALUES (" + std::to_string(version) + ", " + quote_literal(name) + ", " + quote_literal(checksum) + ", '" +
           to_string(dir) + "', 'failed', " + quote_literal(message) + ", " + std::to_string(ms) + ", " +
           ctx.applied_by() + ")";
}

using clock = std::chrono::steady_clock;

// A body this large is sent in a round trip of its own, between the frame's
// head and tail: joining them would copy it (a seed file of many megabytes)
// into one more buffer, to save two round trips that cost far less than
// sending it does.
constexpr std::size_t separate_body_bytes = std::size_t{1} << 20;

// Run `body` (the section's SQL) in one transaction: frame.head (BEGIN …), the
// body, frame.tail (bookkeeping; COMMIT). Retries on lock_not_available.
// Throws error(migration_failed) after recording a failed row.
// `code`: a C++ migration's function, run between the head and the tail on a
// session (the body is then the statement that failed, if one did).
std::int64_t run_transactional(exec_context& ctx, std::int64_t version, const std::string& name,
                               const std::string& checksum, direction dir, const std::string& sql_body,
                               const transaction_frame& frame, const std::string& file, int section_line,
                               std::int64_t lock_timeout_ms, const std::function<void(session&)>* code = nullptr) {
    const std::string what = dir == direction::up ? "migration" : "rollback of migration";
    std::string failed_statement; // code: the statement the server rejected
    const std::string& body = code != nullptr ? failed_statement : sql_body;
    const int body_lines = count_lines(body);
    const lock_retry_policy retry = lock_retries(ctx.opts);
    const bool separate = code != nullptr || body.size() >= separate_body_bytes;
    const std::string sql = separate ? std::string() : frame.joined(body);
    for (int attempt = 0;; ++attempt) {
        const auto start = clock::now();
        bool in_tail = false; // the round trip that failed is the tail's (separate only)
        try {
            if (code != nullptr) {
                ctx.conn.exec(frame.head);
                call_code(*code, ctx.conn, true, version, file, ctx.log, failed_statement);
                in_tail = true;
                ctx.conn.exec(frame.tail_alone());
            } else if (separate) {
                // The body's line 1 is line 1 of its own text, as it is of the joined one.
                ctx.conn.exec(frame.head);
                ctx.conn.exec(body);
                in_tail = true;
                ctx.conn.exec(frame.tail_alone());
            } else {
                ctx.conn.exec(sql);
            }
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start).count();
            ctx.measured(version, dir, ms);
            return ms;
        } catch (const db_error& e) {
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start).count();
            rollback_quietly(ctx.conn);
            lock_fence::check(e); // the lock fence stopped it: not the migration's failure
            // The statement that failed is pgmig's bookkeeping, not the migration.
            const bool bookkeeping = separate ? in_tail : e.line > body_lines;
            const std::string blockers =
                e.sqlstate == "55P03" && !bookkeeping ? describe_lock_blockers(ctx.conn, body) : std::string();
            if (e.sqlstate == "55P03" && !bookkeeping && attempt < retry.retries) {
                const std::chrono::milliseconds backoff = retry.pause(attempt);
                ctx.log(log_level::warning,
                        what + " " + std::to_string(version) + " (" + file + ") could not get a lock within " +
                            std::to_string(lock_timeout_ms) + "ms (" + e.primary + ")" +
                            (blockers.empty() ? std::string() : "; blocked by " + blockers) + "; retry " +
                            std::to_string(attempt + 1) + "/" + std::to_string(retry.retries) +
                            " in " + std::to_string(backoff.count()) + "ms");
                std::this_thread::sleep_for(backoff);
                continue;
            }
            // Another instance got there first (its SQL failed on what that one did,
            // or the unique index rejected our row): not a failure of the migration.
            if (auto other = done_by_another_instance(ctx, version, dir, file)) throw done_elsewhere(*other);
            if (bookkeeping) {
                throw error(error_code::database,
                            "recording " + what + " " + std::to_string(version) + " in " +
                                ctx.table.qualified() + " failed: " + e.primary + " (SQLSTATE " +
                                e.sqlstate + "); the migration was rolled back and nothing was recorded" +
                                (code != nullptr && e.sqlstate == "25P02"
                                     ? ". Its C++ function went on after one of its statements had failed (which "
                                       "aborts the transaction): let the error of session::execute() propagate"
                                     : std::string()),
                            error_location{file, 0, version, e.sqlstate});
            }
            failure_text f = describe_failure(e, body, file, section_line, what, version);
            if (code != nullptr && !failed_statement.empty())
                f.thrown += "\n  in the statement: " + line_of(failed_statement, 1);
            const std::string not_recorded =
                record_failure(ctx, failed_row_sql(ctx, version, name, checksum, dir, f.recorded, ms));
            std::string msg = f.thrown + "\nNothing of it was applied: its transaction was rolled back";
            if (not_recorded.empty())
                msg += ", and a 'failed' row was recorded in " + ctx.table.qualified() + ". Fix the cause, then run " +
                       core::command_hint(ctx.opts.admin_command, "repair") + " to clear the failed record and start again.";
            else
                msg += ". No 'failed' row could be recorded in " + ctx.table.qualified() + " (" + not_recorded +
                       "), so the history does not show this failure. Fix the cause, then run it again.";
            if (e.sqlstate == "55P03")
                msg += "\nAnother session held a lock the migration needed for longer than " +
                       std::to_string(lock_timeout_ms) + "ms in each of " +
                       std::to_string(retry.retries + 1) + " attempts" +
                       (blockers.empty() ? std::string("; find it in pg_stat_activity / pg_locks.")
                                         : ". Blocked by " + blockers +
                                               " (end it with pg_terminate_backend(pid) if it is stuck).");
            throw error(error_code::migration_failed, msg,
                        error_location{file, f.file_line, version, e.sqlstate});
        } catch (const code_exception& e) {
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start).count();
            rollback_quietly(ctx.conn);
            const std::string text = "its C++ function threw: " + std::string(e.what());
            const std::string not_recorded =
                record_failure(ctx, failed_row_sql(ctx, version, name, checksum, dir, text, ms));
            std::string msg = what + " " + std::to_string(version) + " (" + file + ") failed: " + text +
                              "\nNothing of it was applied: its transaction was rolled back";
            if (not_recorded.empty())
                msg += ", and a 'failed' row was recorded in " + ctx.table.qualified() + ". Fix the cause, then run " +
                       core::command_hint(ctx.opts.admin_command, "repair") + " to clear the failed record and start again.";
            else
                msg += ". No 'failed' row could be recorded in " + ctx.table.qualified() + " (" + not_recorded + ").";
            throw error(error_code::migration_failed, msg, error_location{file, 0, version, {}});
        }
    }
}

} // namespace

// ------------------------------------------------------------ the SQL text (shared with --dry-run)

std::chrono::milliseconds lock_retry_policy::pause(int attempt) const {
    std::chrono::milliseconds p = first_pause;
    for (int i = 0; i < attempt && p < max_pause; ++i) p *= 2;
    return std::min(p, max_pause);
}

lock_retry_policy lock_retries(const options& opts) {
    lock_retry_policy p;
    p.retries = opts.ddl_lock_retries;
    return p;
}

std::int64_t effective_lock_timeout_ms(const options& opts, std::int64_t per_file) {
    return per_file >= 0 ? per_file : static_cast<std::int64_t>(opts.ddl_lock_timeout.count());
}

std::string up_sql_values(std::string_view up_sql, bool dry_run) {
    const std::optional<std::string_view> stored = core::up_sql_to_record(up_sql);
    const std::string bytes = std::to_string(up_sql.size());
    if (!stored) return "NULL, " + bytes;
    return (dry_run ? "<the up SQL above, as a literal>" : quote_literal(*stored)) + ", " + bytes;
}

std::string up_bookkeeping_sql(const history_table_name& t, std::int64_t version, const std::string& name,
                               const std::string& checksum, const std::optional<std::string>& down_sql,
                               const std::string& up_sql, const std::string& execution_ms,
                               const std::string& applied_by, deploy_phase phase, bool supersede_down,
                               const std::string& status) {
    const std::string tbl = qualified_table(t);
    const std::string v = std::to_string(version);
    return (supersede_down ? "UPDATE " + tbl + " SET status = 'reverted' WHERE version = " + v +
                                 " AND direction = 'down' AND status = 'success';\n"
                           : std::string()) +
           "INSERT INTO " + tbl +
           " (version, name, checksum, direction, status, execution_ms, applied_by, down_sql, phase, up_sql, "
           "up_sql_bytes) VALUES (" + v + ", " + quote_literal(name) + ", " + quote_literal(checksum) +
           ", 'up', " + status + ", " + execution_ms + ", " + applied_by + ", " +
           (down_sql ? quote_literal(*down_sql) : std::string("NULL")) + ", '" + to_string(phase) + "', " + up_sql +
           ")";
}

std::string down_bookkeeping_sql(const history_table_name& t, std::int64_t version, const std::string& name,
                                 const std::string& checksum, const std::string& execution_ms,
                                 const std::string& applied_by, const std::string& status) {
    const std::string tbl = qualified_table(t);
    const std::string v = std::to_string(version);
    return "UPDATE " + tbl + " SET status = 'reverted' WHERE version = " + v +
           " AND status = 'success';\n"
           "INSERT INTO " + tbl +
           " (version, name, checksum, direction, status, execution_ms, applied_by) VALUES (" + v + ", " +
           quote_literal(name) + ", " + quote_literal(checksum) + ", 'down', " + status + ", " + execution_ms +
           ", " + applied_by + ")";
}

namespace {

constexpr std::string_view body_separator = "\n;\n";

const std::string& status_of(const lock_fence* fence) {
    static const lock_fence none;
    return (fence != nullptr ? *fence : none).status_sql;
}

transaction_frame frame_of(const std::string& bookkeeping, std::int64_t lock_timeout_ms, const options& opts,
                           const lock_fence* fence) {
    transaction_frame f;
    f.head = tx_prefix(lock_timeout_ms, static_cast<std::int64_t>(opts.ddl_lock_timeout.count()));
    // The fence's first part right after BEGIN (on the same line); its check is the history row's status.
    if (fence != nullptr) f.head.insert(std::string("BEGIN; ").size(), fence->begin_sql);
    f.tail = std::string(body_separator) + bookkeeping + "; COMMIT";
    return f;
}

transaction_frame up_frame(const history_table_name& t, const options& opts, const migration& m,
                           const std::string& applied_by, bool supersede_down, const lock_fence* fence,
                           bool dry_run = false) {
    // execution_ms is written as 0 here and set by execution_times_sql() after the run.
    // A C++ migration stores no down SQL (NULL): its down is its function.
    return frame_of(up_bookkeeping_sql(t, m.version, m.name, m.checksum,
                                       m.reversible && m.code == nullptr ? std::optional<std::string>(m.down_sql)
                                                                         : std::nullopt,
                                       m.code != nullptr ? code_up_sql_values : up_sql_values(m.up_sql, dry_run),
                                       "0", applied_by, m.phase, supersede_down, status_of(fence)),
                    effective_lock_timeout_ms(opts, m.lock_timeout_ms), opts, fence);
}

transaction_frame down_frame(const history_table_name& t, const options& opts, std::int64_t version,
                             const std::string& name, const std::string& checksum, const std::string& applied_by,
                             const lock_fence* fence) {
    return frame_of(down_bookkeeping_sql(t, version, name, checksum, "0", applied_by, status_of(fence)),
                    static_cast<std::int64_t>(opts.ddl_lock_timeout.count()), opts, fence);
}

} // namespace

std::string transaction_frame::joined(const std::string& body) const {
    // Built in one buffer of the exact size: `a + body + …` would grow a copy of
    // the body by doubling.
    std::string out;
    out.reserve(head.size() + body.size() + tail.size());
    out += head;
    out += body;
    out += tail;
    return out;
}

std::string transaction_frame::tail_alone() const { return tail.substr(body_separator.size()); }

std::string up_transaction_sql(const history_table_name& t, const options& opts, const migration& m,
                               const std::string& applied_by, bool supersede_down, const lock_fence* fence,
                               bool dry_run) {
    return up_frame(t, opts, m, applied_by, supersede_down, fence, dry_run)
        .joined(m.code != nullptr ? code_placeholder_sql(m, direction::up) : m.up_sql);
}

std::string down_transaction_sql(const history_table_name& t, const options& opts, std::int64_t version,
                                 const std::string& name, const std::string& checksum,
                                 const std::string& down_sql, const std::string& applied_by,
                                 const lock_fence* fence) {
    return down_frame(t, opts, version, name, checksum, applied_by, fence).joined(down_sql);
}

std::string execution_times_sql(const history_table_name& t, const std::vector<step_time>& times) {
    if (times.empty()) return {};
    const std::string tbl = qualified_table(t);
    std::string values;
    values.reserve(times.size() * 24);
    for (const step_time& st : times) {
        if (!values.empty()) values += ", ";
        values += '(';
        values += std::to_string(st.version);
        values += st.dir == direction::up ? ", 'up', " : ", 'down', ";
        values += st.ms < 0 ? std::string("0 /* measured ms */") : std::to_string(st.ms);
        values += ')';
    }
    // At most one success row per (version, direction): the partial unique index.
    return "UPDATE " + tbl + " AS h SET execution_ms = m.ms FROM (VALUES " + values +
           ") AS m (version, direction, ms) WHERE h.version = m.version AND h.direction = m.direction"
           " AND h.status = 'success'";
}

// ------------------------------------------------------------ exec_context

const std::string& exec_context::applied_by() {
    if (applied_by_.empty()) {
        const db_result r = conn.query("SELECT " + applied_by_sql());
        applied_by_ = quote_literal(r.empty() ? std::string() : r.text(0, 0));
    }
    return applied_by_;
}

const std::string& exec_context::run_id() {
    if (run_id_.empty()) {
        static constexpr char hex[] = "0123456789abcdef";
        std::random_device rd;
        for (int i = 0; i < 8; ++i) {
            const unsigned v = rd();
            for (int k = 0; k < 4; ++k) run_id_ += hex[(v >> (k * 4)) & 0xF];
        }
    }
    return run_id_;
}

std::string record_failure(exec_context& ctx, const std::string& sql) noexcept {
    try {
        try {
            ctx.conn.exec(sql);
        } catch (const db_error& e) {
            if (e.sqlstate != "25P02") throw; // in_failed_sql_transaction: end it, then record
            ctx.conn.exec("ROLLBACK");
            ctx.conn.exec(sql);
        }
        return {};
    } catch (const std::exception& e) {
        std::string why = e.what();
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        try {
            ctx.log(log_level::error, "could not record the failure in the history table: " + why);
        } catch (...) {
        }
        return why;
    }
}

std::optional<std::string> done_by_another_instance(exec_context& ctx, std::int64_t version, direction dir,
                                                    const std::string& file) {
    try {
        const db_result r = ctx.conn.query(
            "SELECT direction, id, applied_by, to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') "
            "FROM " + qualified_table(ctx.table) + " WHERE version = " + std::to_string(version) +
            " AND status = 'success' ORDER BY id DESC LIMIT 1");
        if (r.empty() || r.text(0, 0) != to_string(dir)) return std::nullopt;
        const bool up = dir == direction::up;
        return "migration " + std::to_string(version) + " (" + file + ") was " +
               (up ? "applied" : "rolled back") + " by another instance while this run was " +
               (up ? "applying" : "rolling back") + " it (history row " + r.text(0, 1) + ", " + r.text(0, 2) +
               " at " + r.text(0, 3) + "); this run's attempt was rolled back and no 'failed' row was recorded. "
               "Two pgmig runs migrated the same database at once: check that every instance uses the same "
               "history table and a direct connection for its lock.";
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void exec_context::record_times() noexcept {
    if (times_.empty()) return;
    try {
        const std::string sql = execution_times_sql(table, times_);
        times_.clear();
        conn.exec(sql);
    } catch (const std::exception& e) {
        try {
            log(log_level::warning,
                std::string("could not record the execution times in the history table: ") + e.what());
        } catch (...) {
        }
    }
}

// ------------------------------------------------------------ running

std::int64_t apply_up(exec_context& ctx, const migration& m, bool supersede_down, const core::resume_point* resume) {
    if (m.code != nullptr && m.up_no_transaction) return run_code_no_transaction(ctx, m, direction::up, resume);
    if (m.code != nullptr)
        return run_transactional(ctx, m.version, m.name, m.checksum, direction::up, m.up_sql,
                                 up_frame(ctx.table, ctx.opts, m, ctx.applied_by(), supersede_down, ctx.fence), m.file,
                                 1, effective_lock_timeout_ms(ctx.opts, m.lock_timeout_ms), &m.code->up);
    if (m.up_no_transaction)
        return run_no_transaction(ctx, m.version, m.name, m.checksum, direction::up, m.up_sql,
                                  m.reversible ? std::optional<std::string>(m.down_sql) : std::nullopt, m.file,
                                  m.up_line, effective_lock_timeout_ms(ctx.opts, m.lock_timeout_ms), resume, m.phase);
    return run_transactional(ctx, m.version, m.name, m.checksum, direction::up, m.up_sql,
                             up_frame(ctx.table, ctx.opts, m, ctx.applied_by(), supersede_down, ctx.fence), m.file,
                             m.up_line, effective_lock_timeout_ms(ctx.opts, m.lock_timeout_ms));
}

std::int64_t apply_down(exec_context& ctx, std::int64_t version, const std::string& name,
                        const std::string& checksum, const std::string& down_sql,
                        const std::string& file, int down_line, bool no_transaction, const migration* code) {
    if (code != nullptr && code->code != nullptr && code->code->down) {
        if (no_transaction) return run_code_no_transaction(ctx, *code, direction::down, nullptr);
        return run_transactional(ctx, version, name, checksum, direction::down, down_sql,
                                 down_frame(ctx.table, ctx.opts, version, name, checksum, ctx.applied_by(), ctx.fence),
                                 file, 1, static_cast<std::int64_t>(ctx.opts.ddl_lock_timeout.count()),
                                 &code->code->down);
    }
    if (no_transaction)
        return run_no_transaction(ctx, version, name, checksum, direction::down, down_sql, std::nullopt, file,
                                  down_line, static_cast<std::int64_t>(ctx.opts.ddl_lock_timeout.count()), nullptr);
    return run_transactional(ctx, version, name, checksum, direction::down, down_sql,
                             down_frame(ctx.table, ctx.opts, version, name, checksum, ctx.applied_by(), ctx.fence),
                             file, down_line, static_cast<std::int64_t>(ctx.opts.ddl_lock_timeout.count()));
}

} // namespace pgmig::detail::engine
