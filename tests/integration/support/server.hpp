// pgmig integration tests — shared support: the server, scratch databases,
// URL helpers. Database access goes through pgmig::detail::engine::db_connection
// (src/db.hpp) only; no test talks to libpqxx directly.
//
// The server: PGMIG_TEST_DB_URL when set, otherwise the throwaway cluster the
// CTest fixture `pg_start` (scripts/pgtest start) described in
// PGMIG_TEST_STATE_DIR/url. To run the binary by hand:
//   scripts/pgtest start build/pgtest && build/tests/integration/pgmig_integration_tests
//   scripts/pgtest stop build/pgtest
#pragma once

#include "engine/db.hpp"

#include <pgmig/error.hpp>
#include <pgmig/log.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/startup.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace pgmig_test {

using pgmig::detail::engine::db_connection;
using pgmig::detail::engine::db_result;

/// URL (or key=value conninfo) of the test server, connected to its default
/// database. PGMIG_TEST_DB_URL if set, else the contents of
/// ${PGMIG_TEST_STATE_DIR}/url. Throws std::runtime_error saying how to get a
/// server when neither is available.
std::string server_url();

/// URL of the test PgBouncer with pool_mode `mode` ("transaction" or
/// "session") in front of the server (scripts/pgtest pgbouncer-start), connected
/// to database `dbname` as postgres; "" when PGMIG_TEST_DB_URL is set (no
/// PgBouncer is started then). Throws when the fixture did not start one.
std::string pgbouncer_url(const std::string& mode, const std::string& dbname);

/// A cluster of its own for a test that restarts or breaks its server
/// (scripts/pgtest start into a temporary state dir; stopped and deleted in
/// the destructor). `extra_conf`: lines for postgresql.conf.
class own_cluster {
public:
    explicit own_cluster(const std::string& extra_conf = {});
    ~own_cluster();
    own_cluster(const own_cluster&) = delete;
    own_cluster& operator=(const own_cluster&) = delete;
    const std::string& url() const noexcept { return url_; }
    /// scripts/pgtest restart <state> fast|immediate; throws when it fails.
    void restart(const std::string& mode);

private:
    std::string state_;
    std::string url_;
};

/// `server_url` with the database replaced by `dbname`. Handles
/// postgres[ql]:// URLs (path replaced, query parameters kept, a `dbname=`
/// query parameter replaced too) and key=value conninfo (`dbname=` replaced or
/// appended).
std::string url_for_database(const std::string& server_url, const std::string& dbname);

/// `url` with its password replaced by `password` (added when absent). Both forms.
std::string url_with_password(const std::string& url, const std::string& password);

/// The password `url` carries ("" when none): URL userinfo (percent-decoded),
/// a `password=` query parameter, or key=value `password=`. For tests that
/// assert the password never appears in output.
std::string password_of(const std::string& url);

/// Open a session on `conninfo` (db_connection::open), application_name "pgmig_test".
std::unique_ptr<db_connection> connect(const std::string& conninfo,
                                       const std::string& application_name = "pgmig_test");

/// A database of its own for one test: created in the constructor (from
/// template0, UTF8, C locale), dropped WITH (FORCE) in the destructor (other
/// sessions on it are terminated). Name: pgmig_t_<hint>_<pid>_<counter>,
/// sanitised to [a-z0-9_], at most 63 bytes.
class scratch_database {
public:
    explicit scratch_database(std::string hint = "db");
    ~scratch_database();
    scratch_database(const scratch_database&) = delete;
    scratch_database& operator=(const scratch_database&) = delete;

    /// Connection URL of this database (same server, user and password).
    const std::string& url() const noexcept { return url_; }
    const std::string& name() const noexcept { return name_; }

    /// Run SQL (one or more statements) on this class's own session. Errors are
    /// rethrown as the same type (db_error keeps its sqlstate) with the
    /// database name and the SQL in the message.
    void exec(const std::string& sql);
    db_result query(const std::string& sql);
    /// First column of the first row; "" for NULL or no rows. Throws when the
    /// statement returns no result set (e.g. an UPDATE) or fails.
    std::string scalar(const std::string& sql);

    /// Does schema.table exist as a table (ordinary or partitioned)?
    bool table_exists(const std::string& schema, const std::string& table);

    /// Deterministic text of the user-visible schema (everything outside
    /// pg_catalog, information_schema and pg_toast/temp schemas): schemas,
    /// relations with their kinds, columns with types, nullability and
    /// defaults, indexes, constraints, views, sequences, functions, triggers,
    /// enum and domain types, extensions. No OIDs, so equal text means an
    /// equal schema. Use it to prove "nothing changed".
    std::string catalog_fingerprint();

    /// A new, separate session on this database (e.g. to hold a lock).
    std::unique_ptr<db_connection> connect(const std::string& application_name = "pgmig_test") const;

    /// The class's own session (opened on first use).
    db_connection& session();

private:
    std::string name_;
    std::string url_;
    std::unique_ptr<db_connection> conn_;
};

/// Run `f`, which must throw pgmig::error; return that error. When it does not
/// throw, throw std::runtime_error (the test fails with that message).
template <class F>
pgmig::error expect_error(F&& f) {
    try {
        f();
    } catch (const pgmig::error& e) {
        return e;
    }
    throw std::runtime_error("expected a pgmig::error, but the call succeeded");
}

/// migration_set::from_files over (name, content) pairs.
pgmig::migration_set make_set(std::vector<std::pair<std::string, std::string>> files);

/// The lines a pgmig::logger was given, for assertions (thread-safe: the
/// migrator logs from the thread that opens its second connection too).
struct log_capture {
    std::mutex m;
    std::vector<std::pair<pgmig::log_level, std::string>> lines;
    pgmig::logger logger() {
        return [this](pgmig::log_level l, const std::string& s) {
            std::lock_guard<std::mutex> g(m);
            lines.emplace_back(l, s);
        };
    }
    /// How many lines contain `needle`.
    std::size_t count(const std::string& needle) {
        std::lock_guard<std::mutex> g(m);
        std::size_t n = 0;
        for (const auto& l : lines)
            if (l.second.find(needle) != std::string::npos) ++n;
        return n;
    }
    /// Every line, each ended by a newline.
    std::string all() {
        std::lock_guard<std::mutex> g(m);
        std::string out;
        for (const auto& l : lines) out += l.second + "\n";
        return out;
    }
};

/// Migrator options for a test: the log goes to `lines` (or nowhere), and
/// connecting gives up after 5 s.
pgmig::options quiet_options(std::vector<std::string>* lines = nullptr);

/// Poll `done` (a database condition) until it holds; fails the test after ~60 s.
template <class F>
void wait_until(F&& done, const std::string& what) {
    for (int i = 0; i < 3000; ++i) {
        if (done()) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    BOOST_FAIL("gave up waiting until " + what);
}

/// Waits until no advisory lock is held in `db`'s database. A pooler hands a
/// server connection back (and PgBouncer's reset releases what it holds)
/// asynchronously, after pgmig disconnected: wait for that, not for a time.
void no_advisory_lock_left(scratch_database& db);

} // namespace pgmig_test
