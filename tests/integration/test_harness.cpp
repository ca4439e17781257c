// The harness itself: a real server, independent scratch databases, URL helpers.
#include "support/server.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <memory>
#include <string>

using namespace pgmig_test;
using pgmig::detail::engine::connection_error;
using pgmig::detail::engine::quote_literal;

namespace {

// Number of databases named `a` or `b` on the server.
std::string count_databases(const std::string& a, const std::string& b) {
    auto admin = connect(server_url());
    return admin->query("SELECT count(*) FROM pg_database WHERE datname IN (" + quote_literal(a) +
                        ", " + quote_literal(b) + ")")
        .text(0, 0);
}

bool external_server() {
    const char* env = std::getenv("PGMIG_TEST_DB_URL");
    return env && *env;
}

} // namespace

BOOST_AUTO_TEST_SUITE(harness)

BOOST_AUTO_TEST_CASE(connects_to_the_server) {
    const std::string url = server_url();
    BOOST_TEST(!url.empty());
    auto conn = connect(url);
    BOOST_TEST(conn->query("SELECT 1").text(0, 0) == "1");
    BOOST_TEST(conn->backend_pid() > 0);
    BOOST_TEST(conn->query("SELECT current_setting('application_name')").text(0, 0) == "pgmig_test");
}

BOOST_AUTO_TEST_CASE(server_is_postgresql_15) {
    scratch_database db("version");
    const std::string v = db.scalar("SHOW server_version_num");
    BOOST_TEST_MESSAGE("server_version_num = " << v);
    BOOST_TEST(v.rfind("15", 0) == 0, "expected PostgreSQL 15, server_version_num = " << v);
}

BOOST_AUTO_TEST_CASE(scratch_databases_are_independent_and_dropped) {
    std::string name_a, name_b;
    std::unique_ptr<db_connection> lingering; // outlives the databases: DROP must use FORCE
    {
        scratch_database a("independent a");
        scratch_database b("independent-b");
        name_a = a.name();
        name_b = b.name();
        BOOST_TEST(name_a != name_b);
        BOOST_TEST(name_a.rfind("pgmig_t_independent_a_", 0) == 0, name_a);
        BOOST_TEST(name_b.rfind("pgmig_t_independent_b_", 0) == 0, name_b);
        BOOST_TEST(a.scalar("SELECT current_database()") == name_a);
        BOOST_TEST(b.scalar("SELECT current_database()") == name_b);

        a.exec("CREATE TABLE only_in_a (id int PRIMARY KEY); INSERT INTO only_in_a VALUES (1), (2)");
        BOOST_TEST(a.table_exists("public", "only_in_a"));
        BOOST_TEST(!b.table_exists("public", "only_in_a"));
        BOOST_TEST(!a.table_exists("public", "nope"));
        BOOST_TEST(a.scalar("SELECT count(*) FROM only_in_a") == "2");
        BOOST_TEST(a.query("SELECT id FROM only_in_a ORDER BY id").size() == 2u);
        BOOST_TEST(a.scalar("SELECT NULL") == "");
        BOOST_TEST(a.scalar("SELECT id FROM only_in_a WHERE id < 0") == "");
        BOOST_CHECK_THROW(a.scalar("UPDATE only_in_a SET id = id"), std::runtime_error);
        try {
            b.exec("SELECT * FROM only_in_a");
            BOOST_FAIL("expected an error");
        } catch (const pgmig::detail::engine::db_error& e) {
            BOOST_TEST(e.sqlstate == "42P01");
            BOOST_TEST(std::string(e.what()).find(name_b) != std::string::npos, e.what());
        }

        lingering = a.connect("pgmig_test_lingering");
        BOOST_TEST(lingering->query("SELECT 1").text(0, 0) == "1");
        BOOST_TEST(count_databases(name_a, name_b) == "2");
    }
    BOOST_TEST(count_databases(name_a, name_b) == "0");
    // The lingering session was terminated by DROP DATABASE ... WITH (FORCE).
    BOOST_CHECK_THROW(lingering->query("SELECT 1"), std::exception);
    lingering.reset();
}

BOOST_AUTO_TEST_CASE(database_names_are_sanitised_and_short) {
    scratch_database db(std::string(100, 'X') + "; DROP \"it\"");
    BOOST_TEST(db.name().size() <= 63u);
    BOOST_TEST(db.name().find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos,
               db.name());
    BOOST_TEST(db.scalar("SELECT current_database()") == db.name());
}

BOOST_AUTO_TEST_CASE(catalog_fingerprint_is_deterministic_and_sensitive) {
    scratch_database a("fp_a");
    scratch_database b("fp_b");
    const std::string empty = a.catalog_fingerprint();
    BOOST_TEST(empty == a.catalog_fingerprint());
    BOOST_TEST(empty == b.catalog_fingerprint()); // no names or OIDs of the database in it
    BOOST_TEST(empty.find("schema public") != std::string::npos, empty);

    a.exec("CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL)");
    const std::string with_table = a.catalog_fingerprint();
    BOOST_TEST(with_table != empty);
    BOOST_TEST(with_table.find("email text not null") != std::string::npos, with_table);

    a.exec("CREATE UNIQUE INDEX t_email ON t (email)");
    const std::string with_index = a.catalog_fingerprint();
    BOOST_TEST(with_index != with_table);

    a.exec("ALTER TABLE t ADD CONSTRAINT email_nonempty CHECK (email <> '')");
    BOOST_TEST(a.catalog_fingerprint() != with_index);

    a.exec("ALTER TABLE t ALTER COLUMN email TYPE varchar(200)");
    const std::string retyped = a.catalog_fingerprint();
    BOOST_TEST(retyped.find("character varying(200)") != std::string::npos, retyped);

    // Data is not schema.
    a.exec("INSERT INTO t (email) VALUES ('x@example.org')");
    BOOST_TEST(a.catalog_fingerprint() == retyped);

    a.exec("DROP TABLE t");
    BOOST_TEST(a.catalog_fingerprint() == empty);
}

BOOST_AUTO_TEST_CASE(url_for_database_url_form) {
    BOOST_TEST(url_for_database("postgresql://u:p@127.0.0.1:5432/postgres", "other") ==
               "postgresql://u:p@127.0.0.1:5432/other");
    BOOST_TEST(url_for_database("postgres://u:p@h:1/postgres?sslmode=disable&connect_timeout=3", "x_1") ==
               "postgres://u:p@h:1/x_1?sslmode=disable&connect_timeout=3");
    BOOST_TEST(url_for_database("postgresql://h", "d") == "postgresql://h/d");
    BOOST_TEST(url_for_database("postgresql://h?sslmode=disable", "d") == "postgresql://h/d?sslmode=disable");
    BOOST_TEST(url_for_database("postgresql:///postgres?host=/tmp&dbname=postgres&port=5", "d") ==
               "postgresql:///d?host=/tmp&dbname=d&port=5");
    BOOST_TEST(url_for_database("postgresql://u:p%2Fq@h/db", "my db") == "postgresql://u:p%2Fq@h/my%20db");

    // And for real: the server's URL pointed at a scratch database.
    scratch_database db("url_form");
    const std::string url = url_for_database(server_url(), db.name());
    BOOST_TEST(url == db.url());
    BOOST_TEST(connect(url)->query("SELECT current_database()").text(0, 0) == db.name());
}

BOOST_AUTO_TEST_CASE(url_for_database_key_value_form) {
    BOOST_TEST(url_for_database("host=127.0.0.1 port=5432 dbname=postgres user=u", "other") ==
               "host=127.0.0.1 port=5432 dbname='other' user=u");
    BOOST_TEST(url_for_database("host=h dbname = 'post gres' user=u", "x") == "host=h dbname = 'x' user=u");
    BOOST_TEST(url_for_database("host=h user=u", "o'k") == "host=h user=u dbname='o\\'k'");
    BOOST_TEST(url_for_database("", "d") == "dbname='d'");
    BOOST_TEST(password_of("host=h password='s3 cr\\'et' user=u") == "s3 cr'et");
    BOOST_TEST(url_with_password("host=h password=a user=u", "b") == "host=h password='b' user=u");

    // And for real, when the server is given as a URL: the same server in key=value form.
    const std::string server = server_url();
    if (server.rfind("postgres", 0) != 0) {
        scratch_database db("kv_form");
        BOOST_TEST(connect(db.url())->query("SELECT current_database()").text(0, 0) == db.name());
        return;
    }
    scratch_database db("kv_form");
    auto probe = connect(server);
    const std::string port = probe->query("SHOW port").text(0, 0);
    const std::string user = probe->query("SELECT current_user").text(0, 0);
    const std::string host = probe->query("SELECT coalesce(host(inet_server_addr()), '')").text(0, 0);
    if (host.empty()) {
        BOOST_TEST_MESSAGE("server reached over a Unix socket; skipping the live key=value check");
        return;
    }
    const std::string kv = "host=" + host + " port=" + port + " user=" + user +
                           " password='" + password_of(server) + "' dbname=postgres";
    const std::string url = url_for_database(kv, db.name());
    BOOST_TEST(connect(url)->query("SELECT current_database()").text(0, 0) == db.name());
}

BOOST_AUTO_TEST_CASE(password_helpers) {
    BOOST_TEST(password_of("postgresql://u:p%40ss@h:1/d") == "p@ss");
    BOOST_TEST(password_of("postgresql://u@h/d") == "");
    BOOST_TEST(password_of("postgresql://h/d?password=qq&x=1") == "qq");
    BOOST_TEST(url_with_password("postgresql://u:p@h:1/d?a=b", "n/w") == "postgresql://u:n%2Fw@h:1/d?a=b");
    BOOST_TEST(url_with_password("postgresql://u@h/d", "z") == "postgresql://u:z@h/d");
    BOOST_TEST((!password_of(server_url()).empty() || external_server()));
}

BOOST_AUTO_TEST_CASE(wrong_password_is_a_permanent_connection_error_without_the_password) {
    const std::string wrong = "Wr0ngPassw0rd-" + std::to_string(std::rand() % 100000) + "-zz";
    const std::string url = url_with_password(server_url(), wrong);
    BOOST_TEST(password_of(url) == wrong);
    try {
        auto conn = connect(url);
        if (external_server()) {
            BOOST_TEST_MESSAGE("the external server accepted a wrong password (trust auth?); nothing to check");
            return;
        }
        BOOST_FAIL("connecting with a wrong password succeeded");
    } catch (const connection_error& e) {
        const std::string msg = e.what();
        BOOST_TEST_MESSAGE("error: " << msg);
        BOOST_TEST(e.permanent);
        BOOST_TEST(msg.find(wrong) == std::string::npos, msg);
        BOOST_TEST(msg.find("password authentication failed") != std::string::npos, msg);
        const std::string real = password_of(server_url());
        if (!real.empty()) BOOST_TEST(msg.find(real) == std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(missing_database_is_permanent) {
    try {
        connect(url_for_database(server_url(), "pgmig_t_does_not_exist"));
        BOOST_FAIL("connecting to a missing database succeeded");
    } catch (const connection_error& e) {
        BOOST_TEST(e.permanent, e.what());
    }
}

BOOST_AUTO_TEST_CASE(make_set_parses_in_memory_files) {
    const pgmig::migration_set set = make_set({
        {"000002_second.up.sql", "CREATE TABLE b (id int);"},
        {"000001_first.up.sql", "CREATE TABLE a (id int);"},
        {"000001_first.down.sql", "DROP TABLE a;"},
        {"README.md", "not a migration"},
    });
    BOOST_TEST(set.size() == 2u);
    BOOST_TEST(set.newest_version() == 2);
    BOOST_TEST(set.migrations().front().version == 1);
    BOOST_TEST(set.migrations().front().reversible);
}

BOOST_AUTO_TEST_SUITE_END()
