// Zero-downtime deploys against a real PostgreSQL (docs/zero-downtime.md): a
// rolling deploy where the old release keeps querying while the new set boots
// with its pre-deploy expand migration and the post-deploy step drops the old
// column; a batched backfill of 1,000,000 rows (batches of 10,000) watched
// through pg_locks, killed with SIGKILL half-way and resumed.
#include "support/cli_runner.hpp"
#include "support/server.hpp"

#include "engine/db.hpp"

#include <pgmig/pgmig.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <map>
#include <set>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

using namespace pgmig_test;
using pgmig_cli_test::db_cmd;

namespace {

using clock_type = std::chrono::steady_clock;

const std::pair<std::string, std::string> create_users = {
    "000001_users.up.sql",
    "CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL);\n"
    "INSERT INTO users (name) SELECT 'user ' || g FROM generate_series(1, 100) g;\n"};
const std::pair<std::string, std::string> expand = {
    "000002_add_full_name.up.sql",
    "ALTER TABLE users ADD COLUMN full_name text;\n"
    "ALTER TABLE users ALTER COLUMN name DROP NOT NULL;\n"};
const std::pair<std::string, std::string> contract = {
    "000003_drop_name.up.sql",
    "-- pgmig:phase post-deploy\n"
    "ALTER TABLE users DROP COLUMN name;\n"};

/// The old release: reads and writes `users.name` in a loop on a session of
/// its own until stopped; counts its queries and keeps the first error.
struct old_release {
    std::atomic<bool> stop{false};
    std::atomic<long> queries{0};
    std::string first_error;
    std::thread worker;

    explicit old_release(const std::string& url) {
        worker = std::thread([this, url] {
            try {
                auto c = connect(url);
                while (!stop) {
                    c->query("SELECT id, name FROM users ORDER BY id DESC LIMIT 5");
                    c->exec("INSERT INTO users (name) VALUES ('written by the old release')");
                    ++queries;
                }
            } catch (const std::exception& e) {
                first_error = e.what();
            }
        });
    }
    /// Stop it; its first error, "" when none.
    std::string finish() {
        stop = true;
        worker.join();
        return first_error;
    }
    ~old_release() {
        stop = true;
        if (worker.joinable()) worker.join();
    }
};

void wait_for_queries(old_release& old, long more) {
    const long target = old.queries + more;
    for (int i = 0; i < 1000 && old.queries < target && old.first_error.empty(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

} // namespace

BOOST_AUTO_TEST_SUITE(zero_downtime)

BOOST_AUTO_TEST_CASE(rolling_deploy_the_old_release_sees_no_error_until_it_is_stopped) {
    scratch_database db("zd_rolling");
    const pgmig::migration_set release1 = make_set({create_users});
    const pgmig::migration_set release2 = make_set({create_users, expand, contract});
    BOOST_TEST(pgmig::migrate_on_startup(db.url(), release1, quiet_options()).applied.size() == 1u);

    old_release old(db.url());
    wait_for_queries(old, 20);

    // The first replica of release 2 boots: the pre-deploy expand migration only.
    const pgmig::startup_report first = pgmig::migrate_on_startup(db.url(), release2, quiet_options());
    BOOST_TEST(first.applied == (std::vector<std::int64_t>{2}));
    BOOST_TEST(first.waiting == (std::vector<std::int64_t>{3}));
    BOOST_TEST(db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND "
                         "column_name IN ('name', 'full_name')") == "2");
    wait_for_queries(old, 20);

    // The next replicas: nothing to apply, no lock; the post-deploy migration keeps waiting.
    const pgmig::startup_report second = pgmig::migrate_on_startup(db.url(), release2, quiet_options());
    BOOST_TEST(second.applied.empty());
    BOOST_TEST(!second.took_lock);
    BOOST_TEST(second.waiting == (std::vector<std::int64_t>{3}));
    // A verify-only replica starts: the post-deploy migration is waiting for its step, not a failure.
    pgmig::options verify = quiet_options();
    verify.mode = pgmig::run_mode::verify_only;
    BOOST_TEST(pgmig::migrate_on_startup(db.url(), release2, verify).waiting == (std::vector<std::int64_t>{3}));
    // The admin commands say the same.
    auto status = db_cmd(release2, db.url(), {"status"});
    BOOST_TEST(status.code == 0, status.all());
    BOOST_TEST(status.out.find("post-deploy: waiting for the post-deploy step") != std::string::npos, status.out);
    BOOST_TEST(status.out.find("A boot (and `myapp db up`) would apply nothing and leave 1 post-deploy migration") !=
                   std::string::npos,
               status.out);
    auto verified = db_cmd(release2, db.url(), {"verify"});
    BOOST_TEST(verified.code == 0, verified.all());
    BOOST_TEST(verified.out.find("waiting for the post-deploy step") != std::string::npos, verified.out);
    auto plan = db_cmd(release2, db.url(), {"plan"});
    BOOST_TEST(plan.out.find("[post-deploy: a boot does not apply it]") != std::string::npos, plan.out);
    auto up = db_cmd(release2, db.url(), {"up"});
    BOOST_TEST(up.code == 0, up.all());
    BOOST_TEST(up.out.find("1 migration waits for `myapp db up --phase post-deploy`") != std::string::npos, up.out);
    BOOST_TEST(db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND "
                         "column_name = 'name'") == "1");

    wait_for_queries(old, 20);
    const long served = old.queries;
    const std::string error = old.finish();
    BOOST_TEST(error.empty(), "the old release failed: " << error);
    BOOST_TEST(served >= 60);
    BOOST_TEST_MESSAGE("the old release ran " << served << " query pairs during the deploy, without an error");

    // Every replica runs release 2: the pipeline's post-deploy step drops the column.
    auto step = db_cmd(release2, db.url(), {"up", "--phase", "post-deploy", "--yes", "--json"});
    BOOST_TEST(step.code == 0, step.all());
    const auto doc = step.doc();
    BOOST_TEST(doc["phase"] == "post-deploy");
    BOOST_REQUIRE(doc["applied"].size() == 1u);
    BOOST_TEST(doc["applied"][0]["migration_version"] == 3);
    BOOST_TEST(db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND "
                         "column_name = 'name'") == "0");
    BOOST_TEST(db.scalar("SELECT string_agg(version || ' ' || coalesce(phase, '?'), ', ' ORDER BY version) FROM "
                         "schema_migrations WHERE status = 'success'") ==
               "1 pre-deploy, 2 pre-deploy, 3 post-deploy");
    // Now nothing waits: boots take no lock.
    const pgmig::startup_report after = pgmig::migrate_on_startup(db.url(), release2, quiet_options());
    BOOST_TEST(after.waiting.empty());
    BOOST_TEST(!after.took_lock);
}

BOOST_AUTO_TEST_CASE(a_batched_backfill_of_a_million_rows_holds_no_lock_longer_than_a_batch_and_resumes_after_kill_9) {
    scratch_database db("zd_backfill");
    const int rows = 1000000, batch = 10000;
    const auto setup_start = clock_type::now();
    db.exec("CREATE TABLE big (id bigint PRIMARY KEY, v integer NOT NULL, doubled integer);"
            "INSERT INTO big (id, v) SELECT g, g % 1000 FROM generate_series(1, " + std::to_string(rows) + ") g;"
            "CREATE INDEX big_todo ON big (id) WHERE doubled IS NULL; ANALYZE big;");
    const double setup_s = std::chrono::duration<double>(clock_type::now() - setup_start).count();

    temp_dir dir; // the migrations directory the stand-in service reads
    const std::string backfill =
        "-- pgmig:no-transaction\n"
        "-- pgmig:batch\n"
        "UPDATE big SET doubled = v * 2\n"
        " WHERE id = ANY (ARRAY(SELECT id FROM big WHERE doubled IS NULL ORDER BY id LIMIT " + std::to_string(batch) +
        "));\n";
    dir.write("000001_backfill_doubled.up.sql", backfill);

    // The stand-in service migrates in a process of its own.
    std::string helper = PGMIG_BOOT_HELPER_PATH, url = db.url(), d = dir.path.string();
    char* args[] = {helper.data(), url.data(), d.data(), nullptr};
    pid_t pid = 0;
    BOOST_REQUIRE(posix_spawn(&pid, helper.c_str(), nullptr, nullptr, args, environ) == 0);
    const auto run_start = clock_type::now();

    wait_until([&] { return db.scalar("SELECT to_regclass('public.schema_migrations') IS NOT NULL") == "t"; },
               "the boot creates the history table");
    // A second connection watches pg_locks: every transaction of the migrating service
    // that holds a lock on `big` (autovacuum may hold one for long, and should), how
    // old it is, and how many batches were committed while it was seen.
    auto watch = connect(db.url());
    std::map<std::string, std::set<std::string>> batches_seen; // virtual transaction → batches_done values
    double oldest_s = 0;
    long samples = 0;
    std::int64_t done_at_kill = 0;
    for (int i = 0; i < 20000; ++i) {
        const auto r = watch->query(
            "SELECT l.virtualtransaction, extract(epoch FROM clock_timestamp() - a.xact_start)::float8, "
            "(SELECT coalesce(max(batches_done), 0) FROM schema_migrations WHERE status = 'running') "
            "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.relation = 'big'::regclass AND l.granted AND a.application_name = 'pgmig_boot_helper'");
        ++samples;
        for (std::size_t k = 0; k < r.size(); ++k) {
            batches_seen[r.text(k, 0)].insert(r.text(k, 2));
            oldest_s = std::max(oldest_s, std::atof(r.text(k, 1).c_str()));
        }
        const std::string done =
            watch->query("SELECT coalesce(max(batches_done), 0) FROM schema_migrations WHERE status = 'running'")
                .text(0, 0);
        done_at_kill = std::atoll(done.c_str());
        if (done_at_kill >= rows / batch / 2) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    const double first_run_s = std::chrono::duration<double>(clock_type::now() - run_start).count();
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    BOOST_REQUIRE(done_at_kill >= rows / batch / 2);

    // Killed half-way: what is committed is exactly what the history counts.
    const std::string backend = db.scalar("SELECT backend_pid FROM schema_migrations WHERE status = 'running'");
    BOOST_REQUIRE(!backend.empty());
    wait_until([&] { return db.scalar("SELECT count(*) FROM pg_stat_activity WHERE pid = " + backend) == "0"; },
               "the killed run's backend ends");
    const std::int64_t committed = std::atoll(db.scalar("SELECT count(*) FROM big WHERE doubled IS NOT NULL").c_str());
    BOOST_TEST(db.scalar("SELECT batch_rows FROM schema_migrations WHERE status = 'running'") ==
               std::to_string(committed));
    BOOST_TEST(committed % batch == 0);
    BOOST_TEST(committed >= rows / 2);
    BOOST_TEST(committed < rows);
    BOOST_TEST(db.scalar("SELECT statements_done FROM schema_migrations WHERE status = 'running'") == "0");

    // The next boot resumes it (the resume policy: the backend is gone, each batch committed with its progress).
    log_capture log;
    pgmig::options o = quiet_options();
    o.log = log.logger();
    const auto resume_start = clock_type::now();
    const pgmig::startup_report r = pgmig::migrate_on_startup(db.url(), pgmig::migration_set::from_directory(d), o);
    const double resume_s = std::chrono::duration<double>(clock_type::now() - resume_start).count();
    BOOST_TEST(r.applied == (std::vector<std::int64_t>{1}));
    BOOST_TEST(log.count("resum") >= 1u, log.all());
    BOOST_TEST(log.count("batched statement done") == 1u, log.all());

    // The same end state as an uninterrupted run: every row once, the counts add up.
    BOOST_TEST(db.scalar("SELECT count(*) FROM big WHERE doubled IS DISTINCT FROM v * 2") == "0");
    BOOST_TEST(db.scalar("SELECT status || ' ' || statements_done || '/' || statements_total || ' ' || batch_rows "
                         "FROM schema_migrations WHERE version = 1 AND status = 'success'") ==
               "success 1/1 " + std::to_string(rows));
    const std::int64_t batches = std::atoll(
        db.scalar("SELECT batches_done FROM schema_migrations WHERE version = 1 AND status = 'success'").c_str());
    BOOST_TEST(batches == rows / batch + 1); // the last one changed no row
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations WHERE version = 1 AND status = 'repaired' AND "
                         "error_message LIKE 'interrupted; resumed at statement 1%'") == "1");

    // No transaction held a lock on `big` across batches: each one the watcher saw
    // saw one committed batch count (or, in the instant between its commit becoming
    // visible and its locks being released, that count and the next), and many
    // transactions came and went.
    std::size_t across = 0;
    for (const auto& t : batches_seen) {
        std::set<long> counts;
        for (const std::string& c : t.second) counts.insert(std::atol(c.c_str()));
        if (counts.size() > 2 || (counts.size() == 2 && *counts.rbegin() - *counts.begin() != 1)) ++across;
    }
    BOOST_TEST(across == 0u);
    BOOST_TEST(batches_seen.size() >= 10u, "lock holders seen: " << batches_seen.size() << " in " << samples
                                                                 << " samples");
    const double per_batch_s = first_run_s / static_cast<double>(done_at_kill);
    BOOST_TEST(oldest_s < std::max(1.0, 10 * per_batch_s), "oldest lock-holding transaction " << oldest_s << " s");
    BOOST_TEST_MESSAGE("backfill of " << rows << " rows in batches of " << batch << ": setup " << setup_s
                                      << " s; killed after " << done_at_kill << " batches in " << first_run_s
                                      << " s (" << per_batch_s * 1000 << " ms per batch); resumed and finished in "
                                      << resume_s << " s; " << batches_seen.size()
                                      << " lock-holding transactions seen in " << samples
                                      << " samples, the oldest " << oldest_s * 1000 << " ms old");
}

BOOST_AUTO_TEST_SUITE_END()
