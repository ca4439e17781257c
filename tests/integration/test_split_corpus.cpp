// The splitter against the real server: every statement split from the corpus
// of tricky SQL (quotes, dollar quotes, nested comments, BEGIN ATOMIC bodies,
// DO blocks, rules) executes on its own, in order.
#include "support/server.hpp"

#include "core/sql_split.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

using namespace pgmig_test;

BOOST_AUTO_TEST_SUITE(split_corpus)

BOOST_AUTO_TEST_CASE(every_split_statement_executes) {
    std::ifstream in(std::string(PGMIG_SOURCE_DIR) + "/tests/data/split_corpus.sql", std::ios::binary);
    BOOST_REQUIRE(in);
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string sql = buf.str();
    const auto stmts = pgmig::detail::core::split_sql(sql);
    BOOST_TEST(stmts.size() > 20u);
    scratch_database db("split");
    auto conn = db.connect();
    for (const auto& st : stmts) {
        BOOST_TEST_CONTEXT("statement at line " << st.line << ": " << st.text.substr(0, 80)) {
            // One statement per round trip: the server would reject a fragment or a merged pair.
            BOOST_CHECK_NO_THROW(conn->exec(st.text));
        }
    }
    // The lexer alone (used for syntax newer than libpg_query's) splits it identically.
    BOOST_TEST((pgmig::detail::core::split_sql_lexer(sql) == stmts));
}

BOOST_AUTO_TEST_SUITE_END()
