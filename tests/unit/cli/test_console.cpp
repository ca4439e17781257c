// Unit tests of the admin CLI's console: confirmation, colour, masking.
#include "cli/console.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>

using namespace pgmig::detail::cli;

BOOST_AUTO_TEST_SUITE(cli_confirmation)

BOOST_AUTO_TEST_CASE(yes_flag_never_reads) {
    std::istringstream in("no\n");
    std::ostringstream err;
    BOOST_TEST((confirm(in, err, false, true, "x") == confirmation::assumed_yes));
    BOOST_TEST((confirm(in, err, true, true, "x") == confirmation::assumed_yes));
    BOOST_TEST(err.str().empty());
    BOOST_TEST(in.tellg() == 0);
}

BOOST_AUTO_TEST_CASE(no_terminal_refuses_without_reading) {
    std::istringstream in("yes\n");
    std::ostringstream err;
    BOOST_TEST((confirm(in, err, false, false, "drop everything") == confirmation::no_terminal));
    BOOST_TEST(err.str().empty());
    BOOST_TEST(in.tellg() == 0);
}

BOOST_AUTO_TEST_CASE(terminal_asks_and_needs_yes) {
    {
        std::istringstream in(" YES \n");
        std::ostringstream err;
        BOOST_TEST((confirm(in, err, true, false, "This rolls back 1 migration:") == confirmation::confirmed));
        BOOST_TEST(err.str().find("This rolls back 1 migration:") != std::string::npos);
        BOOST_TEST(err.str().find("Type 'yes' to continue") != std::string::npos);
    }
    for (const char* answer : {"y\n", "no\n", "\n", ""}) {
        std::istringstream in(answer);
        std::ostringstream err;
        BOOST_TEST((confirm(in, err, true, false, "x") == confirmation::declined), "answer '" << answer << "'");
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_color)

BOOST_AUTO_TEST_CASE(auto_colours_a_terminal_unless_no_color_or_dumb) {
    BOOST_TEST(use_color(color_mode::automatic, true, nullptr, "xterm-256color"));
    BOOST_TEST(use_color(color_mode::automatic, true, nullptr, nullptr));
    BOOST_TEST(!use_color(color_mode::automatic, false, nullptr, "xterm"));  // a pipe or a file
    BOOST_TEST(!use_color(color_mode::automatic, true, "1", "xterm"));       // NO_COLOR, whatever its value
    BOOST_TEST(use_color(color_mode::automatic, true, "", "xterm"));         // NO_COLOR empty: as if unset
    BOOST_TEST(!use_color(color_mode::automatic, true, nullptr, "dumb"));
}

BOOST_AUTO_TEST_CASE(always_and_never_decide_alone) {
    BOOST_TEST(use_color(color_mode::always, false, "1", "dumb"));
    BOOST_TEST(!use_color(color_mode::never, true, nullptr, "xterm"));
    BOOST_TEST((parse_color_mode("") == color_mode::automatic));
    BOOST_TEST((parse_color_mode("auto") == color_mode::automatic));
    BOOST_TEST((parse_color_mode("always") == color_mode::always));
    BOOST_TEST((parse_color_mode("never") == color_mode::never));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_console)

BOOST_AUTO_TEST_CASE(every_byte_is_masked) {
    std::istringstream in;
    std::ostringstream out, err;
    console io(in, out, err, false, false);
    io.add_secret_source("postgresql://app:S3cretPw@localhost/db");
    io.write("connecting to postgresql://app:S3cretPw@localhost/db\n");
    io.note("S3cretPw\n");
    io.log(pgmig::log_level::info, "password S3cretPw\n");
    io.log(pgmig::log_level::debug, "not shown\n"); // below min_level
    BOOST_TEST(out.str() == "connecting to postgresql://app:*****@localhost/db\n");
    BOOST_TEST(err.str() == "*****\npassword *****\n");
    // A prompt shows what it asks about, masked too.
    std::istringstream yes("yes\n");
    console tty(yes, out, err, true, false);
    tty.add_secret_source("postgresql://app:S3cretPw@localhost/db");
    BOOST_TEST((tty.ask(false, "roll back S3cretPw?") == confirmation::confirmed));
    BOOST_TEST(err.str().find("roll back *****?") != std::string::npos, err.str());
}

BOOST_AUTO_TEST_SUITE_END()
