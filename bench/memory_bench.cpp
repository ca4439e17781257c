// pgmig memory benchmark (e): peak RSS of `pgmig up`, `pgmig lint` and `pgmig
// plan` on a large migration file, as a ratio to the file's size. Target: at
// most ~4x for each. The peer, measured in the same run: `psql -f` of the same
// file into a fresh database (psql reads a whole statement into memory too).
//
//   one    a 45 MB file of one INSERT ... VALUES of many rows (seed data)
//   many   a 45 MB file of many one-row INSERT statements
//
// Each command runs as a child process; its peak RSS is the kernel's
// ru_maxrss from wait4(). Never a test: it prints, it asserts nothing.
//
// Usage: pgmig_bench_memory [--mb N]   (server from $DB_URL; makes and drops its own
// databases and a scratch directory under $TMPDIR)
#include "core/conninfo.hpp"

#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct run_result {
    int status = -1;
    long max_rss_kb = 0;
};

// Runs argv (stdout and stderr to /dev/null) and returns its exit status and peak RSS.
run_result run(const std::vector<std::string>& args, const std::string& dir) {
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::fflush(nullptr); // the child must not inherit (and print) our buffered output
    const pid_t pid = fork();
    if (pid < 0) return {};
    if (pid == 0) {
        if (chdir(dir.c_str()) != 0) _exit(126);
        if (std::FILE* null = std::freopen("/dev/null", "w", stdout)) (void)null;
        if (std::FILE* null = std::freopen("/dev/null", "w", stderr)) (void)null;
        execvp(argv[0], argv.data());
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    if (wait4(pid, &status, 0, &usage) < 0) return {};
    return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), usage.ru_maxrss};
}

// Writes a single-file migration of about `bytes` bytes and returns its size.
std::uintmax_t write_seed(const fs::path& file, const std::string& table, std::uintmax_t bytes, bool one_statement) {
    std::ofstream out(file, std::ios::binary);
    out << "-- DIRECTION: up\nCREATE TABLE " << table << " (id int PRIMARY KEY, name text NOT NULL, note text);\n";
    if (one_statement) out << "INSERT INTO " << table << " (id, name, note) VALUES\n";
    std::string row;
    for (long i = 1;; ++i) {
        const std::string n = std::to_string(i);
        row = "(" + n + ", 'name " + n + "', 'a note about row " + n + "')";
        const bool last = static_cast<std::uintmax_t>(out.tellp()) + row.size() + 64 >= bytes;
        if (one_statement) out << row << (last ? ";\n" : ",\n");
        else out << "INSERT INTO " << table << " (id, name, note) VALUES " << row << ";\n";
        if (last) break;
    }
    out.close();
    return fs::file_size(file);
}

} // namespace

int main(int argc, char** argv) {
    long mb = 45;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--mb") == 0) mb = std::max(1L, std::atol(argv[i + 1]));
    const char* env = std::getenv("DB_URL");
    if (!env || !*env) env = std::getenv("PGMIG_TEST_DB_URL");
    if (!env || !*env) {
        std::fprintf(stderr, "pgmig_bench_memory: set DB_URL (or run scripts/bench)\n");
        return 1;
    }
    const std::string server = env;
    const std::string pgmig = PGMIG_BENCH_CLI;
    const char* tmp = std::getenv("TMPDIR");
    const fs::path scratch = fs::path(tmp && *tmp ? tmp : "/tmp") / ("pgmig-bench-memory." + std::to_string(getpid()));

    std::printf("(e) peak RSS / size of the largest migration file (target <= ~4x for up, lint, plan)\n");
    std::printf("%-6s %9s %14s %14s %14s %14s\n", "file", "MB", "lint", "plan", "up", "psql -f");
    int failures = 0;
    for (const bool one : {true, false}) {
        const std::string kind = one ? "one" : "many";
        const fs::path dir = scratch / kind;
        fs::create_directories(dir);
        const std::string table = "seed_" + kind;
        const std::uintmax_t size =
            write_seed(dir / ("20260101_000000_" + table + ".sql"), table, static_cast<std::uintmax_t>(mb) << 20, one);
        const std::string db_pgmig = "pgmig_bench_mem_" + kind, db_psql = "pgmig_bench_mem_psql_" + kind;
        for (const std::string& db : {db_pgmig, db_psql}) {
            run({"psql", "-q", "-X", server, "-c", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)"}, dir.string());
            run({"psql", "-q", "-X", server, "-c", "CREATE DATABASE " + db}, dir.string());
        }
        const std::string url = pgmig::detail::core::set_param(server, "dbname", db_pgmig);
        const std::vector<std::string> common = {pgmig, "--migrations-dir", dir.string(), "--db", url};
        auto with = [&](std::vector<std::string> extra) {
            std::vector<std::string> a = common;
            a.insert(a.end(), extra.begin(), extra.end());
            return a;
        };
        const run_result lint = run(with({"lint", "--fail-on", "none"}), dir.string());
        const run_result plan = run(with({"plan"}), dir.string());
        const run_result up = run(with({"up", "--yes"}), dir.string());
        const run_result psql = run({"psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", pgmig::detail::core::set_param(server, "dbname", db_psql), "-f",
                                     (dir / ("20260101_000000_" + table + ".sql")).string()},
                                    dir.string());
        const double file_kb = static_cast<double>(size) / 1024.0;
        auto cell = [&](const run_result& r) {
            char buf[64];
            if (r.status != 0 && !(r.status == 2 && &r == &plan)) {
                std::snprintf(buf, sizeof buf, "exit %d", r.status);
                ++failures;
            } else {
                std::snprintf(buf, sizeof buf, "%.0f MB %.1fx", static_cast<double>(r.max_rss_kb) / 1024.0,
                              static_cast<double>(r.max_rss_kb) / file_kb);
            }
            return std::string(buf);
        };
        std::printf("%-6s %9.1f %14s %14s %14s %14s\n", kind.c_str(), file_kb / 1024.0, cell(lint).c_str(),
                    cell(plan).c_str(), cell(up).c_str(), cell(psql).c_str());
        for (const std::string& db : {db_pgmig, db_psql})
            run({"psql", "-q", "-X", server, "-c", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)"}, dir.string());
    }
    std::error_code ec;
    fs::remove_all(scratch, ec);
    return failures == 0 ? 0 : 1;
}
