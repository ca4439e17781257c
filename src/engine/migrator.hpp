// pgmig — the migrator: one session that owns the connections, the lock and
// the options, and offers every verb. migrate_on_startup and each CLI command
// that writes go through it.
//
// Reading never locks: probe() (the boot's one-query check) and read(). A
// front end plans from state() with the pure planners (core/planner.hpp), shows
// the plan (--dry-run, confirmation), then calls the writing verb, which runs
// the same planner again in the one sequence
//
//     lock → read the history again → plan again → same as confirmed? → execute
//
// where the connection that read the state becomes the lock's dedicated
// connection (pgmig's own statements only: history DDL, reads, bookkeeping
// transactions) and the migrations run on a second connection, opened on
// another thread while the lock is taken. When the plan under the lock is
// empty (another instance did the work) the verb returns without using it.
// A front end that asked a person to confirm a plan passes that plan: the verb
// then refuses (changing nothing) when the plan under the lock differs.
//
// Faults (README, "What happens at boot" and "The lock"):
// - every migration's transaction carries the lock fence (engine/lock.hpp);
//   a run whose lock is lost stops with error(lock_lost), saying what it committed;
// - through a connection pooler the lock is transaction-scoped (lock_mode);
// - a lost connection (a server restart, a failover, a network drop) is made
//   again within connect_timeout, the lock re-taken and the history re-read
//   under it, which says whether the migration in flight committed; the run
//   then goes on with what is still to do;
// - a read-only server is refused before anything is written.
#pragma once

#include "core/foreign_history.hpp"
#include "core/planner.hpp"
#include "engine/db.hpp"

#include <pgmig/error.hpp>
#include <pgmig/history.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/reconcile.hpp>
#include <pgmig/startup.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pgmig::detail::engine {

class background_connection;
class migration_lock;
struct lock_fence;

/// Called around each migration a writing verb runs (e.g. a progress line).
struct run_observer {
    std::function<void(direction dir, std::int64_t version, const std::string& name, const std::string& file,
                       int index, int total)>
        begin;
    std::function<void(std::int64_t version, std::int64_t ms)> end;
};

/// What a writing verb did. A run that stops part-way throws
/// pgmig::partial_error instead, with what it applied and rolled back.
struct run_result {
    bool took_lock = false;
    std::vector<step_result> applied;                ///< in the order they ran
    std::vector<step_result> rolled_back;            ///< in the order they ran
    std::vector<problem> warnings;                   ///< of the plan that ran (read under the lock)
    std::vector<core::bookkeeping_change> changes;  ///< baseline/repair/force: what was recorded
    core::db_state after;                           ///< the history when the verb ended (read under the lock)
};

class migrator {
public:
    /// Nothing is opened yet. opts.log empty: stderr_logger(); opts.admin_command
    /// empty: default_admin_command().
    migrator(std::string conninfo, const migration_set& set, options opts);
    ~migrator();
    migrator(const migrator&) = delete;
    migrator& operator=(const migrator&) = delete;

    /// The options in effect (admin_command and log filled in): what the planners take.
    const options& opts() const noexcept { return opts_; }
    void observe(run_observer observer) { observer_ = std::move(observer); }

    // ------------------------------------------------------------ reading (no lock)

    /// The boot's lock-free check: one query compares a digest of the history
    /// with the set. True when nothing is to be done (the database holds
    /// exactly the set, or reconciling the history finds nothing pending and
    /// no problem). Otherwise state() holds the history (read in full).
    bool probe();
    /// Reads the whole state (schema, table shape, rows, the stored down SQL
    /// rollback and redo need) without the lock: what the planners take.
    const core::db_state& read();
    /// The state last read (by probe or read; a writing verb hands it over in run_result::after).
    const core::db_state& state() const noexcept { return state_; }
    /// Hands over the state last read (state() is empty afterwards).
    core::db_state take_state() noexcept { return std::move(state_); }
    /// The session's connection for other lock-free reads (table sizes, …);
    /// opened on first use. It becomes the lock's when a writing verb runs.
    db_connection& connection();

    // ------------------------------------------------------------ writing (lock, re-plan, execute)
    // `confirmed`: the plan a person confirmed, or nullptr when nobody was asked.

    /// Apply the pending migrations (all, up to `target.to`, or the next `target.steps`).
    run_result apply(const core::up_target& target, const core::up_plan* confirmed = nullptr);
    run_result rollback(const core::rollback_target& target, const core::rollback_plan* confirmed = nullptr);
    run_result redo(const core::redo_plan* confirmed = nullptr);
    run_result baseline(std::int64_t version, const core::bookkeeping_plan* confirmed = nullptr);
    run_result repair(bool accept_checksums, const core::bookkeeping_plan* confirmed = nullptr);
    run_result force(std::int64_t version, const core::bookkeeping_plan* confirmed = nullptr);
    /// Record what another tool's history says is applied (core::plan_import,
    /// its table read again under the lock; that table is only read).
    run_result import_history(const core::import_request& request, const core::bookkeeping_plan* confirmed = nullptr);

private:
    /// One migration to run: an up (`up` set) or a down (`down` set).
    struct step {
        const migration* up = nullptr;
        bool supersede_down = false;
        const core::rollback_step* down = nullptr;
        const core::resume_point* resume = nullptr; ///< an up resuming an interrupted or repaired run
    };

    /// The sequence every writing verb runs (see the top of this file).
    template <class Plan, class Replan, class Execute>
    run_result locked(const Plan* confirmed, bool runs_migrations, bool with_stored_downs, const Replan& replan,
                      const Execute& execute);
    /// Take the lock (the only place it is taken), on the session's connection
    /// (or on options::migration_url): inspects the session first (read-only?
    /// through a pooler? settings in effect?) and decides the lock's scope.
    void acquire();
    /// Take the lock again on new connections after the old ones were lost,
    /// and read the state under it.
    void retake_lock();
    /// After a lost connection: keep the lock if its session survived, else
    /// take it again (retake_lock), then open a new migrations connection.
    void reconnect_after_loss();
    /// The migrations' connection is ready: inspect it and fix its settings.
    void prepare_migrations_connection();
    /// The fence for the next step (transaction mode: the rows expected).
    void arm_fence();
    /// The lock's session is gone: lock_lost when the server is the same one
    /// (someone ended the session), false when the server restarted (reconnect).
    bool server_restarted() noexcept;
    /// Release the lock and close the session's connections.
    void release() noexcept;
    /// Run migrations under the lock (the only place they run), on the
    /// migrations' connection; throws partial_error when one fails.
    void run_steps(std::vector<step> steps, background_connection& opening, run_result& out);
    /// Record a bookkeeping plan under the lock, on the lock's connection.
    void record(const core::bookkeeping_plan& plan, run_result& out);
    /// `under_lock`: a history table of an earlier shape is upgraded first.
    void read_state(db_connection& c, bool with_stored_downs, bool under_lock = false);
    /// After the history changed outside this run's view (a reconnect, another
    /// instance through a transaction pooler): reconcile `out` and the steps
    /// still to do (from `next`) with state_, log what happened to `in_flight`.
    void resync(std::vector<step>& steps, std::size_t& next, const step* in_flight, run_result& out,
                const std::string& why);

    std::string conninfo_;
    const migration_set& set_;
    options opts_;
    logger log_;
    run_observer observer_;
    std::unique_ptr<db_connection> conn_;            ///< found the work; becomes the lock's
    std::unique_ptr<migration_lock> lock_;
    std::unique_ptr<db_connection> migrations_conn_; ///< where migration SQL runs
    std::unique_ptr<db_connection> direct_conn_;     ///< no-transaction migrations with migration_url
    core::db_state state_;
    bool with_stored_downs_ = false;                 ///< of the verb running
    bool xact_lock_ = false;                         ///< the lock is transaction-scoped
    std::string postmaster_start_;                   ///< the server's start time when the lock was taken
    std::vector<session_setting> set_local_;         ///< settings each migration transaction sets (pooled)
    std::size_t expected_rows_ = 0;                  ///< transaction mode: history rows the next step expects
    std::unique_ptr<lock_fence> fence_;
};

} // namespace pgmig::detail::engine
