// pgmig — the call a service makes at boot.
#pragma once

#include <pgmig/conninfo.hpp>
#include <pgmig/history.hpp>
#include <pgmig/log.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/reconcile.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace pgmig {

enum class run_mode {
    apply,       ///< apply pending migrations (default)
    verify_only, ///< refuse to start when anything is pending; never writes
    dry_run      ///< report what would be applied; never writes
};

/// How the run holds the migration lock (see the README's lock section).
enum class lock_mode {
    /// session on a direct connection; transaction when the connection goes
    /// through a pooler (detected: the backend pid the protocol announced at
    /// connect time differs from pg_backend_pid(), as with PgBouncer, Odyssey,
    /// PgCat, RDS Proxy), unless migration_url gives a direct connection.
    automatic,
    /// A session advisory lock on a connection of its own, for the whole run;
    /// each migration's transaction checks that the lock is still held before
    /// it commits. Needs a direct connection (or a session-pooling pooler).
    session,
    /// Each migration's transaction takes pg_advisory_xact_lock and checks the
    /// history under it before running (safe through a transaction pooler).
    /// No-transaction migrations then need migration_url.
    transaction,
};

/// "auto", "session", "transaction".
const char* to_string(lock_mode m) noexcept;

/// Which phases a run applies (docs/zero-downtime.md). Versions stay in one
/// order: a run applies the pending migrations of its phases in version order;
/// a pending post-deploy migration does not hold back later pre-deploy ones.
enum class phase_selection {
    pre_deploy,  ///< the default of a boot and of `up`: pre-deploy migrations only
    post_deploy, ///< the post-deploy step: pending post-deploy migrations only
    all          ///< every pending migration in version order (development, tests)
};

/// "pre-deploy", "post-deploy", "all".
const char* to_string(phase_selection p) noexcept;

struct options {
    history_table_name history_table;
    struct policies policy;
    run_mode mode = run_mode::apply;
    /// The phases this run applies; a boot applies pre-deploy migrations only.
    /// Pending migrations of other phases are reported in startup_report::waiting
    /// (and verify_only does not refuse because of them).
    phase_selection phases = phase_selection::pre_deploy;
    /// statement_timeout of each batch of a -- pgmig:batch statement unless the
    /// directive sets one (0 = no limit).
    std::chrono::milliseconds batch_statement_timeout{std::chrono::minutes(1)};
    /// Keep retrying the connection (with backoff) this long; the database may still be starting.
    std::chrono::milliseconds connect_timeout{std::chrono::seconds(30)};
    /// Longest wait for the advisory lock held by another process.
    std::chrono::milliseconds lock_timeout{std::chrono::minutes(5)};
    /// How often to log who holds the lock while waiting.
    std::chrono::milliseconds lock_log_interval{std::chrono::seconds(5)};
    /// SET LOCAL lock_timeout for each migration's DDL (0 = no limit).
    std::chrono::milliseconds ddl_lock_timeout{std::chrono::seconds(5)};
    /// Retries of a migration that failed with lock_not_available (55P03).
    int ddl_lock_retries = 3;
    /// application_name of pgmig's connections (shown to other sessions and in applied_by).
    std::string application_name = "pgmig";
    /// auto: session lock on a direct connection, transaction-scoped locks
    /// through a connection pooler. See lock_mode.
    pgmig::lock_mode lock_mode = pgmig::lock_mode::automatic;
    /// A direct connection to the server (not through a pooler), for the lock
    /// and for no-transaction migrations when the main connection goes through
    /// a transaction pooler; empty = none. CLI: --direct-db.
    std::string migration_url;
    /// Where messages go; empty = stderr_logger().
    pgmig::logger log;
    /// How the service's admin commands are invoked, for the fix hints in
    /// errors and warnings (e.g. "`myapp db repair`"): the words before the
    /// command, e.g. "myapp db". Empty = "<program> db", <program> being the
    /// base name of the running executable (from /proc/self/exe on Linux;
    /// "myapp" where it cannot be found). The admin CLI sets it to its own
    /// cli_options::program_name.
    std::string admin_command;
};

struct startup_report {
    std::vector<std::int64_t> applied;  ///< versions this call applied, in order
    std::vector<std::int64_t> pending;  ///< still pending (dry_run), else empty
    /// Pending migrations of a phase this run does not apply (by default: the
    /// post-deploy ones, waiting for the post-deploy step). Not a failure.
    std::vector<std::int64_t> waiting;
    std::vector<problem> warnings;      ///< problems that did not refuse
    bool took_lock = false;             ///< false when nothing had to be done
    std::chrono::milliseconds elapsed{0};
    reconcile_report state;             ///< the state after this call
};

/// Connect (retrying until options.connect_timeout), compare the database's
/// history with `set`, and per options either return at once (nothing to do,
/// no lock taken), apply the pending migrations under the advisory lock, or
/// throw pgmig::error saying what is wrong and which command fixes it
/// (options.admin_command spells the commands). When a run stops part-way
/// (a migration fails after others were applied) the error is a
/// pgmig::partial_error listing what this call applied before it stopped.
startup_report migrate_on_startup(const std::string& conninfo, const migration_set& set,
                                  const options& opts = {});

/// The same, for a connection string that may be missing, such as
/// std::getenv("DB_URL"): nullptr is the empty string, which is
/// error(usage) "no database given" (nothing is connected, nothing thrown
/// but pgmig::error).
startup_report migrate_on_startup(const char* conninfo, const migration_set& set, const options& opts = {});

} // namespace pgmig
