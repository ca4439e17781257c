// 16 real processes booting at once on a fresh database with 100 migrations:
// all start, and every migration is applied exactly once — directly, and
// through a real PgBouncer in transaction and in session pooling mode (where
// each migration takes the lock in its own transaction), leaving no advisory
// lock on any server connection.
#include "support/server.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

using namespace pgmig_test;
namespace fs = std::filesystem;

namespace {

struct boots {
    int started = 0;            ///< processes that exited 0
    std::size_t applied = 0;    ///< migrations they say they applied, summed
};

// `processes` boot helpers at once against `url` with 100 pending migrations.
boots boot_at_once(const std::string& url, const std::string& tag, int processes) {
    const fs::path dir = fs::temp_directory_path() / ("pgmig_boot16_" + tag + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (int i = 1; i <= 100; ++i) {
        char name[64];
        std::snprintf(name, sizeof name, "%06d_create_t%03d.up.sql", i, i);
        std::ofstream(dir / name) << "CREATE TABLE t" << i << " (id bigint PRIMARY KEY, note text);\n"
                                  << "INSERT INTO t" << i << " VALUES (1, 'seed');\n";
        std::snprintf(name, sizeof name, "%06d_create_t%03d.down.sql", i, i);
        std::ofstream(dir / name) << "DROP TABLE t" << i << ";\n";
    }
    std::vector<pid_t> pids;
    std::vector<std::string> outputs;
    for (int i = 0; i < processes; ++i) {
        const std::string out = (dir / ("out_" + std::to_string(i) + ".txt")).string();
        outputs.push_back(out);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&actions, 2, (out + ".err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        std::string helper = PGMIG_BOOT_HELPER_PATH;
        std::string dirs = dir.string();
        std::string target = url;
        char* args[] = {helper.data(), target.data(), dirs.data(), nullptr};
        pid_t pid = 0;
        const int rc = posix_spawn(&pid, helper.c_str(), &actions, nullptr, args, environ);
        posix_spawn_file_actions_destroy(&actions);
        BOOST_REQUIRE_MESSAGE(rc == 0, "posix_spawn failed: " << rc);
        pids.push_back(pid);
    }
    boots b;
    for (int i = 0; i < processes; ++i) {
        int status = 0;
        ::waitpid(pids[static_cast<std::size_t>(i)], &status, 0);
        std::ifstream out(outputs[static_cast<std::size_t>(i)]);
        std::string word;
        std::size_t applied = 0;
        out >> word >> applied;
        std::ifstream err(outputs[static_cast<std::size_t>(i)] + ".err");
        std::string err_text((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
        BOOST_TEST_MESSAGE(tag << " process " << i << ": exit " << (WIFEXITED(status) ? WEXITSTATUS(status) : -1)
                               << ", applied " << applied << (err_text.empty() ? "" : ", stderr: " + err_text));
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) ++b.started;
        b.applied += applied;
    }
    fs::remove_all(dir);
    return b;
}

void check_applied_once(scratch_database& db) {
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations WHERE direction = 'up' AND status = 'success'") == "100");
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations") == "100");
    BOOST_TEST(db.scalar("SELECT count(DISTINCT version) FROM schema_migrations") == "100");
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^t[0-9]+$'") == "100");
    // No advisory lock left behind on any server connection (a pooler's included).
    no_advisory_lock_left(db);
}

void through_pgbouncer(const std::string& mode) {
    scratch_database db("boot16_" + mode);
    const std::string url = pgbouncer_url(mode, db.name());
    if (url.empty()) {
        BOOST_TEST_MESSAGE("PGMIG_TEST_DB_URL is set: no test PgBouncer, skipped");
        return;
    }
    const boots b = boot_at_once(url, mode, 16);
    BOOST_TEST(b.started == 16);
    BOOST_TEST(b.applied == 100u);
    check_applied_once(db);
}

} // namespace

BOOST_AUTO_TEST_SUITE(multiprocess)

BOOST_AUTO_TEST_CASE(sixteen_processes_one_hundred_migrations) {
    scratch_database db("boot16");
    const boots b = boot_at_once(db.url(), "direct", 16);
    BOOST_TEST(b.started == 16);
    BOOST_TEST(b.applied == 100u);
    check_applied_once(db);
}

BOOST_AUTO_TEST_CASE(sixteen_processes_through_pgbouncer_transaction_pooling) { through_pgbouncer("transaction"); }

BOOST_AUTO_TEST_CASE(sixteen_processes_through_pgbouncer_session_pooling) { through_pgbouncer("session"); }

BOOST_AUTO_TEST_SUITE_END()
