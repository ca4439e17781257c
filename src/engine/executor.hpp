// pgmig — running one transactional migration (up or down) together with its
// history row, and the SQL text of that (shared with --dry-run).
#pragma once

#include "core/resume.hpp"
#include "engine/db.hpp"

#include <pgmig/history.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/startup.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail::engine {

struct lock_fence; // engine/lock.hpp

/// A transactional step's time as measured by pgmig, to be written to its history row.
struct step_time {
    std::int64_t version = 0;
    direction dir = direction::up;
    std::int64_t ms = 0;
};

/// One run of migrations on one connection (under the migration lock).
///
/// Per-migration bookkeeping is kept to constants: applied_by is read once per
/// session, and each transactional step's execution time is measured here and
/// written for all steps by ONE statement at the end of the run (server-side
/// clock arithmetic in every history INSERT cost ~5% of applying small
/// migrations; the UPDATE touches only the steps that took 1 ms or more). The
/// destructor writes what was not written yet, so times are kept when a later
/// migration fails; only a crash leaves them at 0.
class exec_context {
public:
    exec_context(db_connection& c, const history_table_name& t, const options& o, const logger& l)
        : conn(c), table(t), opts(o), log(l) {}
    ~exec_context() { record_times(); }
    exec_context(const exec_context&) = delete;
    exec_context& operator=(const exec_context&) = delete;

    db_connection& conn;
    const history_table_name& table;
    const options& opts; ///< opts.admin_command spells the commands failure messages name
    const logger& log;
    /// The lock fence each migration's transaction carries (engine/lock.hpp);
    /// nullptr: none (the transactions are as --dry-run shows them).
    const lock_fence* fence = nullptr;

    /// "user@host (application_name)" of this session as a SQL literal (one query, on first use).
    const std::string& applied_by();
    /// This run's id (32 random hex digits, made on first use), recorded in the rows of no-transaction runs.
    const std::string& run_id();
    /// A step's measured time; rows are written with 0, so only steps of 1 ms or more need writing.
    void measured(std::int64_t version, direction dir, std::int64_t ms) {
        if (ms > 0) times_.push_back({version, dir, ms});
    }
    /// Write the measured times not written yet (one UPDATE). Never throws: a failure is logged.
    void record_times() noexcept;
    /// The measured times not written yet, handed over (to the context of a
    /// new connection after a reconnect).
    std::vector<step_time> take_times() noexcept { return std::move(times_); }

private:
    std::string applied_by_;
    std::string run_id_;
    std::vector<step_time> times_;
};

/// The step turned out to be done by another instance while this run was
/// running it (the history's latest success row of the version is now one of
/// its direction, written by someone else): this run's attempt was rolled back
/// and no `failed` row was recorded. what() says who did it and when.
struct done_elsewhere : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// After a step failed: did another instance do it meanwhile? Then the message
/// for done_elsewhere ("migration V (file) was applied by another instance …").
std::optional<std::string> done_by_another_instance(exec_context& ctx, std::int64_t version, direction dir,
                                                    const std::string& file);

/// Write a failure to the history on a session that may be in an aborted
/// transaction (ROLLBACK first when the server says so). "" when written, else
/// why not (the server's message); never throws.
std::string record_failure(exec_context& ctx, const std::string& sql) noexcept;

/// Apply one up in one transaction together with its history row. On failure
/// the transaction is rolled back, a `failed` row is recorded in a separate
/// transaction, and error(migration_failed) is thrown naming file, line, SQLSTATE.
/// Returns the execution time in ms. Throws done_elsewhere when another
/// instance applied it meanwhile.
/// `supersede_down`: the history may hold a `down` success row of this version
/// (it was rolled back before) that must be marked reverted; false skips that UPDATE.
/// `resume`: a no-transaction migration resumes an earlier run there (core/resume.hpp).
std::int64_t apply_up(exec_context& ctx, const migration& m, bool supersede_down = true,
                      const core::resume_point* resume = nullptr);

/// Roll back one applied version with `down_sql` in one transaction with its `down` row.
/// `code`: a C++ migration of the set, whose down function runs instead (down_sql is empty).
std::int64_t apply_down(exec_context& ctx, std::int64_t version, const std::string& name,
                        const std::string& checksum, const std::string& down_sql,
                        const std::string& file, int down_line, bool no_transaction,
                        const migration* code = nullptr);

// ------------------------------------------------------------ SQL text (shared with --dry-run)
// apply_up/apply_down send exactly up_transaction_sql/down_transaction_sql, so
// the CLI's --dry-run shows the statements a real run would send: in one round
// trip, or, for a body of 1 MiB or more, in three (the frame's head, the body,
// its tail) so that the body is sent from the migration's own text, not copied.

/// What a transactional step sends around its body: head + body + tail is its text.
struct transaction_frame {
    std::string head; ///< BEGIN; [SET LOCAL …;] [the fence's first part] — one line, ends with "; "
    std::string tail; ///< "\n;\n" bookkeeping (its row's status the fence's check); COMMIT
    /// head + body + tail, in a buffer of the exact size.
    std::string joined(const std::string& body) const;
    /// The tail without the separator that keeps a body's trailing -- comment from swallowing it.
    std::string tail_alone() const;
};

/// The migration's own lock timeout directive, else opts.ddl_lock_timeout (ms).
std::int64_t effective_lock_timeout_ms(const options& opts, std::int64_t per_file);

/// What a run does when a migration's statement waits longer than its
/// lock_timeout for a lock (SQLSTATE 55P03, lock_not_available): a
/// transactional migration's transaction is rolled back and sent again, a
/// no-transaction migration's statement is sent again, after a pause that
/// doubles each time; after `retries` retries the migration fails. Both
/// executors and --dry-run read it from here.
struct lock_retry_policy {
    int retries = 0;
    std::chrono::milliseconds first_pause{500};
    std::chrono::milliseconds max_pause{30000};

    /// The pause before retry `attempt` (0 = the first retry).
    std::chrono::milliseconds pause(int attempt) const;
};

lock_retry_policy lock_retries(const options& opts);
/// The values of a success up row's up_sql and up_sql_bytes (history shape 4),
/// as SQL: the text its checksum hashes (none when core::up_sql_to_record
/// does not store it) and its size. `dry_run`: the text shows as a placeholder
/// naming the SQL above it, which a dry run prints once.
std::string up_sql_values(std::string_view up_sql, bool dry_run = false);
/// History bookkeeping of an applied up: marks an earlier down row reverted, inserts the up row.
/// `execution_ms`, `applied_by`, `up_sql` (up_sql_values) and `status` are SQL
/// (literals or expressions; a run's `status` is its lock fence's status_sql, engine/lock.hpp).
std::string up_bookkeeping_sql(const history_table_name& t, std::int64_t version, const std::string& name,
                               const std::string& checksum, const std::optional<std::string>& down_sql,
                               const std::string& up_sql, const std::string& execution_ms,
                               const std::string& applied_by, deploy_phase phase, bool supersede_down = true,
                               const std::string& status = "'success'");
/// History bookkeeping of a rollback: marks the version's success rows reverted, inserts the down row.
std::string down_bookkeeping_sql(const history_table_name& t, std::int64_t version, const std::string& name,
                                 const std::string& checksum, const std::string& execution_ms,
                                 const std::string& applied_by, const std::string& status = "'success'");
/// The one round trip apply_up sends: BEGIN; SET LOCAL …; <up SQL>; <bookkeeping>; COMMIT.
/// `applied_by` is SQL: exec_context::applied_by() when running, applied_by_sql() for --dry-run.
/// `fence`: what the run's lock adds (lock.hpp). `dry_run`: the up row's copy
/// of the up SQL shows as a placeholder (up_sql_values).
std::string up_transaction_sql(const history_table_name& t, const options& opts, const migration& m,
                               const std::string& applied_by, bool supersede_down = true,
                               const lock_fence* fence = nullptr, bool dry_run = false);
/// The one round trip apply_down sends.
std::string down_transaction_sql(const history_table_name& t, const options& opts, std::int64_t version,
                                 const std::string& name, const std::string& checksum,
                                 const std::string& down_sql, const std::string& applied_by,
                                 const lock_fence* fence = nullptr);
/// The statement that writes measured times into the rows of the steps (their
/// `success` row of that version and direction); "" when `times` is empty.
/// A negative ms renders as a placeholder (for --dry-run, which lists every
/// step; a real run writes only the steps that took 1 ms or more).
std::string execution_times_sql(const history_table_name& t, const std::vector<step_time>& times);

} // namespace pgmig::detail::engine
