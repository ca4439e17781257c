// pgmig — a fresh, migrated database for every test, in milliseconds.
//
// The first database asked for migrates a *template database* named after the
// migration set's digest; every later one is a copy of it (CREATE DATABASE …
// TEMPLATE …), which costs a fraction of applying the migrations. A changed
// set gets a template of its own. Test processes running in parallel (ctest -j)
// share a template safely: one builds it under an advisory lock while the
// others wait, and nobody clones it before it is complete.
//
//     pgmig::testing::factory dbs(pgmig::testing::server_url_from_environment(),
//                                 myapp::migrations());
//     pgmig::testing::database db = dbs.create("orders_are_numbered");
//     run_the_service_against(db.url());
//     // db's destructor drops the database (unless asked to keep it)
//
// No test framework is needed; <pgmig/testing/boost_test.hpp> and
// <pgmig/testing/gtest.hpp> are thin adapters. See docs/testing.md.
//
// The server URL names a maintenance database (e.g. postgres) of a server the
// tests may use; its role needs CREATEDB. pgmig creates and drops only databases
// it marked as its own (their comments say so), never the one in the URL.
#pragma once

#include <pgmig/log.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/startup.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail::testing {
struct factory_state; // src/testing/testing.cpp
} // namespace pgmig::detail::testing

namespace pgmig::testing {

/// Whether a test database outlives its handle (e.g. to look at what a failing
/// test left). A kept database is logged with its name and URL (password
/// masked) and is never dropped by cleanup(), unless asked to.
enum class keep_policy {
    /// From PGMIG_TESTING_KEEP: unset, "", "0", "no", "false", "never": never;
    /// "1", "yes", "true", "always": always; "failed", "on_failure": on_failure.
    /// Any other value is a usage error.
    from_environment,
    never,
    always,
    on_failure, ///< kept when database::mark_failed() was called (the adapters do, for a failed test)
};

struct options {
    /// For the migrator that applies the set: history table, policies, timeouts,
    /// application_name, log. mode must stay run_mode::apply. lock_timeout also
    /// bounds the wait for another process that is building the same template.
    /// An empty log: the testing messages go to stderr_logger() and, of the
    /// migrator's, only warnings and errors. phases is always phase_selection::all:
    /// a test database holds every migration of the set, post-deploy ones included.
    pgmig::options migrate;
    keep_policy keep = keep_policy::from_environment;
    /// false: no template; every database is created empty and the set is
    /// applied to it (slow; for sets that cannot live in a template, and for comparison).
    bool use_template = true;
    /// At the first use of a server, drop the databases that earlier runs left
    /// behind (see cleanup()). Never touches kept databases or templates.
    bool cleanup_leftovers = true;
    /// A leftover this old is dropped even when pgmig cannot tell whether its
    /// creator still runs (another host). Zero: only by its creator's state.
    std::chrono::hours leftover_age{24};
    /// The database the template (or, without one, every database) is created from.
    std::string base_template = "template0";
    /// How a clone copies the template (CREATE DATABASE … STRATEGY, PostgreSQL
    /// 15 and later): "file_copy" (the default: copies the files, after a
    /// checkpoint; several times faster than WAL_LOG for a template of a few
    /// hundred tables, and what every server before 15 does), "wal_log" (writes
    /// the copy to the WAL block by block; PostgreSQL 15's default; an error on
    /// an older server), or "" (the server's default).
    std::string clone_strategy = "file_copy";
    /// How long a clone keeps retrying while another session is connected to the
    /// template (SQLSTATE 55006), with backoff.
    std::chrono::milliseconds clone_timeout{std::chrono::seconds(60)};
};

class factory;

/// A test database. Move-only; the destructor drops the database (WITH (FORCE)
/// on PostgreSQL 13 and later, which also ends the sessions still connected to
/// it; older servers: those sessions are terminated first) unless it is kept.
/// A destructor never throws: a failed drop is logged as a warning.
class database {
public:
    /// An empty handle (no database), e.g. a fixture's member before its set-up.
    database() noexcept;
    database(database&& other) noexcept;
    /// Drops the database this handle held (as the destructor does), then takes `other`'s.
    database& operator=(database&& other) noexcept;
    ~database();
    database(const database&) = delete;
    database& operator=(const database&) = delete;

    explicit operator bool() const noexcept { return impl_ != nullptr; }

    /// The database's name: pgmig_test_<test name, sanitised>_<random>, at most 63 bytes.
    const std::string& name() const;
    /// The server URL with this database in it, password included: what the code
    /// under test connects with. Never log it; masked_url() is for messages.
    const std::string& url() const;
    std::string masked_url() const;
    /// The template it was cloned from; empty when options::use_template is false.
    const std::string& template_name() const;

    /// Keep (or no longer keep) the database when the handle goes away.
    void keep(bool yes = true);
    /// The test failed: under keep_policy::on_failure the database is kept.
    void mark_failed();
    /// Will the database be kept when the handle goes away?
    bool will_keep() const;

    /// Drop the database now (kept or not); the handle is empty afterwards.
    /// Throws pgmig::error when the server refuses.
    void drop();

private:
    friend class factory;
    struct impl;
    explicit database(std::unique_ptr<impl> p) noexcept;
    impl& get() const; ///< throws pgmig::error (usage) for an empty handle
    void release() noexcept;
    std::unique_ptr<impl> impl_;
};

/// Makes test databases from one migration set on one server. Cheap to copy
/// (copies share the template, the server connection and the options) and safe
/// to use from several threads. It keeps one connection to the maintenance
/// database, never one to the template.
class factory {
public:
    /// Nothing is opened yet. Throws pgmig::error (usage) for invalid options.
    factory(std::string server_url, const migration_set& set, options opts = {});

    /// A new database with the set applied. `test_name` goes into its name
    /// (sanitised; any text will do, e.g. "suite/case"). The first call finds or
    /// builds the template (see prepare()). Throws pgmig::error.
    database create(std::string_view test_name = {});

    /// Find the template, or build it when no process has: take the advisory
    /// lock of this template on the maintenance database (waiting at most
    /// options.migrate.lock_timeout for another builder), apply the set to a
    /// database under a temporary name through the migrator, mark it a template
    /// that accepts no connections, and rename it to its final name. Called by
    /// the first create(); call it yourself to pay for it before the first test
    /// (e.g. in a global fixture), so that a broken migration fails early.
    /// Nothing to do without a template (options::use_template false).
    void prepare();

    /// pgmig_tpl_<32 hex digits>: a digest of the set's digest (its versions and
    /// checksums), the history table, the base template and pgmig's version.
    const std::string& template_name() const noexcept;
    /// The set's digest (hex SHA-256 of its "version checksum" pairs).
    const std::string& set_digest() const noexcept;
    /// Did this factory build the template (rather than find one built)? False before prepare().
    bool built_template() const noexcept;
    /// The server URL as given; for messages, mask_password() it.
    const std::string& server_url() const noexcept;
    const options& opts() const noexcept;

    /// Drop every pgmig template on the server but this factory's (e.g. the
    /// templates of earlier versions of the set), skipping those in use right now.
    /// Returns the names dropped. Throws pgmig::error.
    std::vector<std::string> drop_other_templates();

private:
    std::shared_ptr<detail::testing::factory_state> state_;
};

/// A process-wide factory per (server, template): the first call for a server
/// URL and a set (with these options' history table and base template) makes it,
/// later calls return it, whatever their other options. Thread-safe. What the
/// adapters use, so that every test of a process shares one.
factory& shared_factory(const std::string& server_url, const migration_set& set, const options& opts = {});

/// shared_factory(server_url, set, opts).create(test_name): a fresh database
/// with `set` applied, in one call.
database fresh_database(const std::string& server_url, const migration_set& set, std::string_view test_name = {},
                        const options& opts = {});

/// The server for the tests: $PGMIG_TESTING_URL, else $DATABASE_URL. Throws
/// pgmig::error (usage) saying what to set when neither is.
std::string server_url_from_environment();

/// The options of a default-constructed pgmig::testing::options (the adapters' default).
inline options default_options() { return {}; }

/// shared_factory(server_url_from_environment(), Set(), Options()), for a set
/// given as a function such as the one pgmig_embed_migrations() generates:
/// what the adapters (<pgmig/testing/boost_test.hpp>, <pgmig/testing/gtest.hpp>) use.
template <const migration_set& (*Set)(), options (*Options)() = default_options>
factory& shared_factory_for() {
    return shared_factory(server_url_from_environment(), Set(), Options());
}

/// What cleanup() looks at. Databases are recognised by the comment pgmig puts
/// on them ("pgmig.testing …"), never by their name alone.
struct cleanup_options {
    /// Test databases and half-built templates whose creator is gone: created
    /// on this host by a process that no longer exists, or older than leftover_age.
    bool leftovers = true;
    std::chrono::hours leftover_age{24};
    /// Kept test databases (keep_policy, database::keep()).
    bool kept = false;
    /// Templates, except those named in keep_templates.
    bool templates = false;
    std::vector<std::string> keep_templates;
    /// Only databases whose name starts with this ("": all of the above).
    std::string name_prefix;
    /// Empty: stderr_logger().
    pgmig::logger log;
};

struct cleanup_report {
    std::vector<std::string> dropped;
    /// Could not be dropped now (e.g. a session is connected to it), with the reason.
    std::vector<std::string> skipped;
};

/// Drop what earlier test runs left on the server (see cleanup_options). A
/// database in use is skipped, never forced. Throws pgmig::error when the server
/// cannot be reached.
cleanup_report cleanup(const std::string& server_url, const cleanup_options& what = {});

} // namespace pgmig::testing
