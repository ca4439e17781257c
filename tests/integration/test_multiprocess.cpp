// 16 real processes booting at once on a fresh database with 100 migrations:
// all start, and every migration is applied exactly once.
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

BOOST_AUTO_TEST_SUITE(multiprocess)

BOOST_AUTO_TEST_CASE(sixteen_processes_one_hundred_migrations) {
    scratch_database db("boot16");
    const fs::path dir = fs::temp_directory_path() / ("pgmig_boot16_" + std::to_string(::getpid()));
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

    constexpr int processes = 16;
    std::vector<pid_t> pids;
    std::vector<std::string> outputs;
    const std::string url = db.url();
    for (int i = 0; i < processes; ++i) {
        const std::string out = (dir / ("out_" + std::to_string(i) + ".txt")).string();
        outputs.push_back(out);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&actions, 2, (out + ".err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        std::string helper = PGMIG_BOOT_HELPER_PATH;
        std::string dirs = dir.string();
        char* args[] = {helper.data(), const_cast<char*>(url.c_str()), dirs.data(), nullptr};
        pid_t pid = 0;
        const int rc = posix_spawn(&pid, helper.c_str(), &actions, nullptr, args, environ);
        posix_spawn_file_actions_destroy(&actions);
        BOOST_REQUIRE_MESSAGE(rc == 0, "posix_spawn failed: " << rc);
        pids.push_back(pid);
    }
    int started = 0;
    std::size_t applied_total = 0;
    for (int i = 0; i < processes; ++i) {
        int status = 0;
        ::waitpid(pids[static_cast<std::size_t>(i)], &status, 0);
        std::ifstream out(outputs[static_cast<std::size_t>(i)]);
        std::string word;
        std::size_t applied = 0;
        out >> word >> applied;
        std::ifstream err(outputs[static_cast<std::size_t>(i)] + ".err");
        std::string err_text((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
        BOOST_TEST_MESSAGE("process " << i << ": exit " << (WIFEXITED(status) ? WEXITSTATUS(status) : -1)
                                      << ", applied " << applied << (err_text.empty() ? "" : ", stderr: " + err_text));
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) ++started;
        applied_total += applied;
    }
    BOOST_TEST(started == processes);
    BOOST_TEST(applied_total == 100u);
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations WHERE direction = 'up' AND status = 'success'") == "100");
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations") == "100");
    BOOST_TEST(db.scalar("SELECT count(DISTINCT version) FROM schema_migrations") == "100");
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^t[0-9]+$'") == "100");
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
