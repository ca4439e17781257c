// Unit tests of where the admin CLI's connection string comes from: .env
// syntax, the order --db, $DB_URL, $DATABASE_URL, DB_URL and DATABASE_URL in
// ./.env, and empty values.
#include "cli/database_url.hpp"
#include "shared/temp_dir.hpp"

#include <pgmig/error.hpp>

#include <boost/test/unit_test.hpp>

#include <map>

using namespace pgmig::detail::cli;

namespace {

using pgmig_test::temp_dir;

/// A fake environment for resolve_conninfo.
using environment = std::map<std::string, std::string>;

getenv_function lookup(environment env) {
    return [env = std::move(env)](const char* name) -> const char* {
        const auto it = env.find(name);
        return it == env.end() ? nullptr : it->second.c_str();
    };
}

} // namespace

BOOST_AUTO_TEST_SUITE(cli_database_url)

BOOST_AUTO_TEST_CASE(parses_comments_quotes_and_export) {
    const auto v = parse_dotenv("# comment\n"
                                "\n"
                                "DB_URL=postgresql://u:p@h/db\n"
                                "export OTHER = 'single # not a comment'\n"
                                "QUOTED=\"a \\\"b\\\" c\"\n"
                                "TRAILING=value # comment\n"
                                "HASH=pa#ss\n"
                                "not an assignment\n"
                                "EMPTY=\n"
                                "CRLF=x\r\n");
    BOOST_TEST(v.at("DB_URL") == "postgresql://u:p@h/db");
    BOOST_TEST(v.at("OTHER") == "single # not a comment");
    BOOST_TEST(v.at("QUOTED") == "a \"b\" c");
    BOOST_TEST(v.at("TRAILING") == "value");
    BOOST_TEST(v.at("HASH") == "pa#ss");
    BOOST_TEST(v.at("EMPTY") == "");
    BOOST_TEST(v.at("CRLF") == "x");
    BOOST_TEST(v.count("not an assignment") == 0u);
}

BOOST_AUTO_TEST_CASE(later_keys_win) {
    const auto v = parse_dotenv("DB_URL=a\nDB_URL=b\n");
    BOOST_TEST(v.at("DB_URL") == "b");
}

BOOST_AUTO_TEST_CASE(resolution_order_flag_environment_dotenv) {
    temp_dir d;
    d.write(".env", "DATABASE_URL=postgresql://dotenv-database-url/db\nexport DB_URL=\"postgresql://from-dotenv/db\"\n");
    const std::string env_file = (d.path / ".env").string();
    environment both = {{"DB_URL", "postgresql://env/db"}, {"DATABASE_URL", "postgresql://env-database-url/db"}};
    auto r = resolve_conninfo(true, "postgresql://flag/db", lookup(both), env_file);
    BOOST_TEST(r.conninfo == "postgresql://flag/db");
    BOOST_TEST((r.source == conninfo_source::flag));
    BOOST_TEST(describe(r) == "--db");
    r = resolve_conninfo(false, "", lookup(both), env_file);
    BOOST_TEST(r.conninfo == "postgresql://env/db");
    BOOST_TEST((r.source == conninfo_source::environment));
    BOOST_TEST(describe(r) == "DB_URL");
    // DATABASE_URL (dbmate, sqlx, Prisma, Rails, Heroku) after DB_URL.
    environment database_url = {{"DATABASE_URL", "postgresql://env-database-url/db"}};
    r = resolve_conninfo(false, "", lookup(database_url), env_file);
    BOOST_TEST(r.conninfo == "postgresql://env-database-url/db");
    BOOST_TEST(describe(r) == "DATABASE_URL");
    // The environment before .env; in .env, DB_URL before DATABASE_URL wherever it is written.
    r = resolve_conninfo(false, "", lookup({}), env_file);
    BOOST_TEST(r.conninfo == "postgresql://from-dotenv/db");
    BOOST_TEST((r.source == conninfo_source::dotenv));
    BOOST_TEST(describe(r) == "DB_URL in ./.env");
    d.write(".env", "DATABASE_URL=postgresql://dotenv-database-url/db\n");
    r = resolve_conninfo(false, "", lookup({}), env_file);
    BOOST_TEST(r.conninfo == "postgresql://dotenv-database-url/db");
    BOOST_TEST(describe(r) == "DATABASE_URL in ./.env");
    r = resolve_conninfo(false, "", lookup({}), (d.path / "missing.env").string());
    BOOST_TEST((r.source == conninfo_source::none));
    BOOST_TEST(r.conninfo.empty());
}

BOOST_AUTO_TEST_CASE(an_empty_value_is_no_database_not_a_fallback) {
    temp_dir d;
    d.write(".env", "DB_URL=postgresql://from-dotenv/db\n");
    const std::string env_file = (d.path / ".env").string();
    const auto usage_message = [](const resolved_conninfo& r) {
        try {
            require_conninfo(r);
        } catch (const pgmig::error& e) {
            BOOST_TEST((e.code() == pgmig::error_code::usage));
            return std::string(e.what());
        }
        BOOST_FAIL("an empty connection string was accepted");
        return std::string();
    };
    // DB_URL= in the environment: it decides, and it says nothing.
    for (const char* blank : {"", "  "}) {
        const resolved_conninfo r = resolve_conninfo(false, "", lookup({{"DB_URL", blank}}), env_file);
        BOOST_TEST((r.source == conninfo_source::environment));
        BOOST_TEST(usage_message(r) == "no database given: DB_URL is empty; set DB_URL or pass --db URL");
    }
    // --db "" (e.g. an unset shell variable): never another database instead.
    BOOST_TEST(usage_message(resolve_conninfo(true, "", lookup({{"DB_URL", "postgresql://env/db"}}), env_file))
                   .find("--db is empty") != std::string::npos);
    d.write(".env", "DB_URL=\nDATABASE_URL=postgresql://x/db\n");
    BOOST_TEST(usage_message(resolve_conninfo(false, "", lookup({}), env_file)).find("DB_URL in ./.env is empty") !=
               std::string::npos);
    // Nowhere: say where it looks.
    const std::string none = usage_message(resolve_conninfo(false, "", lookup({}), (d.path / "missing").string()));
    BOOST_TEST(none.find("no database given") != std::string::npos);
    BOOST_TEST(none.find("DATABASE_URL") != std::string::npos);
    BOOST_TEST(require_conninfo({"postgresql://x/db", conninfo_source::flag, ""}) == "postgresql://x/db");
}

BOOST_AUTO_TEST_CASE(every_connection_string_is_collected_for_masking) {
    temp_dir d;
    d.write(".env", "DB_URL=postgresql://u:dotenvpw@h/db\nDATABASE_URL=postgresql://u:dotenvpw2@h/db\n");
    const auto all = connection_strings(lookup({{"DATABASE_URL", "postgresql://u:envpw@h/db"}, {"DB_URL", ""}}),
                                        (d.path / ".env").string());
    BOOST_TEST(all == (std::vector<std::string>{"postgresql://u:envpw@h/db", "postgresql://u:dotenvpw@h/db",
                                                 "postgresql://u:dotenvpw2@h/db"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
