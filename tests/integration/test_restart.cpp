// Issue 10.6: a server restart (pg_ctl restart -m fast / -m immediate) during
// a run. The boot connects again within connect_timeout, takes the lock again,
// learns from the history whether the migration in flight committed, and
// completes; every migration is applied exactly once. Each trial restarts a
// cluster of its own (support/server.hpp own_cluster), never the shared one.
#include "support/server.hpp"

#include <pgmig/pgmig.hpp>

#include <boost/test/unit_test.hpp>

#include <mutex>
#include <optional>
#include <thread>

using namespace pgmig_test;

namespace {

struct log_text {
    std::mutex m;
    std::string text;
    pgmig::logger logger() {
        return [this](pgmig::log_level, const std::string& s) {
            std::lock_guard<std::mutex> g(m);
            text += s + "\n";
        };
    }
    std::string get() {
        std::lock_guard<std::mutex> g(m);
        return text;
    }
};

pgmig::migration_set slow_set(int n) {
    std::vector<std::pair<std::string, std::string>> files;
    for (int i = 1; i <= n; ++i) {
        char name[64];
        std::snprintf(name, sizeof name, "%06d_t%d.up.sql", i, i);
        files.emplace_back(name, "CREATE TABLE t" + std::to_string(i) + " (id int);\nSELECT pg_sleep(0.3);\n");
    }
    return make_set(std::move(files));
}

std::string count_rows(const std::string& url, const std::string& sql) {
    try {
        auto c = connect(url, "pgmig_test_watch");
        return c->query(sql).text(0, 0);
    } catch (const std::exception&) {
        return {}; // the server is restarting
    }
}

void restart_during_a_run(const std::string& mode) {
    // synchronous_commit on: a commit pgmig saw survives -m immediate (the
    // shared cluster runs with it off, for speed).
    own_cluster cluster("synchronous_commit = on");
    const pgmig::migration_set set = slow_set(10);
    log_text log;
    pgmig::options o;
    o.log = log.logger();
    o.connect_timeout = std::chrono::seconds(60);
    o.lock_timeout = std::chrono::seconds(60);
    pgmig::startup_report report;
    std::optional<pgmig::error> failed;
    std::thread boot([&] {
        try {
            report = pgmig::migrate_on_startup(cluster.url(), set, o);
        } catch (const pgmig::error& e) {
            failed = e;
        }
    });
    // Restart once two migrations are in (no timing: the history says when).
    for (int i = 0; i < 3000; ++i) {
        const std::string n = count_rows(cluster.url(), "SELECT count(*) FROM pg_tables WHERE tablename = 'schema_migrations'");
        if (n == "1" && count_rows(cluster.url(), "SELECT count(*) FROM schema_migrations") >= "2") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    cluster.restart(mode);
    boot.join();
    BOOST_TEST_CONTEXT("-m " << mode << ": " << log.get()) {
        BOOST_TEST(!failed.has_value(), (failed ? failed->what() : ""));
        BOOST_TEST(report.state.up_to_date());
        BOOST_TEST(log.get().find("the connection to the server was lost") != std::string::npos);
        BOOST_TEST(count_rows(cluster.url(), "SELECT count(*) FROM schema_migrations") == "10");
        BOOST_TEST(count_rows(cluster.url(), "SELECT count(DISTINCT version) FROM schema_migrations WHERE status = "
                                             "'success' AND direction = 'up'") == "10");
        BOOST_TEST(count_rows(cluster.url(), "SELECT count(*) FROM pg_tables WHERE tablename ~ '^t[0-9]+$'") == "10");
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(server_restart)

BOOST_AUTO_TEST_CASE(fast_restart_during_a_run) {
    for (int trial = 1; trial <= 3; ++trial) restart_during_a_run("fast");
}

BOOST_AUTO_TEST_CASE(immediate_restart_during_a_run) {
    for (int trial = 1; trial <= 3; ++trial) restart_during_a_run("immediate");
}

BOOST_AUTO_TEST_SUITE_END()
