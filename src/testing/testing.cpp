// pgmig::testing — a fresh, migrated database per test, cloned from a template
// database keyed by the set's digest. The set is applied through the migrator
// (migrate_on_startup), like a service's boot; this file only creates, marks,
// clones and drops databases on the maintenance connection.
//
// Parallel test processes: the template is built under an advisory lock on the
// maintenance database (template_lock_key), into <template>_building, and
// renamed to its final name only when complete, so that a template's name
// existing means it is ready. Nobody stays connected to a template (it is
// marked ALLOW_CONNECTIONS false); a clone that meets a session on it anyway
// (SQLSTATE 55006) retries with backoff.
#include "testing/naming.hpp"

#include "core/checksum.hpp"
#include "core/conninfo.hpp"
#include "core/duration.hpp"
#include "engine/connect.hpp"
#include "engine/db.hpp"
#include "engine/lock.hpp"

#include <pgmig/conninfo.hpp>
#include <pgmig/error.hpp>
#include <pgmig/testing.hpp>
#include <pgmig/version.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#ifdef _WIN32
#include <process.h>
#else
#include <csignal>
#include <unistd.h>
#endif

namespace pgmig::detail::testing {

namespace {

using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

const std::string& this_host() {
    static const std::string host = [] {
#ifdef _WIN32
        const char* h = std::getenv("COMPUTERNAME");
        return std::string(h && *h ? h : "unknown-host");
#else
        char buf[256] = {0};
        return gethostname(buf, sizeof buf - 1) == 0 && buf[0] ? std::string(buf) : std::string("unknown-host");
#endif
    }();
    return host;
}

std::int64_t this_pid() {
#ifdef _WIN32
    return static_cast<std::int64_t>(_getpid());
#else
    return static_cast<std::int64_t>(::getpid());
#endif
}

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// Does process `pid` of this host still exist? (Windows: pgmig cannot tell; yes.)
bool process_alive(std::int64_t pid) {
#ifdef _WIN32
    (void)pid;
    return true;
#else
    if (pid <= 0) return true;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
#endif
}

testing_mark new_mark(testing_kind kind, std::vector<std::pair<std::string, std::string>> fields) {
    testing_mark m;
    m.kind = kind;
    m.host = this_host();
    m.pid = this_pid();
    m.created = unix_now();
    m.fields = std::move(fields);
    return m;
}

/// Sleeps between retries: 20 ms doubling to 1 s, with jitter, never past `deadline`.
class backoff {
public:
    explicit backoff(clock::time_point deadline) : deadline_(deadline), rng_(std::random_device{}()) {}
    /// false when the deadline has passed (no sleep then).
    bool wait() {
        const auto now = clock::now();
        if (now >= deadline_) return false;
        std::uniform_int_distribution<int> jitter(0, static_cast<int>(pause_.count() / 2));
        const auto want = pause_ + milliseconds(jitter(rng_));
        std::this_thread::sleep_for(std::min<clock::duration>(want, deadline_ - now));
        pause_ = std::min(pause_ * 2, milliseconds(1000));
        return true;
    }

private:
    clock::time_point deadline_;
    milliseconds pause_{20};
    std::mt19937 rng_;
};

bool is_in_use(const engine::db_error& e) { return e.sqlstate == "55006"; }            // object_in_use
bool is_lock_timeout(const engine::db_error& e) { return e.sqlstate == "55P03"; }      // lock_not_available
bool is_missing_database(const engine::db_error& e) { return e.sqlstate == "3D000"; }  // invalid_catalog_name
bool is_duplicate_database(const engine::db_error& e) { return e.sqlstate == "42P04"; } // duplicate_database

error database_error(const std::string& doing, const engine::db_error& e, const std::string& conninfo) {
    return error(error_code::database, "pgmig::testing: " + doing + ": " + core::scrub(e.what(), conninfo),
                 error_location{"", 0, std::nullopt, e.sqlstate});
}

/// Who is connected to database `name` ("pid 12 (application_name 'x', user u)", …), for messages.
std::string sessions_on(engine::db_connection& c, const std::string& name) {
    try {
        const engine::db_result r = c.query("SELECT pid, coalesce(application_name, ''), coalesce(usename::text, '') "
                                    "FROM pg_catalog.pg_stat_activity WHERE datname = " + engine::quote_literal(name) +
                                    " AND pid <> pg_backend_pid() LIMIT 5");
        std::string out;
        for (std::size_t i = 0; i < r.size(); ++i) {
            if (!out.empty()) out += ", ";
            out += "pid " + r.text(i, 0) + " (application_name '" + r.text(i, 1) + "', user " + r.text(i, 2) + ")";
        }
        return out.empty() ? "a session that has gone since" : out;
    } catch (const std::exception&) {
        return "another session";
    }
}

void set_mark(engine::db_connection& c, const std::string& name, const testing_mark& m) {
    c.exec("COMMENT ON DATABASE " + engine::quote_ident(name) + " IS " + engine::quote_literal(format_mark(m)));
}

int server_version(engine::db_connection& c) { return std::atoi(c.query("SHOW server_version_num").text(0, 0).c_str()); }

/// DROP DATABASE `name` (IF EXISTS). `force`: end the sessions connected to it
/// (WITH (FORCE) on 13+, pg_terminate_backend before) and retry while it is in
/// use until `deadline`; otherwise a database in use throws db_error 55006 at once.
void drop_database(engine::db_connection& c, int version, const std::string& name, bool force, clock::time_point deadline) {
    const bool with_force = force && version >= 130000;
    const std::string sql = "DROP DATABASE IF EXISTS " + engine::quote_ident(name) + (with_force ? " WITH (FORCE)" : "");
    backoff pause(deadline);
    for (;;) {
        if (force && !with_force)
            c.query("SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE datname = " +
                    engine::quote_literal(name) + " AND pid <> pg_backend_pid()");
        try {
            c.exec(sql);
            return;
        } catch (const engine::db_error& e) {
            if (!force || !(is_in_use(e) || is_lock_timeout(e)) || !pause.wait()) throw;
        }
    }
}

/// A template must stop being one before it can be dropped.
void drop_template(engine::db_connection& c, int version, const std::string& name, bool force, clock::time_point deadline) {
    try {
        c.exec("ALTER DATABASE " + engine::quote_ident(name) + " IS_TEMPLATE false");
    } catch (const engine::db_error& e) {
        if (is_missing_database(e)) return;
        throw;
    }
    try {
        drop_database(c, version, name, force, deadline);
    } catch (const engine::db_error&) {
        try {
            c.exec("ALTER DATABASE " + engine::quote_ident(name) + " IS_TEMPLATE true");
        } catch (const std::exception&) {
        }
        throw;
    }
}

/// The pgmig::testing databases of the server, with their marks.
std::vector<std::pair<std::string, testing_mark>> marked_databases(engine::db_connection& c) {
    const engine::db_result r = c.query(
        "SELECT datname, pg_catalog.shobj_description(oid, 'pg_database') FROM pg_catalog.pg_database "
        "WHERE pg_catalog.shobj_description(oid, 'pg_database') LIKE 'pgmig.testing %' ORDER BY datname");
    std::vector<std::pair<std::string, testing_mark>> out;
    for (std::size_t i = 0; i < r.size(); ++i)
        if (auto m = parse_mark(r.text(i, 1))) out.emplace_back(r.text(i, 0), std::move(*m));
    return out;
}

pgmig::testing::cleanup_report cleanup_on(engine::db_connection& c, const pgmig::testing::cleanup_options& what, const logger& log) {
    pgmig::testing::cleanup_report report;
    const int version = server_version(c);
    const auto now = unix_now();
    const auto immediately = clock::now();
    for (const auto& [name, mark] : marked_databases(c)) {
        if (name.compare(0, what.name_prefix.size(), what.name_prefix) != 0) continue;
        bool drop = false;
        switch (mark.kind) {
        case testing_kind::clone:
        case testing_kind::building:
            drop = what.leftovers &&
                   is_leftover(mark, this_host(), mark.host == this_host() && process_alive(mark.pid), now,
                               what.leftover_age);
            break;
        case testing_kind::kept:
            drop = what.kept;
            break;
        case testing_kind::template_:
            drop = what.templates && is_template_database_name(name) &&
                   std::find(what.keep_templates.begin(), what.keep_templates.end(), name) == what.keep_templates.end();
            break;
        }
        if (!drop) continue;
        // A half-built template is dropped only while nobody builds that
        // template (its builder would be holding the lock).
        const std::string lock_of = mark.kind == testing_kind::building ? mark.field("template") : std::string();
        const std::string key = lock_of.empty() ? std::string() : std::to_string(template_lock_key(lock_of));
        try {
            if (!key.empty() && c.query("SELECT pg_try_advisory_lock(" + key + ")").text(0, 0) != "t") {
                report.skipped.push_back(name + " (its template is being built)");
                continue;
            }
            if (mark.kind == testing_kind::template_ || mark.kind == testing_kind::building)
                drop_template(c, version, name, false, immediately);
            else
                drop_database(c, version, name, false, immediately);
            report.dropped.push_back(name);
            log(log_level::info, "pgmig::testing: dropped " + std::string(to_string(mark.kind)) + " database " + name);
        } catch (const engine::db_error& e) {
            report.skipped.push_back(name + " (" + e.primary + ")");
        }
        if (!key.empty()) {
            try {
                c.query("SELECT pg_advisory_unlock(" + key + ")");
            } catch (const std::exception&) {
            }
        }
    }
    return report;
}

/// The options the migrator gets: the given ones, quieter by default.
options migrator_options(const options& given) {
    options o = given;
    if (!o.log) o.log = stderr_logger(log_level::warning);
    o.phases = phase_selection::all; // a test database holds the whole set, post-deploy migrations included
    return o;
}

} // namespace

// ------------------------------------------------------------ the shared state

struct factory_state {
    std::string server_url;
    migration_set set;
    pgmig::testing::options opts;       ///< keep resolved (never from_environment)
    options migrate;             ///< what the migrator gets
    logger log;                  ///< pgmig::testing's own messages
    std::string digest;
    std::string template_name;

    std::mutex mutex; ///< guards everything below
    std::unique_ptr<engine::db_connection> conn;
    int version = 0;
    bool cleaned = false;
    bool ready = false;
    bool built = false;

    /// The maintenance connection (mutex held), opened on first use.
    engine::db_connection& maintenance() {
        if (!conn) {
            conn = engine::connect_with_retry(server_url, migrate, log);
            version = server_version(*conn);
        }
        return *conn;
    }

    /// f(maintenance connection) with the mutex held; once more on a new
    /// connection when the connection was lost. db_error becomes pgmig::error.
    template <class F>
    auto run(const std::string& doing, F&& f) {
        try {
            try {
                return f(maintenance());
            } catch (const engine::connection_error&) {
                conn.reset();
                return f(maintenance());
            }
        } catch (const engine::db_error& e) {
            throw database_error(doing, e, server_url);
        } catch (const engine::connection_error& e) {
            conn.reset();
            throw error(error_code::connection, "pgmig::testing: " + doing + ": " + core::scrub(e.what(), server_url));
        }
    }

    std::string url_of(const std::string& name) const { return core::set_param(server_url, "dbname", name); }

    bool exists(engine::db_connection& c, const std::string& name) {
        return !c.query("SELECT 1 FROM pg_catalog.pg_database WHERE datname = " + engine::quote_literal(name)).empty();
    }

    /// Apply the set to database `name` through the migrator; on failure, drop
    /// it (`locked`: the mutex is held already) and say what failed.
    void migrate_into(const std::string& name, const std::string& what, bool locked) {
        try {
            migrate_on_startup(url_of(name), set, migrate);
        } catch (const error& e) {
            try {
                std::unique_lock<std::mutex> g(mutex, std::defer_lock);
                if (!locked) g.lock();
                run("dropping " + name, [&](engine::db_connection& c) {
                    drop_template(c, version, name, true, clock::now() + opts.clone_timeout);
                    return 0;
                });
            } catch (const std::exception&) {
            }
            throw error(e.code(),
                        "pgmig::testing: applying the " + std::to_string(set.size()) + " migrations to " + what +
                            " failed: " + e.what(),
                        e.where());
        }
    }

    void cleanup_once() {
        if (cleaned || !opts.cleanup_leftovers) return;
        cleaned = true;
        pgmig::testing::cleanup_options what;
        what.leftover_age = opts.leftover_age;
        run("cleaning up earlier runs' databases", [&](engine::db_connection& c) { return cleanup_on(c, what, log); });
    }

    /// Find or build the template (mutex held).
    void ensure_template() {
        if (ready || !opts.use_template) return;
        cleanup_once();
        if (run("looking for the template " + template_name, [&](engine::db_connection& c) { return exists(c, template_name); })) {
            ready = true;
            return;
        }
        const std::int64_t key = template_lock_key(template_name);
        const bool took = run("locking the template " + template_name, [&](engine::db_connection& c) {
            return c.query("SELECT pg_try_advisory_lock(" + std::to_string(key) + ")").text(0, 0) == "t";
        });
        if (!took) wait_for_lock(key);
        struct unlock {
            factory_state& f;
            std::int64_t key;
            ~unlock() {
                try {
                    if (f.conn) f.conn->query("SELECT pg_advisory_unlock(" + std::to_string(key) + ")");
                } catch (const std::exception&) {
                    f.conn.reset(); // closing the session releases the lock
                }
            }
        } release{*this, key};
        // Another process may have built it while this one waited.
        if (run("looking for the template " + template_name, [&](engine::db_connection& c) { return exists(c, template_name); })) {
            ready = true;
            return;
        }
        build();
        built = true;
        ready = true;
    }

    void wait_for_lock(std::int64_t key) {
        log(log_level::info, "pgmig::testing: waiting for another process to build the template database " +
                                 template_name + " (advisory lock " + std::to_string(key) +
                                 " on the maintenance database)");
        const auto ms = migrate.lock_timeout.count();
        run("waiting for the template " + template_name, [&](engine::db_connection& c) {
            c.exec("SET lock_timeout = " + std::to_string(std::max<long long>(ms, 1)));
            try {
                c.query("SELECT pg_advisory_lock(" + std::to_string(key) + ")");
            } catch (const engine::db_error& e) {
                if (!is_lock_timeout(e)) throw;
                c.exec("RESET lock_timeout");
                throw error(error_code::lock_timeout,
                            "pgmig::testing: timed out after " + core::format_duration(migrate.lock_timeout) +
                                " waiting for another process to build the template database " + template_name +
                                " (advisory lock " + std::to_string(key) + " on the maintenance database, held by " +
                                holder(c, key) + "); raise options.migrate.lock_timeout if the set takes "
                                "that long to apply");
            }
            c.exec("RESET lock_timeout");
            return 0;
        });
    }

    static std::string holder(engine::db_connection& c, std::int64_t key) {
        std::string who;
        try {
            who = engine::describe_lock_holder(c, key);
        } catch (const std::exception&) {
        }
        return who.empty() ? "another session" : who;
    }

    /// Build the template under its lock (mutex held): migrate <template>_building,
    /// mark it a template nobody may connect to, rename it.
    void build() {
        const std::string building = building_database_name(template_name);
        const auto t0 = clock::now();
        log(log_level::info, "pgmig::testing: building the template database " + template_name + " (" +
                                 std::to_string(set.size()) + " migrations, newest " +
                                 std::to_string(set.newest_version()) + ")");
        run("creating " + building, [&](engine::db_connection& c) {
            // What a builder that crashed left, if anything (nobody else builds: the lock).
            drop_template(c, version, building, true, clock::now() + opts.clone_timeout);
            c.exec("CREATE DATABASE " + engine::quote_ident(building) + " TEMPLATE " + engine::quote_ident(opts.base_template));
            set_mark(c, building, new_mark(testing_kind::building, {{"template", template_name}}));
            return 0;
        });
        migrate_into(building, "the template database " + building, true);
        run("marking " + building + " as a template", [&](engine::db_connection& c) {
            c.exec("ALTER DATABASE " + engine::quote_ident(building) + " IS_TEMPLATE true");
            c.exec("ALTER DATABASE " + engine::quote_ident(building) + " ALLOW_CONNECTIONS false");
            set_mark(c, building,
                     new_mark(testing_kind::template_,
                              {{"digest", digest},
                               {"migrations", std::to_string(set.size())},
                               {"newest", std::to_string(set.newest_version())},
                               {"history", migrate.history_table.qualified()},
                               {"pgmig", PGMIG_VERSION_STRING}}));
            // The migrator's sessions may still be ending: retry while it is in use.
            backoff pause(clock::now() + opts.clone_timeout);
            for (;;) {
                try {
                    c.exec("ALTER DATABASE " + engine::quote_ident(building) + " RENAME TO " + engine::quote_ident(template_name));
                    return 0;
                } catch (const engine::db_error& e) {
                    if (!is_in_use(e) || !pause.wait()) throw;
                }
            }
        });
        log(log_level::info, "pgmig::testing: built " + template_name + " in " +
                                 core::format_duration(std::chrono::duration_cast<milliseconds>(clock::now() - t0)));
    }

    /// CREATE DATABASE `name` as a copy of the template (mutex held). False when
    /// the name is taken. Retries while another session is on the template; builds
    /// the template again when it was dropped meanwhile.
    bool clone(const std::string& name) {
        std::string sql = "CREATE DATABASE " + engine::quote_ident(name) + " TEMPLATE " + engine::quote_ident(template_name);
        if (version >= 150000 && !opts.clone_strategy.empty())
            sql += " STRATEGY = " + opts.clone_strategy;
        else if (opts.clone_strategy == "wal_log") // before 15, every CREATE DATABASE copies files
            throw error(error_code::usage, "pgmig::testing: options.clone_strategy \"wal_log\" needs PostgreSQL 15 "
                                           "or later (older servers always copy the files)");
        backoff pause(clock::now() + opts.clone_timeout);
        bool rebuilt = false;
        for (;;) {
            try {
                maintenance().exec(sql);
                return true;
            } catch (const engine::db_error& e) {
                if (is_duplicate_database(e)) return false;
                if (is_missing_database(e) && !rebuilt) { // dropped by a cleanup meanwhile
                    rebuilt = true;
                    ready = false;
                    ensure_template();
                    continue;
                }
                if ((is_in_use(e) || is_lock_timeout(e)) && pause.wait()) continue;
                if (is_in_use(e))
                    throw error(error_code::database,
                                "pgmig::testing: cannot clone the template database " + template_name + " for " +
                                    core::format_duration(opts.clone_timeout) + ": it is in use by " +
                                    sessions_on(maintenance(), template_name) +
                                    " (CREATE DATABASE … TEMPLATE needs it to have no sessions); end them, e.g. "
                                    "with pg_terminate_backend(pid)",
                                error_location{"", 0, std::nullopt, e.sqlstate});
                throw database_error("creating " + name + " from " + template_name, e, server_url);
            }
        }
    }

    /// A new database, cloned or migrated; its name.
    std::string make_database(std::string_view test_name) {
        const std::string test = sanitize_name_part(test_name, max_identifier_bytes);
        for (int attempt = 0;; ++attempt) {
            const std::string name = test_database_name(test_name, random_name_suffix());
            bool created = false;
            {
                std::lock_guard<std::mutex> g(mutex);
                ensure_template();
                cleanup_once();
                created = run("creating " + name, [&](engine::db_connection& c) {
                    if (opts.use_template) {
                        if (!clone(name)) return false;
                    } else {
                        try {
                            c.exec("CREATE DATABASE " + engine::quote_ident(name) + " TEMPLATE " +
                                   engine::quote_ident(opts.base_template));
                        } catch (const engine::db_error& e) {
                            if (is_duplicate_database(e)) return false;
                            throw;
                        }
                    }
                    set_mark(maintenance(), name,
                             new_mark(testing_kind::clone, {{"template", opts.use_template ? template_name : "-"},
                                                            {"test", test}}));
                    return true;
                });
            }
            if (created) {
                if (!opts.use_template) migrate_into(name, "the test database " + name, false);
                return name;
            }
            if (attempt >= 4)
                throw error(error_code::database, "pgmig::testing: five random database names in a row were taken");
        }
    }

    void drop(const std::string& name) {
        std::lock_guard<std::mutex> g(mutex);
        run("dropping the test database " + name, [&](engine::db_connection& c) {
            drop_database(c, version, name, true, clock::now() + opts.clone_timeout);
            return 0;
        });
    }

    void mark_kept(const std::string& name, const std::string& test) {
        std::lock_guard<std::mutex> g(mutex);
        run("marking " + name + " as kept", [&](engine::db_connection& c) {
            set_mark(c, name,
                     new_mark(testing_kind::kept, {{"template", opts.use_template ? template_name : "-"},
                                                   {"test", sanitize_name_part(test, max_identifier_bytes)}}));
            return 0;
        });
    }
};

} // namespace pgmig::detail::testing

namespace pgmig::testing {

using detail::testing::factory_state;

// ------------------------------------------------------------ database

struct database::impl {
    std::shared_ptr<factory_state> owner;
    std::string name;
    std::string url;
    std::string template_name;
    std::string test;
    bool keep = false;
    bool failed = false;

    bool will_keep() const { return keep || (failed && owner->opts.keep == keep_policy::on_failure); }
};

database::database() noexcept = default;
database::database(std::unique_ptr<impl> p) noexcept : impl_(std::move(p)) {}
database::database(database&& other) noexcept = default;
database& database::operator=(database&& other) noexcept {
    if (this != &other) {
        release();
        impl_ = std::move(other.impl_);
    }
    return *this;
}
database::~database() { release(); }

database::impl& database::get() const {
    if (!impl_) throw error(error_code::usage, "pgmig::testing::database: the handle holds no database");
    return *impl_;
}

const std::string& database::name() const { return get().name; }
const std::string& database::url() const { return get().url; }
std::string database::masked_url() const { return mask_password(get().url); }
const std::string& database::template_name() const { return get().template_name; }
void database::keep(bool yes) { get().keep = yes; }
void database::mark_failed() { get().failed = true; }
bool database::will_keep() const { return get().will_keep(); }

void database::drop() {
    const impl& i = get();
    i.owner->drop(i.name);
    impl_.reset();
}

void database::release() noexcept {
    if (!impl_) return;
    std::unique_ptr<impl> i = std::move(impl_);
    const logger& log = i->owner->log;
    try {
        if (i->will_keep()) {
            i->owner->mark_kept(i->name, i->test);
            log(log_level::info, "pgmig::testing: kept the test database " + i->name +
                                     (i->test.empty() ? "" : " of " + i->test) + ": " + mask_password(i->url) +
                                     " (drop it with DROP DATABASE " + detail::engine::quote_ident(i->name) +
                                     ", or pgmig::testing::cleanup() with cleanup_options::kept)");
        } else {
            i->owner->drop(i->name);
        }
    } catch (const std::exception& e) {
        try {
            log(log_level::warning, std::string("pgmig::testing: ") + e.what());
        } catch (...) {
        }
    }
}

// ------------------------------------------------------------ factory

factory::factory(std::string server_url, const migration_set& set, options opts)
    : state_(std::make_shared<factory_state>()) {
    if (opts.migrate.mode != run_mode::apply)
        throw error(error_code::usage, "pgmig::testing: options.migrate.mode must be run_mode::apply (test "
                                       "databases get the set applied)");
    if (opts.base_template.empty())
        throw error(error_code::usage, "pgmig::testing: options.base_template is empty (template0 is the default)");
    if (!opts.clone_strategy.empty() && opts.clone_strategy != "wal_log" && opts.clone_strategy != "file_copy")
        throw error(error_code::usage, "pgmig::testing: options.clone_strategy is '" + opts.clone_strategy +
                                           "'; it takes \"file_copy\" (the default), \"wal_log\" or \"\" (the server's default)");
    if (opts.keep == keep_policy::from_environment) {
        const char* env = std::getenv("PGMIG_TESTING_KEEP");
        const auto policy = detail::testing::parse_keep_policy(env ? env : "");
        if (!policy)
            throw error(error_code::usage, std::string("pgmig::testing: PGMIG_TESTING_KEEP is '") + env +
                                               "'; it takes 1 (keep every test database), failed (keep those of "
                                               "failed tests) or 0 (keep none, the default)");
        opts.keep = *policy;
    }
    factory_state& s = *state_;
    s.log = opts.migrate.log ? opts.migrate.log : stderr_logger(log_level::info);
    s.migrate = detail::testing::migrator_options(opts.migrate);
    s.server_url = std::move(server_url);
    s.set = set;
    s.opts = std::move(opts);
    s.digest = detail::core::set_digest(set);
    s.template_name = detail::testing::template_database_name(s.digest, s.migrate.history_table, s.opts.base_template);
}

database factory::create(std::string_view test_name) {
    auto p = std::make_unique<database::impl>();
    p->owner = state_;
    p->name = state_->make_database(test_name);
    p->url = state_->url_of(p->name);
    p->template_name = state_->opts.use_template ? state_->template_name : std::string();
    p->test = std::string(test_name);
    p->keep = state_->opts.keep == keep_policy::always;
    return database(std::move(p));
}

void factory::prepare() {
    std::lock_guard<std::mutex> g(state_->mutex);
    state_->ensure_template();
}

const std::string& factory::template_name() const noexcept { return state_->template_name; }
const std::string& factory::set_digest() const noexcept { return state_->digest; }
bool factory::built_template() const noexcept {
    std::lock_guard<std::mutex> g(state_->mutex);
    return state_->built;
}
const std::string& factory::server_url() const noexcept { return state_->server_url; }
const options& factory::opts() const noexcept { return state_->opts; }

std::vector<std::string> factory::drop_other_templates() {
    cleanup_options what;
    what.leftovers = false;
    what.templates = true;
    what.keep_templates = {state_->template_name};
    std::lock_guard<std::mutex> g(state_->mutex);
    return state_->run("dropping other templates", [&](detail::engine::db_connection& c) {
        return detail::testing::cleanup_on(c, what, state_->log).dropped;
    });
}

// ------------------------------------------------------------ free functions

factory& shared_factory(const std::string& server_url, const migration_set& set, const options& opts) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<factory>> factories;
    const std::string key =
        server_url + '\n' + (opts.use_template ? "template" : "no template") + '\n' +
        detail::testing::template_database_name(detail::core::set_digest(set), opts.migrate.history_table, opts.base_template);
    std::lock_guard<std::mutex> g(mutex);
    auto& f = factories[key];
    if (!f) f = std::make_unique<factory>(server_url, set, opts);
    return *f;
}

database fresh_database(const std::string& server_url, const migration_set& set, std::string_view test_name,
                        const options& opts) {
    return shared_factory(server_url, set, opts).create(test_name);
}

std::string server_url_from_environment() {
    for (const char* name : {"PGMIG_TESTING_URL", "DATABASE_URL"}) {
        const char* value = std::getenv(name);
        if (value && *value) return value;
    }
    throw error(error_code::usage,
                "pgmig::testing: set PGMIG_TESTING_URL (or DATABASE_URL) to the URL of a PostgreSQL server the tests "
                "may use, e.g. postgresql://postgres:secret@localhost:5432/postgres (its role needs CREATEDB)");
}

cleanup_report cleanup(const std::string& server_url, const cleanup_options& what) {
    const logger log = what.log ? what.log : stderr_logger(log_level::info);
    pgmig::options o;
    o.log = log;
    try {
        auto c = detail::engine::connect_with_retry(server_url, o, log);
        return detail::testing::cleanup_on(*c, what, log);
    } catch (const detail::engine::db_error& e) {
        throw detail::testing::database_error("cleaning up", e, server_url);
    } catch (const detail::engine::connection_error& e) {
        throw error(error_code::connection, "pgmig::testing: cleaning up: " + detail::core::scrub(e.what(), server_url));
    }
}

} // namespace pgmig::testing
