// Every command a message tells the reader to run exists in the front end that
// printed it, spelled as that front end is invoked: `pgmig repair` from the
// standalone CLI, `todo admin repair` from a host app whose admin commands are
// `todo admin …` (cli_options::program_name), and for migrate_on_startup the
// configured options::admin_command or its default `<program> db`.
//
// The check: each `…` span of the output that invokes a command (it starts
// with the front end's prefix, or its first word is a command name, `db` or
// `pgmig`) must start with the prefix, and the rest must parse as a command of
// that front end (the dispatcher's own argument parser; a V placeholder stands
// for a version).
#include "support/cli_runner.hpp"

#include "cli/args.hpp"
#include "cli/commands.hpp"

#include <pgmig/pgmig.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>

using namespace pgmig_test;
using namespace pgmig_cli_test;

namespace {

using files = std::vector<std::pair<std::string, std::string>>;

const files three = {
    {"000001_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\n"},
    {"000001_users.down.sql", "DROP TABLE users;\n"},
    {"000002_todos.up.sql", "CREATE TABLE todos (id bigint PRIMARY KEY);\n"},
    {"000002_todos.down.sql", "DROP TABLE todos;\n"},
    {"000003_tags.up.sql", "CREATE TABLE tags (id bigint PRIMARY KEY);\n"},
    {"000003_tags.down.sql", "DROP TABLE tags;\n"},
};

files replaced(files f, const std::string& name, const std::string& content) {
    for (auto& x : f)
        if (x.first == name) x.second = content;
    return f;
}

files without(files f, const std::string& prefix) {
    f.erase(std::remove_if(f.begin(), f.end(), [&](const auto& x) { return x.first.rfind(prefix, 0) == 0; }), f.end());
    return f;
}

std::vector<std::string> words_of(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

/// How a front end is invoked, and which commands it has.
struct front_end {
    std::string prefix; ///< "pgmig", "todo admin", "pgmig_integration_tests db"
    bool standalone;    ///< the `pgmig` CLI (has `new`), else an embedded set's `… db`
};

/// Checks every command `text` names (see the top of the file); returns how many it found.
std::size_t check_hints(const std::string& text, const front_end& fe) {
    std::vector<std::string> names = pgmig::detail::cli::command_names(true);
    names.push_back("db");
    names.push_back("pgmig");
    std::size_t found = 0;
    for (std::size_t open = text.find('`'); open != std::string::npos; open = text.find('`', open + 1)) {
        const std::size_t close = text.find('`', open + 1);
        if (close == std::string::npos) break;
        const std::string span = text.substr(open + 1, close - open - 1);
        open = close;
        const std::vector<std::string> words = words_of(span);
        if (words.empty()) continue;
        if (span.rfind(fe.prefix + " ", 0) != 0) {
            BOOST_TEST((std::find(names.begin(), names.end(), words[0]) == names.end()),
                       "`" << span << "` is not spelled as `" << fe.prefix << " …`, in:\n" << text);
            continue;
        }
        std::vector<std::string> args = {"x"};
        for (const std::string& w : words_of(span.substr(fe.prefix.size() + 1))) args.push_back(w == "V" ? "1" : w);
        std::vector<const char*> argv;
        for (const std::string& a : args) argv.push_back(a.c_str());
        const auto parsed = pgmig::detail::cli::parse_arguments(static_cast<int>(argv.size()), argv.data(),
                                                                 fe.standalone, fe.prefix);
        BOOST_TEST(!parsed.usage.has_value(), "`" << span << "` is no command of `" << fe.prefix << "`: "
                                                   << (parsed.usage ? parsed.usage->what() : ""));
        BOOST_TEST(!parsed.args.command.empty(), "`" << span << "` names no command");
        ++found;
    }
    return found;
}

/// Runs admin commands through one CLI front end on migrations kept in a directory.
struct cli_front_end {
    front_end fe;
    std::string url;
    temp_dir dir;
    std::size_t hints = 0;

    cli_front_end(front_end f, std::string u) : fe(std::move(f)), url(std::move(u)) {}

    void use(const files& fs) {
        std::filesystem::remove_all(dir.path);
        std::filesystem::create_directories(dir.path);
        for (const auto& f : fs) dir.write(f.first, f.second);
    }
    /// Runs `args`, checks the exit code and every hint of the output, and that `expected` is among them.
    cli_run run(const std::vector<std::string>& args, int code, const std::string& expected = {}) {
        cli_run r;
        if (fe.standalone) {
            r = pgmig_cmd(dir.path.string(), url, args);
        } else {
            const auto set = pgmig::migration_set::from_directory(dir.path.string());
            r = host_cmd(fe.prefix, set, url, args);
        }
        std::string line;
        for (const std::string& a : args) line += " " + a;
        BOOST_TEST(r.code == code, fe.prefix << line << ": exit " << r.code << "\n" << r.all());
        hints += check_hints(r.all(), fe);
        if (!expected.empty())
            BOOST_TEST(r.all().find("`" + fe.prefix + " " + expected + "`") != std::string::npos,
                       fe.prefix << line << ": expected `" << fe.prefix << " " << expected << "` in:\n" << r.all());
        return r;
    }
};

void every_cli_hint(const front_end& fe) {
    {
        // A failed migration, then the refusals that follow it.
        scratch_database db("hints_failed");
        cli_front_end c(fe, db.url());
        // Pending migrations: status names the next step.
        c.use(three);
        c.run({"status"}, 0, "plan");
        c.use(replaced(three, "000003_tags.up.sql", "CREATE TABLE tags (id bigint PRIMARY KEY);\nSELEC 1;\n"));
        c.run({"up"}, 7, "repair");
        c.run({"verify"}, 4, "repair");
        c.run({"status"}, 0, "repair");
        c.run({"plan"}, 4, "repair");
        c.run({"rollback", "--yes"}, 4, "repair");
        c.use(three);
        c.run({"repair", "--yes"}, 0);
        c.run({"plan"}, 2, "up --dry-run");
        c.run({"up", "--dry-run"}, 0, "up");
        c.run({"up", "--steps", "1", "--dry-run"}, 0, "up --steps 1");
        c.run({"up"}, 0);

        // Drift, and what repair says about it.
        c.use(replaced(three, "000001_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, x int);\n"));
        c.run({"verify"}, 3, "repair --accept-checksums");
        c.run({"repair", "--yes"}, 0, "repair --accept-checksums");
        c.run({"up"}, 3, "repair --accept-checksums");

        // A deleted file inside the range; then a binary older than the database.
        c.use(without(three, "000002_"));
        c.run({"verify"}, 3, "force 2");
        c.use(without(three, "000003_"));
        c.run({"status"}, 0, "rollback --to 2");

        // Dry runs name their command.
        c.use(three);
        c.run({"rollback", "--dry-run"}, 0, "rollback");
        c.run({"redo", "--dry-run"}, 0, "redo");
        c.run({"force", "1", "--dry-run"}, 0, "force 1");
        c.run({"repair", "--accept-checksums", "--dry-run"}, 0);

        // Baseline refused on a history with rows.
        c.run({"baseline", "--version", "1"}, 3, "force V");

        // Rolling back a migration without down SQL.
        files with_irreversible = three;
        with_irreversible.push_back({"000004_seed.up.sql", "INSERT INTO users VALUES (1);\n"});
        c.use(with_irreversible);
        c.run({"up", "--yes"}, 0);
        c.run({"rollback", "--yes"}, 3, "force V");

        // An interrupted no-transaction run.
        db.exec("INSERT INTO schema_migrations (version, name, checksum, direction, status, statements_done, "
                "statements_total) VALUES (5, 'slow', 'sha256:x', 'up', 'running', 1, 3)");
        c.run({"verify"}, 4, "repair");
        BOOST_TEST(c.hints >= 20u, fe.prefix << ": only " << c.hints << " commands named");
    }
    {
        // A failed no-transaction migration.
        scratch_database db("hints_notx");
        cli_front_end c(fe, db.url());
        c.use({{"000001_idx.up.sql", "-- pgmig:no-transaction\nCREATE TABLE t (id int);\nSELEC 1;\n"}});
        c.run({"up"}, 7, "repair");
    }
    {
        // Another tool's history table.
        scratch_database db("hints_foreign");
        db.exec("CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)");
        cli_front_end c(fe, db.url());
        c.use(three);
        c.run({"status"}, 3, "import --from golang-migrate --history-table public.pgmig_migrations");
        c.run({"up"}, 3, "import --from golang-migrate --history-table public.pgmig_migrations");
    }
}

/// Checks the hints of an error of migrate_on_startup; returns its message.
std::string boot_error(const std::string& url, const files& fs, const pgmig::options& opts, const front_end& fe,
                       pgmig::error_code code, const std::string& expected) {
    const auto set = make_set(fs);
    const pgmig::error e = expect_error([&] { pgmig::migrate_on_startup(url, set, opts); });
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(code), e.what());
    BOOST_TEST(check_hints(e.what(), fe) >= 1u, e.what());
    BOOST_TEST(std::string(e.what()).find("`" + fe.prefix + " " + expected + "`") != std::string::npos,
               "expected `" << fe.prefix << " " << expected << "` in:\n" << e.what());
    return e.what();
}

void every_boot_hint(const front_end& fe, const std::string& admin_command) {
    pgmig::options opts;
    opts.admin_command = admin_command;
    opts.connect_timeout = std::chrono::seconds(5);
    std::string logged;
    opts.log = [&logged](pgmig::log_level, const std::string& m) { logged += m + "\n"; };
    {
        scratch_database db("boot_hints");
        boot_error(db.url(), replaced(three, "000002_todos.up.sql", "SELEC 1;\n"), opts, fe,
                   pgmig::error_code::migration_failed, "repair");
        boot_error(db.url(), three, opts, fe, pgmig::error_code::failed_recorded, "repair");
        db.exec("UPDATE schema_migrations SET status = 'repaired' WHERE status = 'failed'");
        pgmig::options verify = opts;
        verify.mode = pgmig::run_mode::verify_only;
        boot_error(db.url(), three, verify, fe, pgmig::error_code::pending, "up");
        boot_error(db.url(), three, verify, fe, pgmig::error_code::pending, "plan");
        pgmig::migrate_on_startup(db.url(), make_set(three), opts);
        boot_error(db.url(), replaced(three, "000001_users.up.sql", "CREATE TABLE users (id int);\n"), opts, fe,
                   pgmig::error_code::drift, "repair --accept-checksums");
        boot_error(db.url(), without(three, "000002_"), opts, fe, pgmig::error_code::policy, "force 2");
        // An older binary: started with a warning that names the newer binary's rollback.
        logged.clear();
        const auto r = pgmig::migrate_on_startup(db.url(), make_set(without(three, "000003_")), opts);
        BOOST_REQUIRE(r.warnings.size() == 1u);
        BOOST_TEST(check_hints(r.warnings[0].fix, fe) == 1u, r.warnings[0].fix);
        BOOST_TEST(check_hints(logged, fe) >= 1u, logged);
        BOOST_TEST(logged.find("`" + fe.prefix + " rollback --to 2`") != std::string::npos, logged);
    }
    {
        scratch_database db("boot_hints_notx");
        boot_error(db.url(), {{"000001_idx.up.sql", "-- pgmig:no-transaction\nCREATE TABLE t (id int);\nSELEC 1;\n"}},
                   opts, fe, pgmig::error_code::migration_failed, "repair");
    }
    {
        scratch_database db("boot_hints_foreign");
        db.exec("CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)");
        boot_error(db.url(), three, opts, fe, pgmig::error_code::foreign_history_table, "import --from golang-migrate --history-table public.pgmig_migrations");
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(fix_hints)

BOOST_AUTO_TEST_CASE(standalone_pgmig) { every_cli_hint({"pgmig", true}); }

BOOST_AUTO_TEST_CASE(host_app_with_its_own_admin_command) { every_cli_hint({"todo admin", false}); }

BOOST_AUTO_TEST_CASE(library_default_is_program_db) {
    // The default names the running executable (this test binary) and its `db` subcommand.
    const std::string program = std::filesystem::read_symlink("/proc/self/exe").filename().string();
    every_boot_hint({program + " db", false}, "");
}

BOOST_AUTO_TEST_CASE(library_with_a_configured_admin_command) { every_boot_hint({"todo admin", false}, "todo admin"); }

BOOST_AUTO_TEST_SUITE_END()
