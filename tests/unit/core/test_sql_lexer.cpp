// Tests of the SQL lexer (src/core/sql_lexer.*) and the directive lines (src/core/directive.*).
#include "core/directive.hpp"
#include "core/sql_lexer.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace pgmig::detail::core;

namespace {

// "<kind>:<text>" of each token.
std::vector<std::string> tokens(std::string_view sql) {
    static const char* const names[] = {"word",   "qident", "string",  "dollar",      "number",
                                        "param", "punct",  "comment", "unterminated"};
    std::vector<std::string> out;
    sql_lexer lex(sql);
    token t;
    while (lex.next(t))
        out.push_back(std::string(names[static_cast<int>(t.kind)]) + ":" +
                      std::string(sql.substr(t.begin, t.end - t.begin)));
    return out;
}

void expect_tokens(std::string_view sql, const std::vector<std::string>& expected) {
    BOOST_TEST_INFO("sql: " << sql);
    BOOST_TEST(tokens(sql) == expected, boost::test_tools::per_element());
}

} // namespace

BOOST_AUTO_TEST_SUITE(sql_lexer_suite)

BOOST_AUTO_TEST_CASE(words_numbers_punctuation) {
    expect_tokens("SELECT a1, 2.5e3 FROM t;", {"word:SELECT", "word:a1", "punct:,", "number:2.5e3", "word:FROM",
                                                "word:t", "punct:;"});
    expect_tokens("a$$b$$ $1", {"word:a$$b$$", "param:$1"});
    expect_tokens("1$$x$$", {"number:1", "dollar:$$x$$"});
    expect_tokens("", {});
    expect_tokens(" \t\r\n ", {});
}

BOOST_AUTO_TEST_CASE(strings_and_identifiers) {
    expect_tokens("'it''s' \"a \"\"b\"\"\"", {"string:'it''s'", "qident:\"a \"\"b\"\"\""});
    expect_tokens("E'a\\'b' 'a\\' x", {"string:E'a\\'b'", "string:'a\\'", "word:x"});
    expect_tokens("U&'d\\0061t' U&\"x\" B'01' X'1F' N'n'",
                  {"string:U&'d\\0061t'", "qident:U&\"x\"", "string:B'01'", "string:X'1F'", "string:N'n'"});
    // Continued literals are one token, also across -- comments.
    expect_tokens("'a'\n'b' 'c'", {"string:'a'\n'b'", "string:'c'"});
    expect_tokens("E'a' -- c\n'\\'' x", {"string:E'a' -- c\n'\\''", "word:x"});
    // A word ending in e is not an E'' prefix.
    expect_tokens("xE'a\\' y'", {"word:xE", "string:'a\\'", "word:y", "string:'"});
}

BOOST_AUTO_TEST_CASE(dollar_quotes) {
    expect_tokens("$$a;'b$$ $tag$ $$ $tag$ $1x", {"dollar:$$a;'b$$", "dollar:$tag$ $$ $tag$", "param:$1", "word:x"});
    expect_tokens("$a", {"punct:$", "word:a"});
    expect_tokens("$x$ never closed", {"dollar:$x$ never closed"});
}

BOOST_AUTO_TEST_CASE(comments) {
    expect_tokens("a -- line\rb /* x /* nested */ still */ c",
                  {"word:a", "comment:-- line", "word:b", "comment:/* x /* nested */ still */", "word:c"});
    expect_tokens("a /* open /* */", {"word:a", "unterminated:/* open /* */"});
    expect_tokens("'-- no' \"/* no */\" $$-- no$$", {"string:'-- no'", "qident:\"/* no */\"", "dollar:$$-- no$$"});
    // A comment ends at the line end, which is not part of it.
    sql_lexer lex("-- x\ny");
    token t;
    BOOST_TEST_REQUIRE(lex.next(t));
    BOOST_TEST(t.is_comment());
    BOOST_TEST(t.end == 4u);
}

BOOST_AUTO_TEST_CASE(keywords) {
    BOOST_TEST(keyword_equals("concurrently", "CONCURRENTLY"));
    BOOST_TEST(keyword_equals("Begin", "BEGIN"));
    BOOST_TEST(!keyword_equals("BEGINS", "BEGIN"));
}

BOOST_AUTO_TEST_CASE(empty_sql) {
    BOOST_TEST(is_empty_sql(""));
    BOOST_TEST(is_empty_sql("  ;\n-- nothing\n/* at /* all */ */ ;"));
    BOOST_TEST(!is_empty_sql("-- x\nSELECT 1"));
    BOOST_TEST(!is_empty_sql("'--'"));
    BOOST_TEST(!is_empty_sql("- 1"));
}

BOOST_AUTO_TEST_CASE(directive_lines) {
    auto d = parse_directive("-- pgmig:lock-timeout 5s ");
    BOOST_TEST_REQUIRE(d.has_value());
    BOOST_TEST(d->name == "lock-timeout");
    BOOST_TEST(d->args == "5s");
    d = parse_directive("  --PGMIG : no-transaction");
    BOOST_TEST_REQUIRE(d.has_value());
    BOOST_TEST(d->name == "no-transaction");
    BOOST_TEST(d->args.empty());
    d = parse_directive("-- pgmig:");
    BOOST_TEST_REQUIRE(d.has_value());
    BOOST_TEST(d->name.empty());
    BOOST_TEST(!parse_directive("-- pgmigrate: x").has_value());
    BOOST_TEST(!parse_directive("SELECT 1; -- pgmig:no-transaction").has_value());
    BOOST_TEST(!parse_directive("--- pgmig:no-transaction").has_value());
    BOOST_TEST(!parse_directive("-- the pgmig: tool").has_value());
    BOOST_TEST((keyword_comment("-- Direction : up", "direction") == std::optional<std::string_view>(" up")));
    BOOST_TEST(!keyword_comment("-- directions: up", "direction").has_value());

    BOOST_TEST(has_no_transaction_directive("-- pgmig:no-transaction\nDROP INDEX CONCURRENTLY i;"));
    BOOST_TEST(has_no_transaction_directive("DROP INDEX i;\r\n  -- PGMIG: No-Transaction\r\n"));
    BOOST_TEST(!has_no_transaction_directive("DROP INDEX i; -- pgmig:no-transaction"));
    BOOST_TEST(!has_no_transaction_directive("-- pgmig:no-transactional\n"));
    BOOST_TEST(!has_no_transaction_directive(""));
    BOOST_TEST(directive_names() == (std::vector<std::string>{"no-transaction", "lock-timeout", "phase", "batch", "allow"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
