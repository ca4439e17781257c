// Unit tests: lint with the live database in view (src/lint/live_risk): findings a
// table not in the database yet makes harmless, and what makes `up` ask.
#include <pgmig/lint.hpp>

#include "lint/live_risk.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <map>
#include <string>

namespace {

using pgmig::lint_finding;
using pgmig::migration_lint;
using pgmig::risk;
namespace ld = pgmig::lint_detail;

lint_finding finding(const std::string& rule, const std::string& relation, bool down = false, bool suppressed = false) {
    lint_finding f;
    f.rule_id = rule;
    f.level = pgmig::find_lint_rule(rule)->level;
    f.relation = relation;
    f.message = rule + " on " + relation;
    f.down = down;
    f.suppressed = suppressed;
    return f;
}

int level(risk r) { return static_cast<int>(r); }

} // namespace

BOOST_AUTO_TEST_SUITE(lint_live_risk)

BOOST_AUTO_TEST_CASE(findings_on_a_table_not_in_the_database_yet_drop_to_low) {
    ld::table_size_map sizes;
    sizes["fresh"] = ld::table_size{};      // created by a pending migration
    sizes["orders"].exists = true;          // a live table
    sizes["orders"].rows = 50000;

    std::map<std::int64_t, migration_lint> lints;
    migration_lint& l = lints[1];
    l.findings = {finding("set-not-null", "fresh"), finding("set-not-null", "orders"),
                  finding("add-foreign-key-without-not-valid", "fresh"), finding("set-not-null", "unknown")};
    l.level = risk::high;
    migration_lint& m = lints[2];
    m.findings = {finding("create-index-without-concurrently", "fresh"),
                  finding("create-index-without-concurrently", "fresh", true)};
    m.level = risk::high;

    ld::lower_risk_of_new_tables(lints, sizes);

    const std::vector<lint_finding>& f = lints[1].findings;
    BOOST_TEST(level(f[0].level) == level(risk::low));
    BOOST_TEST(f[0].message == "set-not-null on fresh (was high; fresh is not in the database yet, so this blocks no one)");
    BOOST_TEST(level(f[1].level) == level(risk::high));                // the table exists
    BOOST_TEST(f[1].message == "set-not-null on orders");
    BOOST_TEST(level(f[2].level) == level(risk::high));                // locks the referenced table too
    BOOST_TEST(level(f[3].level) == level(risk::high));                // size not known
    BOOST_TEST(level(lints[1].level) == level(risk::high));
    // Down findings do not run in `up`: untouched, and not counted in the level.
    BOOST_TEST(level(lints[2].findings[0].level) == level(risk::low));
    BOOST_TEST(level(lints[2].findings[1].level) == level(risk::high));
    BOOST_TEST(level(lints[2].level) == level(risk::low));
}

BOOST_AUTO_TEST_CASE(a_suppressed_finding_does_not_count_and_low_stays_low) {
    std::map<std::int64_t, migration_lint> lints;
    lints[1].findings = {finding("drop-column", "orders", false, true), finding("prefer-timestamptz", "fresh")};
    ld::table_size_map sizes;
    sizes["orders"].exists = true;
    sizes["fresh"] = ld::table_size{};
    ld::lower_risk_of_new_tables(lints, sizes);
    BOOST_TEST(lints[1].findings[1].message == "prefer-timestamptz on fresh");
    BOOST_TEST(level(lints[1].level) == level(risk::low));
}

BOOST_AUTO_TEST_CASE(size_of_a_finding) {
    ld::table_size_map sizes;
    sizes["app.orders"].exists = true;
    sizes["app.orders"].bytes = 8192;
    BOOST_TEST(ld::size_of(finding("set-not-null", "app.orders"), sizes) == &sizes["app.orders"]);
    BOOST_TEST(ld::size_of(finding("set-not-null", "orders"), sizes) == nullptr);
    BOOST_TEST(ld::size_of(finding("drop-schema", ""), sizes) == nullptr);
}

BOOST_AUTO_TEST_CASE(what_makes_up_ask) {
    // High or critical, or data loss at any level; unsuppressed up findings only.
    BOOST_TEST(ld::up_needs_confirmation(finding("set-not-null", "t")));
    BOOST_TEST(!ld::up_needs_confirmation(finding("drop-index-without-concurrently", "t"))); // medium
    BOOST_TEST(!ld::up_needs_confirmation(finding("set-not-null", "t", true)));
    BOOST_TEST(!ld::up_needs_confirmation(finding("drop-table", "t", false, true)));
    lint_finding lowered = finding("drop-column", "t");
    lowered.level = risk::low;
    BOOST_TEST(ld::destroys_data(lowered));
    BOOST_TEST(ld::up_needs_confirmation(lowered));
    lowered = finding("update-without-where", "t");
    lowered.level = risk::low;
    BOOST_TEST(!ld::destroys_data(lowered)); // rows are rewritten, not lost
    BOOST_TEST(!ld::up_needs_confirmation(lowered));
    BOOST_TEST(ld::destroys_data(finding("delete-without-where", "t")));
    BOOST_TEST(!ld::destroys_data(finding("delete-without-where", "t", true)));
}

BOOST_AUTO_TEST_SUITE_END()
