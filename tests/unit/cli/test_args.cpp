// Unit tests of the admin CLI's argument parsing (CLI11 set up from the command table).
#include "cli/args.hpp"
#include "cli/commands.hpp"

#include <pgmig/error.hpp>
#include <pgmig/version.hpp>

#include <boost/test/unit_test.hpp>

using namespace pgmig::detail::cli;

namespace {

parse_outcome parse(std::vector<std::string> words, bool standalone = true) {
    std::vector<const char*> argv = {"pgmig"};
    for (const std::string& w : words) argv.push_back(w.c_str());
    return parse_arguments(static_cast<int>(argv.size()), argv.data(), standalone, "pgmig");
}

} // namespace

BOOST_AUTO_TEST_SUITE(cli_args)

BOOST_AUTO_TEST_CASE(global_options_before_and_after_the_command) {
    auto p = parse({"--json", "--db", "postgresql://x/y", "status"});
    BOOST_TEST(!p.finished);
    BOOST_TEST(p.args.command == "status");
    BOOST_TEST(p.args.json);
    BOOST_TEST(p.json);
    BOOST_TEST(p.args.db == "postgresql://x/y");

    p = parse({"up", "--to", "42", "--dry-run", "--history-table", "app.migs", "--yes", "--lock-timeout", "10s",
               "--drift", "warn", "--unknown", "refuse", "--out-of-order", "allow", "--migrations-dir", "db/m"});
    BOOST_TEST(!p.finished);
    BOOST_TEST(p.args.command == "up");
    BOOST_TEST(p.args.to == "42");
    BOOST_TEST(p.args.dry_run);
    BOOST_TEST(p.args.yes);
    BOOST_TEST(p.args.history_table == "app.migs");
    BOOST_TEST(p.args.lock_timeout == "10s");
    BOOST_TEST(p.args.drift == "warn");
    BOOST_TEST(p.args.unknown == "refuse");
    BOOST_TEST(p.args.out_of_order == "allow");
    BOOST_TEST(p.args.migrations_dir == "db/m");
}

BOOST_AUTO_TEST_CASE(aliases_map_to_canonical_commands) {
    BOOST_TEST(parse({"apply"}).args.command == "up");
    BOOST_TEST(parse({"down", "--steps", "2"}).args.command == "rollback");
    BOOST_TEST(parse({"down", "--steps", "2"}).args.steps == "2");
    BOOST_TEST(parse({"create", "x"}).args.command == "new");
    BOOST_TEST(parse({"generate", "x"}).args.command == "new");
}

BOOST_AUTO_TEST_CASE(command_arguments) {
    auto p = parse({"force", "0"});
    BOOST_TEST(p.args.command == "force");
    BOOST_TEST(p.args.version == "0");
    p = parse({"baseline", "--version", "20240101120000"});
    BOOST_TEST(p.args.version == "20240101120000");
    p = parse({"new", "add", "user", "status", "--format", "paired"});
    BOOST_TEST(p.args.name_words.size() == 3u);
    BOOST_TEST(p.args.format == "paired");
    p = parse({"repair", "--accept-checksums"});
    BOOST_TEST(p.args.accept_checksums);
}

BOOST_AUTO_TEST_CASE(usage_errors) {
    const auto err = [](std::vector<std::string> w, bool standalone = true) {
        auto p = parse(std::move(w), standalone);
        BOOST_TEST(p.finished);
        BOOST_TEST(p.exit_code == 1);
        BOOST_REQUIRE(p.usage.has_value());
        BOOST_TEST((p.usage->code() == pgmig::error_code::usage));
        return std::string(p.usage->what());
    };
    BOOST_TEST(err({"stauts"}).find("did you mean 'status'?") != std::string::npos);
    BOOST_TEST(err({"up", "--dryrun"}).find("did you mean '--dry-run'?") != std::string::npos);
    BOOST_TEST(err({"repair", "--accept-checksum"}).find("did you mean '--accept-checksums'?") != std::string::npos);
    BOOST_TEST(err({"status", "--jsn"}).find("did you mean '--json'?") != std::string::npos);
    BOOST_TEST(err({"--drift", "warm", "status"}).find("did you mean 'warn'?") != std::string::npos);
    // Not a typo of anything: no suggestion (two edits from "up" is another word).
    BOOST_TEST(err({"dump"}).find("unknown command 'dump'") != std::string::npos);
    BOOST_TEST(err({"dump"}).find("did you mean") == std::string::npos);
    BOOST_TEST(err({}).find("no command") != std::string::npos);
    BOOST_TEST(err({"rollback", "--to", "1", "--steps", "2"}).find("cannot be combined") != std::string::npos);
    BOOST_TEST(err({"baseline"}).find("--version") != std::string::npos);
    BOOST_TEST(err({"force"}).find("force needs") != std::string::npos);
    BOOST_TEST(err({"new"}).find("new needs a name") != std::string::npos);
    BOOST_TEST(err({"status", "extra"}).find("unexpected argument 'extra'") != std::string::npos);
    BOOST_TEST(err({"up", "--to"}).find("--to") != std::string::npos);
    BOOST_TEST(err({"new", "x"}, false).find("pgmig new") != std::string::npos);
    BOOST_TEST(err({"status", "--migrations-dir", "x"}, false).find("unknown option '--migrations-dir'") !=
               std::string::npos);
    BOOST_TEST(err({"lint", "--fail-on", "hgh"}).find("did you mean 'high'?") != std::string::npos);
    BOOST_TEST(err({"lint", "--format", "githb"}).find("did you mean 'github'?") != std::string::npos);
    BOOST_TEST(err({"lint", "--json", "--format", "github"}).find("cannot be combined") != std::string::npos);
    BOOST_TEST(err({"new", "x", "--format", "text"}).find("timestamp or paired") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(help_for_every_command_has_an_example) {
    for (const std::string& c : command_names(true)) {
        auto p = parse({c, "--help"});
        BOOST_TEST(p.finished);
        BOOST_TEST(p.exit_code == 0);
        BOOST_TEST(p.out_text.find("Example:") != std::string::npos, c);
        BOOST_TEST(p.out_text.find("pgmig") != std::string::npos, c);
    }
    auto top = parse({"--help"});
    BOOST_TEST(top.out_text.find("rollback") != std::string::npos);
    BOOST_TEST(top.out_text.find("Exit codes") != std::string::npos);
    auto help_cmd = parse({"help", "up"});
    BOOST_TEST(help_cmd.out_text.find("--dry-run") != std::string::npos);
    auto version = parse({"--version"});
    BOOST_TEST(version.finished);
    BOOST_TEST(version.out_text == std::string("pgmig ") + PGMIG_VERSION_STRING + "\n"); // not "pgmig (pgmig) …"
}

BOOST_AUTO_TEST_CASE(up_steps_and_color) {
    auto p = parse({"up", "--steps", "2"});
    BOOST_TEST(!p.finished);
    BOOST_TEST(p.args.steps == "2");
    p = parse({"--color", "never", "status"});
    BOOST_TEST(!p.finished);
    BOOST_TEST(p.args.color == "never");
    p = parse({"status", "--color=always"});
    BOOST_TEST(p.args.color == "always");
    const auto usage = [](std::vector<std::string> w) {
        const auto o = parse(std::move(w));
        BOOST_REQUIRE(o.usage.has_value());
        return std::string(o.usage->what());
    };
    BOOST_TEST(usage({"up", "--to", "3", "--steps", "1"}) == "up: --to and --steps cannot be combined; use one of them");
    BOOST_TEST(usage({"--color", "sometimes", "status"}).find("auto, always or never") != std::string::npos);
    BOOST_TEST(usage({"--color", "alwyas", "status"}).find("did you mean 'always'?") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(db_given_even_when_empty) {
    // `--db ""` (an unset shell variable) is not "no --db": it must not fall back to $DB_URL.
    BOOST_TEST(parse({"status", "--db", ""}).args.db_given);
    BOOST_TEST(!parse({"status"}).args.db_given);
}

BOOST_AUTO_TEST_CASE(help_has_at_most_one_blank_line_in_a_row) {
    for (bool standalone : {true, false}) {
        const std::string top = parse({"--help"}, standalone).out_text;
        BOOST_TEST(top.find("\n\n\n") == std::string::npos, top);
        BOOST_TEST(top.find("Global options:") != std::string::npos);
        for (const std::string& c : command_names(standalone)) {
            const std::string help = parse({c, "--help"}, standalone).out_text;
            BOOST_TEST(help.find("\n\n\n") == std::string::npos, c << ":\n" << help);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
