// How fix hints spell commands for the front end that shows them (pure).
#include "core/admin_command.hpp"

#include <pgmig/reconcile.hpp>

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <set>

using namespace pgmig;
using namespace pgmig::detail::core;

BOOST_AUTO_TEST_SUITE(admin_command)

BOOST_AUTO_TEST_CASE(a_command_as_the_front_end_spells_it) {
    BOOST_TEST(command_hint("pgmig", "repair") == "`pgmig repair`");
    BOOST_TEST(command_hint("myapp db", "baseline --version V") == "`myapp db baseline --version V`");
    BOOST_TEST(command_hint("", "status") == "`status`");
    BOOST_TEST(admin_command_or_default("todo admin") == "todo admin");
    BOOST_TEST(admin_command_or_default("") == default_admin_command());
}

BOOST_AUTO_TEST_CASE(the_default_is_the_running_program_and_its_db_subcommand) {
    // This test binary's own name, from the kernel rather than argv[0].
    const std::string program = std::filesystem::read_symlink("/proc/self/exe").filename().string();
    BOOST_TEST(default_admin_command() == program + " db");
}

BOOST_AUTO_TEST_CASE(reconcile_spells_every_fix_with_the_prefix_given) {
    const auto set = migration_set::from_files({{"000001_a.up.sql", "CREATE TABLE a ();"},
                                                {"000003_c.up.sql", "CREATE TABLE c ();"},
                                                {"000004_d.up.sql", "CREATE TABLE d ();"}});
    std::vector<history_row> rows;
    const auto row = [&](std::int64_t v, row_status s, const std::string& sum) {
        history_row r;
        r.id = static_cast<std::int64_t>(rows.size()) + 1;
        r.version = v;
        r.name = "m" + std::to_string(v);
        r.checksum = sum;
        r.status = s;
        rows.push_back(r);
    };
    row(1, row_status::success, "sha256:edited");        // drift
    row(2, row_status::success, "sha256:gone");          // unknown inside (its file was deleted)
    row(3, row_status::success, set.find(3)->checksum);
    row(9, row_status::success, "sha256:newer");         // unknown newer; 4 is now out of order
    row(4, row_status::failed, set.find(4)->checksum);   // failed
    row(4, row_status::running, set.find(4)->checksum);  // interrupted
    for (const std::string prefix : {"pgmig", "todo admin"}) {
        const reconcile_report r = reconcile(set, rows, {}, prefix);
        std::set<problem_kind> kinds;
        for (const problem& p : r.problems) {
            kinds.insert(p.kind);
            if (p.kind == problem_kind::out_of_order) continue; // its fix is a policy, not a command
            BOOST_TEST(p.fix.find("`" + prefix + " ") != std::string::npos, p.fix);
            BOOST_TEST(p.fix.find("`db ") == std::string::npos, p.fix);
        }
        BOOST_TEST(kinds.size() == 6u);
    }
}

BOOST_AUTO_TEST_SUITE_END()
