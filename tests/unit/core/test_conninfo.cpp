// Unit tests of connection strings (src/core/conninfo.*): parsing as libpq
// does, adding parameters, masking by parsing, scrubbing by whole token.
#include "core/conninfo.hpp"

#include <pgmig/conninfo.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>
#include <vector>

using pgmig::mask_password;
using pgmig::detail::core::add_param;
using pgmig::detail::core::parse_conninfo;
using pgmig::detail::core::parsed_conninfo;
using pgmig::detail::core::scrub;
using pgmig::detail::core::secret_tokens;
using pgmig::detail::core::set_param;

namespace {

// "key=value" of each parameter.
std::vector<std::string> params(const parsed_conninfo& c) {
    std::vector<std::string> out;
    for (const auto& p : c.params) out.push_back(p.key + "=" + p.value);
    return out;
}

void expect_params(const std::string& conninfo, const std::vector<std::string>& expected) {
    const parsed_conninfo c = parse_conninfo(conninfo);
    BOOST_TEST_INFO("conninfo: " << conninfo << " error: " << c.error);
    BOOST_TEST(c.error.empty());
    BOOST_TEST(params(c) == expected, boost::test_tools::per_element());
}

bool has_token(const std::vector<std::string>& tokens, const std::string& t) {
    return std::find(tokens.begin(), tokens.end(), t) != tokens.end();
}

} // namespace

BOOST_AUTO_TEST_SUITE(conninfo)

// ------------------------------------------------------------------ parsing

BOOST_AUTO_TEST_CASE(urls_parse_as_libpq_reads_them) {
    expect_params("postgresql://app:p%40ss@db.local:5432/prod?sslmode=require&application_name=a%20b",
                  {"user=app", "password=p@ss", "host=db.local", "port=5432", "dbname=prod", "sslmode=require",
                   "application_name=a b"});
    expect_params("postgres://h1:1,h2,[::1]:3/db", {"host=h1", "port=1", "host=h2", "host=::1", "port=3", "dbname=db"});
    expect_params("postgresql://", {"host="});
    expect_params("postgresql:///db?host=/tmp", {"host=", "dbname=db", "host=/tmp"});
    expect_params("postgresql://u@h", {"user=u", "host=h"});
    expect_params("postgresql://u:@h", {"user=u", "password=", "host=h"});
    // libpq ends the user information at the first '@' before the first '/':
    // an unencoded '@' in the password moves the rest into the host.
    expect_params("postgresql://u:a@b@h/db", {"user=u", "password=a", "host=b@h", "dbname=db"});
    expect_params("postgresql://u:p?w@h/db", {"user=u", "password=p?w", "host=h", "dbname=db"});
    BOOST_TEST(parse_conninfo("postgresql://h/db?x=1").query == std::string("postgresql://h/db").size());
    BOOST_TEST(parse_conninfo("postgresql://h/db").query == std::string::npos);
}

BOOST_AUTO_TEST_CASE(url_syntax_errors) {
    for (const std::string bad : {"postgresql://app:p@ss:/%w0rd@host/db", "postgresql://h/db?sslmode",
                                  "postgresql://h/db?a=b=c", "postgresql://[::1/db", "postgresql://[::1]x/db",
                                  "postgresql://h/%00", "postgresql://u:p%zz@h/db"}) {
        BOOST_TEST_INFO(bad);
        const parsed_conninfo c = parse_conninfo(bad);
        BOOST_TEST(c.url);
        BOOST_TEST(!c.error.empty());
        BOOST_TEST(c.parsed_to < bad.size());
    }
}

BOOST_AUTO_TEST_CASE(key_value_strings_parse_as_libpq_reads_them) {
    expect_params("host=h user=u password=secret dbname=d", {"host=h", "user=u", "password=secret", "dbname=d"});
    expect_params("  host = h\tpassword = 'it\\'s a secret' dbname=''", {"host=h", "password=it's a secret", "dbname="});
    expect_params("password=a\\ b options='-c x=1'", {"password=a b", "options=-c x=1"});
    expect_params("", {});
    const parsed_conninfo c = parse_conninfo("host=h password=secret");
    BOOST_TEST(!c.url);
    BOOST_TEST(c.has("password"));
    BOOST_TEST(!c.has("port"));
    BOOST_TEST(c.params[1].raw.offset == std::string("host=h password=").size());
}

BOOST_AUTO_TEST_CASE(key_value_syntax_errors) {
    parsed_conninfo c = parse_conninfo("host=h garbage password=x");
    BOOST_TEST(!c.error.empty());
    BOOST_TEST(c.parsed_to == 7u); // where "garbage" starts
    BOOST_TEST(params(c) == std::vector<std::string>{"host=h"}, boost::test_tools::per_element());
    c = parse_conninfo("host=h password='unterminated");
    BOOST_TEST(!c.error.empty());
    BOOST_TEST(c.parsed_to == 7u);
}

BOOST_AUTO_TEST_CASE(has_looks_at_keys_not_text) {
    BOOST_TEST(parse_conninfo("postgresql://h/db?connect_timeout=3").has("connect_timeout"));
    BOOST_TEST(parse_conninfo("host=h connect_timeout = 3").has("connect_timeout"));
    // Inside a quoted value it is text, not a parameter.
    BOOST_TEST(!parse_conninfo("application_name='x connect_timeout=5'").has("connect_timeout"));
    BOOST_TEST(!parse_conninfo("host=h my_connect_timeout=3").has("connect_timeout"));
}

BOOST_AUTO_TEST_CASE(adding_parameters) {
    BOOST_TEST(add_param("postgresql://h/db", "connect_timeout", "10") == "postgresql://h/db?connect_timeout=10");
    BOOST_TEST(add_param("postgresql://h/db?sslmode=disable", "options", "-c a=b") ==
               "postgresql://h/db?sslmode=disable&options=-c%20a%3Db");
    BOOST_TEST(add_param("postgresql://h/db?", "x", "1") == "postgresql://h/db?x=1");
    // A '?' in the password is not the query.
    BOOST_TEST(add_param("postgresql://u:p?w@h/db", "x", "1") == "postgresql://u:p?w@h/db?x=1");
    BOOST_TEST(add_param("host=h", "application_name", "it's \\ me") == "host=h application_name='it\\'s \\\\ me'");
    BOOST_TEST(add_param("", "host", "h") == "host='h'");
    // Round trip: what was added parses back.
    const parsed_conninfo c = parse_conninfo(add_param(add_param("postgresql://h/db", "a", "x&y=z"), "b", "é"));
    BOOST_TEST(params(c) == (std::vector<std::string>{"host=h", "dbname=db", "a=x&y=z", "b=é"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(setting_parameters) {
    // A URL's database is its path: replaced, or added where the path begins.
    BOOST_TEST(set_param("postgresql://u:p@h:5432/postgres", "dbname", "t_1") == "postgresql://u:p@h:5432/t_1");
    BOOST_TEST(set_param("postgresql://h/postgres?sslmode=disable", "dbname", "t") == "postgresql://h/t?sslmode=disable");
    BOOST_TEST(set_param("postgresql://h", "dbname", "t") == "postgresql://h/t");
    BOOST_TEST(set_param("postgresql://h/", "dbname", "t") == "postgresql://h/t");
    BOOST_TEST(set_param("postgresql://h?sslmode=disable", "dbname", "t") == "postgresql://h/t?sslmode=disable");
    BOOST_TEST(set_param("postgres://h1:5432,h2:5433/db", "dbname", "a b") == "postgres://h1:5432,h2:5433/a%20b");
    // Every place that sets it changes: the path and a dbname= query parameter.
    BOOST_TEST(set_param("postgresql://h/x?dbname=y&application_name=a", "dbname", "z") ==
               "postgresql://h/z?dbname=z&application_name=a");
    // A password holding '/' or '?' is not the path.
    BOOST_TEST(set_param("postgresql://u:p%2Fw@h/db", "dbname", "t") == "postgresql://u:p%2Fw@h/t");
    BOOST_TEST(set_param("postgresql://h/db", "sslmode", "disable") == "postgresql://h/db?sslmode=disable");
    // key=value: the value replaced in place, quoted; appended when absent.
    BOOST_TEST(set_param("host=h dbname=postgres user=u", "dbname", "t") == "host=h dbname='t' user=u");
    BOOST_TEST(set_param("host=h dbname = 'a b' dbname=c", "dbname", "t") == "host=h dbname = 't' dbname='t'");
    BOOST_TEST(set_param("host=h", "dbname", "it's") == "host=h dbname='it\\'s'");
    // What was set parses back.
    for (const std::string& s : {std::string("postgresql://u:p@h/db?x=1"), std::string("host=h password='p w'")}) {
        const parsed_conninfo c = parse_conninfo(set_param(s, "dbname", "n/é"));
        BOOST_TEST(c.error.empty());
        std::string db;
        for (const auto& p : c.params)
            if (p.key == "dbname") db = p.value;
        BOOST_TEST(db == "n/é");
    }
}

// ------------------------------------------------------------------ masking

BOOST_AUTO_TEST_CASE(urls) {
    BOOST_TEST(mask_password("postgresql://app:hunter2@db.local:5432/prod") == "postgresql://app:*****@db.local:5432/prod");
    BOOST_TEST(mask_password("postgres://app:p%40ss@127.0.0.1/x?sslmode=require") ==
               "postgres://app:*****@127.0.0.1/x?sslmode=require");
    BOOST_TEST(mask_password("postgresql://app@host/db") == "postgresql://app@host/db");
    BOOST_TEST(mask_password("postgresql://host/db?user=a&password=secret&sslmode=disable") ==
               "postgresql://host/db?user=a&password=*****&sslmode=disable");
    BOOST_TEST(mask_password("postgresql:///db?password=x") == "postgresql:///db?password=*****");
    BOOST_TEST(mask_password("postgresql://h/db?sslpassword=k&pass%77ord=x") ==
               "postgresql://h/db?sslpassword=*****&pass%77ord=*****");
    BOOST_TEST(mask_password("postgresql://u:pw@h1:5432,h2:5433/db") == "postgresql://u:*****@h1:5432,h2:5433/db");
    BOOST_TEST(mask_password("postgresql://u:@h/db") == "postgresql://u:*****@h/db");
    // An '@' in a query value is not the user information's end.
    BOOST_TEST(mask_password("postgresql://host:5432/db?user=me@corp") == "postgresql://host:5432/db?user=me@corp");
    BOOST_TEST(mask_password("postgresql://u:pw@h/db?application_name=a@b") ==
               "postgresql://u:*****@h/db?application_name=a@b");
}

BOOST_AUTO_TEST_CASE(passwords_with_at_colon_slash_percent_question_mark_and_spaces) {
    // Unencoded '@': the user information ends at the last '@', so nothing of the password shows.
    BOOST_TEST(mask_password("postgresql://app:p@ss:/%w0rd@host/db") == "postgresql://app:*****@host/db");
    BOOST_TEST(mask_password("postgresql://u:a@b@h/db") == "postgresql://u:*****@h/db");
    BOOST_TEST(mask_password("postgresql://u:a/b@host/db") == "postgresql://u:*****@host/db");
    BOOST_TEST(mask_password("postgresql://u:a/b?c@host/db?sslmode=disable") == "postgresql://u:*****@host/db?sslmode=disable");
    BOOST_TEST(mask_password("postgresql://u:p?w@h/db") == "postgresql://u:*****@h/db");
    BOOST_TEST(mask_password("postgresql://u:p%3Aw%2F%25%20x@h/db") == "postgresql://u:*****@h/db");
    BOOST_TEST(mask_password("postgresql://u@h/db?password=x@y") == "postgresql://u@h/db?password=*****");
    BOOST_TEST(mask_password("host=h password='p@ss: /%w0rd ?' dbname=d") == "host=h password=***** dbname=d");
    BOOST_TEST(mask_password("host=h password=p\\ w\\'d dbname=d") == "host=h password=***** dbname=d");
}

BOOST_AUTO_TEST_CASE(key_value) {
    BOOST_TEST(mask_password("host=h user=u password=secret dbname=d") == "host=h user=u password=***** dbname=d");
    BOOST_TEST(mask_password("host=h password = 'it\\'s a secret' dbname=d") == "host=h password = ***** dbname=d");
    BOOST_TEST(mask_password("password=abc") == "password=*****");
    BOOST_TEST(mask_password("password=") == "password=*****");
    BOOST_TEST(mask_password("host=h sslpassword=k") == "host=h sslpassword=*****");
    BOOST_TEST(mask_password("host=h dbname=d") == "host=h dbname=d");
    BOOST_TEST(mask_password("host=h mypassword=x") == "host=h mypassword=x"); // another key
    BOOST_TEST(mask_password("options='-c password=x' host=h") == "options='-c password=x' host=h"); // a value
    BOOST_TEST(mask_password("") == "");
}

BOOST_AUTO_TEST_CASE(unparsable_strings_show_nothing_that_could_be_a_password) {
    BOOST_TEST(mask_password("host=h password='unterminated secret") == "host=h *****");
    BOOST_TEST(mask_password("host=h hunter2 password=hunter2") == "host=h *****");
    BOOST_TEST(mask_password("hunter2") == "*****");
    BOOST_TEST(mask_password("postgresql://u:pw@h/db?password") == "postgresql://u:*****@h/db?password");
}

// ------------------------------------------------------------------ scrubbing

BOOST_AUTO_TEST_CASE(tokens_in_every_form) {
    const auto tokens = secret_tokens("postgresql://u:p%40ss%22@h/db");
    BOOST_TEST(has_token(tokens, "p@ss\""));     // decoded
    BOOST_TEST(has_token(tokens, "p%40ss%22"));  // as written, and percent-encoded
    BOOST_TEST(has_token(tokens, "p@ss\\\""));   // JSON-escaped
    BOOST_TEST(std::is_sorted(tokens.begin(), tokens.end(),
                              [](const std::string& a, const std::string& b) { return a.size() > b.size(); }));
    BOOST_TEST(secret_tokens("host=h user=u").empty());
    BOOST_TEST(secret_tokens("postgresql://u@h/db").empty());
    BOOST_TEST(has_token(secret_tokens("host=h password='a b'"), "a b"));
    BOOST_TEST(has_token(secret_tokens("host=h password='a b'"), "a%20b"));
}

BOOST_AUTO_TEST_CASE(scrubbing_replaces_whole_tokens_only) {
    BOOST_TEST(scrub("failed for hunter2 and 'hunter2'", "postgresql://u:hunter2@h/db") == "failed for ***** and '*****'");
    BOOST_TEST(scrub("nothing here", "host=h") == "nothing here");
    // A short password is not masked inside ordinary words.
    const std::string pg = "postgresql://app:pg@127.0.0.1/pgmig";
    BOOST_TEST(scrub("pgmig: error: cannot connect to pgmig_test (password pg, pg_hba.conf)", pg) ==
               "pgmig: error: cannot connect to pgmig_test (password *****, pg_hba.conf)");
    BOOST_TEST(scrub("a b c", "password=b") == "a ***** c");
    BOOST_TEST(scrub("abc", "password=b") == "abc");
    // A token that begins or ends with punctuation needs no boundary there.
    BOOST_TEST(scrub("x%w0rd!", std::vector<std::string>{"%w0rd"}) == "x*****!");
    BOOST_TEST(scrub("x%w0rdy", std::vector<std::string>{"%w0rd"}) == "x%w0rdy");
    BOOST_TEST(scrub("s3cr3t-W0rd-xyz!", "password=s3cr3t-W0rd-xyz") == "*****!");
    // Passwords with spaces, quotes and backslashes, in JSON output.
    BOOST_TEST(scrub(R"({"target": "a \"b\\c"})", "password='a \"b\\\\c'") == R"({"target": "*****"})");
}

BOOST_AUTO_TEST_CASE(what_libpq_quotes_from_a_doubtful_url_is_scrubbed) {
    // libpq reads "%w0rd@host/db" as the database and fails on its percent-encoding,
    // quoting it: the part of the password in it must not show.
    const std::string url = "postgresql://app:p@ss:/%w0rd@host/db";
    BOOST_TEST(scrub("invalid percent-encoded token: \"%w0rd@host/db\"", url) == "invalid percent-encoded token: \"*****\"");
    // libpq takes "b@127.0.0.1" for the host.
    BOOST_TEST(scrub("could not translate host name \"b@127.0.0.1\" to address", "postgresql://u:a@b@127.0.0.1:1/db") ==
               "could not translate host name \"*****\" to address");
    // libpq takes "c@host/db?sslmode" for a parameter name.
    BOOST_TEST(scrub("invalid URI query parameter: \"c@host/db?sslmode\"", "postgresql://u:a/b?c@host/db?sslmode=x") ==
               "invalid URI query parameter: \"*****\"");
    // The rest of an unparsable key=value string, word by word.
    BOOST_TEST(scrub("missing \"=\" after \"hunter2\" in connection info string", "host=h hunter2 password=x") ==
               "missing \"=\" after \"*****\" in connection info string");
}

BOOST_AUTO_TEST_SUITE_END()
