// Connection strings against the real server: a role whose password holds
// every character a URL treats specially connects through a percent-encoded
// URL, and neither that password nor a short one that is part of ordinary
// words is ever printed (or masked where it is only part of a word).
#include "support/cli_runner.hpp"
#include "support/server.hpp"

#include "core/conninfo.hpp"

#include <pgmig/conninfo.hpp>
#include <pgmig/startup.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <mutex>
#include <string>
#include <unistd.h>
#include <vector>

using namespace pgmig_test;
using pgmig_cli_test::db_cmd;
using pgmig::detail::engine::quote_ident;
using pgmig::detail::engine::quote_literal;

namespace {

bool external_server() {
    const char* env = std::getenv("PGMIG_TEST_DB_URL");
    return env && *env;
}

// Options whose log is appended to `text`.
pgmig::options logging_to(std::string& text, std::mutex& m) {
    pgmig::options opts;
    opts.connect_timeout = std::chrono::seconds(5);
    opts.log = [&text, &m](pgmig::log_level, const std::string& s) {
        std::lock_guard<std::mutex> g(m);
        text += s + "\n";
    };
    return opts;
}

// A login role of its own for one test, dropped at the end (after the
// databases it owns, so declare it first).
class scratch_role {
public:
    scratch_role(const std::string& hint, const std::string& password)
        : name_("pgmig_r_" + hint + "_" + std::to_string(static_cast<long>(::getpid()))) {
        auto admin = connect(server_url(), "pgmig_test_admin");
        admin->exec("DROP ROLE IF EXISTS " + quote_ident(name_));
        admin->exec("CREATE ROLE " + quote_ident(name_) + " LOGIN PASSWORD " + quote_literal(password));
    }
    ~scratch_role() {
        try {
            auto admin = connect(server_url(), "pgmig_test_admin");
            admin->exec("DROP ROLE IF EXISTS " + quote_ident(name_));
        } catch (const std::exception& e) {
            BOOST_TEST_MESSAGE("could not drop role " << name_ << ": " << e.what());
        }
    }
    scratch_role(const scratch_role&) = delete;
    scratch_role& operator=(const scratch_role&) = delete;
    const std::string& name() const noexcept { return name_; }

private:
    std::string name_;
};

// postgresql://<user>:<encoded password>@<the test server's host and port>/<dbname>.
std::string url_as(const std::string& user, const std::string& encoded_password, const std::string& dbname) {
    const pgmig::detail::core::parsed_conninfo server = pgmig::detail::core::parse_conninfo(server_url());
    std::string host = "127.0.0.1", port = "5432";
    for (const auto& p : server.params) {
        if (p.key == "host" && !p.value.empty()) host = p.value;
        if (p.key == "port" && !p.value.empty()) port = p.value;
    }
    return "postgresql://" + user + ":" + encoded_password + "@" + host + ":" + port + "/" + dbname;
}

// The database `db` handed to `role` (it creates the history table in public).
void give(scratch_database& db, const scratch_role& role) {
    db.exec("ALTER DATABASE " + quote_ident(db.name()) + " OWNER TO " + quote_ident(role.name()) +
            "; ALTER SCHEMA public OWNER TO " + quote_ident(role.name()));
}

const std::vector<std::pair<std::string, std::string>> two = {
    {"000001_create_pgmig_items.up.sql", "CREATE TABLE pgmig_items (id int);"},
    {"000002_add_pgmig_index.up.sql", "CREATE INDEX pgmig_items_id ON pgmig_items (id);"},
};

} // namespace

BOOST_AUTO_TEST_SUITE(connection_strings)

BOOST_AUTO_TEST_CASE(a_password_with_at_colon_percent_slash_question_mark_and_space_connects) {
    const std::string password = "p@ss:w0rd%/?x y";
    const std::string encoded = "p%40ss%3Aw0rd%25%2F%3Fx%20y";
    scratch_role role("special", password);
    scratch_database db("special_pw");
    give(db, role);
    const std::string url = url_as(role.name(), encoded, db.name());

    std::string log_text;
    std::mutex log_mutex;
    const pgmig::options opts = logging_to(log_text, log_mutex);
    const auto report = pgmig::migrate_on_startup(url, make_set(two), opts);
    BOOST_TEST(report.applied.size() == 2u);
    BOOST_TEST(db.table_exists("public", "pgmig_items"));
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations WHERE applied_by IS NOT NULL") == "2");

    // Printed with the password masked, and the rest intact.
    BOOST_TEST(pgmig::mask_password(url) == url_as(role.name(), "*****", db.name()));

    // A failing migration whose SQL holds the password: the server echoes it,
    // the error and the log must not.
    auto files = two;
    files.push_back({"000003_echo.up.sql", "SELECT '" + password + "'::int;\n"});
    const pgmig::error e = expect_error([&] { pgmig::migrate_on_startup(url, make_set(files), opts); });
    const std::string what = e.what();
    BOOST_TEST_MESSAGE(what);
    for (const std::string& form : {password, encoded, std::string("%w0rd"), std::string("p@ss")}) {
        BOOST_TEST(what.find(form) == std::string::npos, form);
        BOOST_TEST(log_text.find(form) == std::string::npos, form);
    }
    BOOST_TEST(what.find("*****") != std::string::npos);
    BOOST_TEST(what.find("000003_echo.up.sql") != std::string::npos);

    // The CLI: every byte of its output, text and JSON.
    for (const std::vector<std::string>& args : {std::vector<std::string>{"status"},
                                                 std::vector<std::string>{"status", "--json"},
                                                 std::vector<std::string>{"up", "--yes", "--json"}}) {
        const auto run = db_cmd(make_set(files), url, args);
        BOOST_TEST_INFO(run.all());
        for (const std::string& form : {password, encoded, std::string("p@ss"), std::string("%w0rd")})
            BOOST_TEST(run.all().find(form) == std::string::npos, form);
        if (args.size() == 1) BOOST_TEST(run.all().find("Database  " + pgmig::mask_password(url)) != std::string::npos);
    }

    // The same URL with a wrong password: a permanent error, nothing of either password shown.
    if (!external_server()) {
        const pgmig::error wrong = expect_error(
            [&] { pgmig::migrate_on_startup(url_as(role.name(), "p%40ss%3Awr0ng%25", db.name()), make_set(two), opts); });
        const std::string msg = wrong.what();
        BOOST_TEST_MESSAGE(msg);
        BOOST_TEST(msg.find("password authentication failed") != std::string::npos);
        BOOST_TEST(msg.find("wr0ng") == std::string::npos);
        BOOST_TEST(msg.find("p@ss") == std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(a_short_password_inside_ordinary_words_is_left_alone) {
    // "pg" is in pgmig, pg_hba.conf, the role's and the database's names.
    scratch_role role("pg", "pg");
    scratch_database db("short_pw");
    give(db, role);
    const std::string url = url_as(role.name(), "pg", db.name());

    std::string log_text;
    std::mutex log_mutex;
    const pgmig::options opts = logging_to(log_text, log_mutex);
    BOOST_TEST(pgmig::migrate_on_startup(url, make_set(two), opts).applied.size() == 2u);
    BOOST_TEST(log_text.find("pgmig_items") != std::string::npos);
    BOOST_TEST(log_text.find("*****mig") == std::string::npos);
    BOOST_TEST(log_text.find("*****_") == std::string::npos);

    const auto run = db_cmd(make_set(two), url, {"status"});
    BOOST_TEST_INFO(run.all());
    BOOST_TEST(run.code == 0);
    BOOST_TEST(run.all().find("Database  " + url_as(role.name(), "*****", db.name())) != std::string::npos);
    BOOST_TEST(run.all().find("create_pgmig_items") != std::string::npos);
    BOOST_TEST(run.all().find("*****mig") == std::string::npos);

    // The password itself, a word of its own in the server's message, is masked;
    // words that merely contain it are not.
    auto files = two;
    files.push_back({"000003_echo_pg.up.sql", "SELECT 'pg'::int;\n"});
    const pgmig::error e = expect_error([&] { pgmig::migrate_on_startup(url, make_set(files), opts); });
    const std::string what = e.what();
    BOOST_TEST_MESSAGE(what);
    BOOST_TEST(what.find("\"pg\"") == std::string::npos);
    BOOST_TEST(what.find("\"*****\"") != std::string::npos);
    BOOST_TEST(what.find("000003_echo_pg.up.sql") != std::string::npos);
    BOOST_TEST(what.find("*****mig") == std::string::npos);
    BOOST_TEST(log_text.find("*****mig") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
