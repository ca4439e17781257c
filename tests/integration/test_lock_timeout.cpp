// A migration whose DDL times out on a lock (55P03): the retry warning and the
// final error name the session holding the lock; a lock released within the
// retry budget lets the migration succeed.
#include "support/server.hpp"

#include <pgmig/pgmig.hpp>

#include <boost/test/unit_test.hpp>

#include <mutex>
#include <thread>

using namespace pgmig_test;

namespace {

pgmig::options lock_options(log_capture& log, int retries) {
    pgmig::options o;
    o.ddl_lock_timeout = std::chrono::milliseconds(200);
    o.ddl_lock_retries = retries;
    o.connect_timeout = std::chrono::seconds(5);
    o.log = log.logger();
    return o;
}

const std::vector<std::pair<std::string, std::string>> add_column = {
    {"000001_add_c.up.sql", "ALTER TABLE t ADD COLUMN c int;\n"},
    {"000001_add_c.down.sql", "ALTER TABLE t DROP COLUMN c;\n"},
};

} // namespace

BOOST_AUTO_TEST_SUITE(lock_timeout_blockers)

BOOST_AUTO_TEST_CASE(error_names_the_session_holding_the_lock) {
    scratch_database db("lock_blocker");
    db.exec("CREATE TABLE t (id int)");
    auto holder = db.connect("lock_holder_app");
    const int pid = holder->backend_pid();
    holder->exec("BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE");

    log_capture log;
    bool thrown = false;
    try {
        pgmig::migrate_on_startup(db.url(), make_set(add_column), lock_options(log, 1));
    } catch (const pgmig::error& e) {
        thrown = true;
        BOOST_TEST((e.code() == pgmig::error_code::migration_failed));
        BOOST_TEST(e.where().sqlstate == "55P03");
        const std::string msg = e.what();
        BOOST_TEST(msg.find("pid " + std::to_string(pid) + " (application_name 'lock_holder_app'") != std::string::npos, msg);
        BOOST_TEST(msg.find("AccessExclusiveLock on t") != std::string::npos, msg);
        BOOST_TEST(msg.find("LOCK TABLE t IN ACCESS EXCLUSIVE MODE") != std::string::npos, msg);
        BOOST_TEST(msg.find("idle in transaction") != std::string::npos, msg);
    }
    BOOST_TEST(thrown);
    // The retry warning names it too.
    BOOST_TEST(log.all().find("retry 1/1") != std::string::npos, log.all());
    BOOST_TEST(log.all().find("blocked by pid " + std::to_string(pid)) != std::string::npos, log.all());
    holder->exec("COMMIT");
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'c'") == "0");
    BOOST_TEST(db.scalar("SELECT count(*) FROM public.schema_migrations WHERE status = 'success'") == "0");
}

BOOST_AUTO_TEST_CASE(lock_released_within_the_retry_budget) {
    scratch_database db("lock_released");
    db.exec("CREATE TABLE t (id int)");
    auto holder = db.connect("lock_holder_app");
    holder->exec("BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
    std::thread releaser([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        holder->exec("COMMIT");
    });
    log_capture log;
    pgmig::startup_report r;
    try {
        r = pgmig::migrate_on_startup(db.url(), make_set(add_column), lock_options(log, 3));
    } catch (...) {
        releaser.join();
        throw;
    }
    releaser.join();
    BOOST_TEST(r.applied.size() == 1U);
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'c'") == "1");
}

BOOST_AUTO_TEST_SUITE_END()
