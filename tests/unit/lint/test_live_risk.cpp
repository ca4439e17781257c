// Unit tests: lint with the live database in view (src/lint/live_risk): findings the
// database makes harmless (the object is not in it yet, the table is tiny), and what
// makes `up` ask.
#include <pgmig/lint.hpp>

#include "lint/live_risk.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace {

using pgmig::lint_finding;
using pgmig::migration_lint;
using pgmig::risk;
namespace ld = pgmig::detail::lint;

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
                  finding("add-foreign-key-without-not-valid", "fresh"), finding("set-not-null", "unknown"),
                  finding("drop-table", "fresh"), finding("update-without-where", "fresh"),
                  finding("non-transactional-in-transaction", "fresh"), finding("foreign-key-without-index", "fresh")};
    l.level = risk::critical;
    migration_lint& m = lints[2];
    m.findings = {finding("create-index-without-concurrently", "fresh"),
                  finding("create-index-without-concurrently", "fresh", true)};
    m.level = risk::high;

    ld::adjust_to_live_database(lints, sizes, {1, 2});

    const std::vector<lint_finding>& f = lints[1].findings;
    BOOST_TEST(level(f[0].level) == level(risk::low));
    BOOST_TEST(f[0].not_in_database);
    BOOST_TEST(f[0].message == "set-not-null on fresh (was high; fresh is not in the database yet, so no row and no "
                               "running code is affected: this blocks no one and loses nothing)");
    BOOST_TEST(level(f[1].level) == level(risk::high));                // the table exists
    BOOST_TEST(!f[1].not_in_database);
    BOOST_TEST(f[1].message == "set-not-null on orders");
    BOOST_TEST(level(f[2].level) == level(risk::low));                 // nothing to validate yet
    BOOST_TEST(level(f[3].level) == level(risk::high));                // size not known
    // Data loss and full-table UPDATEs on a table that holds no rows yet: nothing is lost.
    BOOST_TEST(level(f[4].level) == level(risk::low));
    BOOST_TEST(!ld::destroys_data(f[4]));
    BOOST_TEST(!ld::up_needs_confirmation(f[4]));
    BOOST_TEST(level(f[5].level) == level(risk::low));
    // The migration fails whatever the database holds; design advice is about the table's future.
    BOOST_TEST(level(f[6].level) == level(risk::critical));
    BOOST_TEST(level(f[7].level) == level(risk::medium));
    BOOST_TEST(level(lints[1].level) == level(risk::critical));
    // Down findings do not run in `up`: untouched, and not counted in the level.
    BOOST_TEST(level(lints[2].findings[0].level) == level(risk::low));
    BOOST_TEST(level(lints[2].findings[1].level) == level(risk::high));
    BOOST_TEST(level(lints[2].level) == level(risk::low));
}

BOOST_AUTO_TEST_CASE(objects_without_a_table_size_are_new_when_a_pending_migration_creates_them) {
    std::map<std::int64_t, migration_lint> lints;
    lint_finding schema = finding("drop-schema", "");
    schema.created_by = 3;
    lint_finding domain = finding("ban-alter-domain-with-add-constraint", "");
    domain.created_by = 1; // applied long ago
    lints[5].findings = {schema, domain};
    ld::adjust_to_live_database(lints, {}, {3, 5});
    BOOST_TEST(level(lints[5].findings[0].level) == level(risk::low));
    BOOST_TEST(lints[5].findings[0].message.find("migration 3 of this run creates it") != std::string::npos,
               lints[5].findings[0].message);
    BOOST_TEST(!ld::destroys_data(lints[5].findings[0]));
    BOOST_TEST(level(lints[5].findings[1].level) == level(risk::high));
    BOOST_TEST(level(lints[5].level) == level(risk::high));
}

BOOST_AUTO_TEST_CASE(only_the_pending_migrations_are_adjusted) {
    std::map<std::int64_t, migration_lint> lints;
    lints[1].findings = {finding("set-not-null", "fresh")};
    lints[1].level = risk::high;
    ld::table_size_map sizes;
    sizes["fresh"] = ld::table_size{};
    ld::adjust_to_live_database(lints, sizes, {2});
    BOOST_TEST(level(lints[1].findings[0].level) == level(risk::high));
    BOOST_TEST(level(lints[1].level) == level(risk::high));
}

BOOST_AUTO_TEST_CASE(update_and_delete_of_every_row_of_a_tiny_table) {
    ld::table_size_map sizes;
    sizes["settings"].exists = true;
    sizes["settings"].rows = 1;
    sizes["settings"].bytes = 16384;
    sizes["events"].exists = true;
    sizes["events"].rows = 2000000;
    sizes["never_analyzed"].exists = true;
    std::map<std::int64_t, migration_lint> lints;
    lints[1].findings = {finding("update-without-where", "settings"), finding("delete-without-where", "settings"),
                         finding("update-without-where", "events"), finding("update-without-where", "never_analyzed")};
    ld::adjust_to_live_database(lints, sizes, {1});
    const std::vector<lint_finding>& f = lints[1].findings;
    BOOST_TEST(level(f[0].level) == level(risk::low));
    BOOST_TEST(f[0].message == "update-without-where on settings (was high; settings holds an estimated 1 row, so the "
                               "rewrite takes no time and locks little)");
    BOOST_TEST(level(f[1].level) == level(risk::medium));
    BOOST_TEST(ld::destroys_data(f[1])); // the rows are still gone: up still asks
    BOOST_TEST(ld::up_needs_confirmation(f[1]));
    BOOST_TEST(level(f[2].level) == level(risk::high));
    BOOST_TEST(level(f[3].level) == level(risk::high)); // no estimate: not known to be tiny
    BOOST_TEST(level(lints[1].level) == level(risk::high));
}

BOOST_AUTO_TEST_CASE(a_suppressed_finding_does_not_count_and_low_stays_low) {
    std::map<std::int64_t, migration_lint> lints;
    lints[1].findings = {finding("drop-column", "orders", false, true), finding("prefer-timestamptz", "fresh")};
    ld::table_size_map sizes;
    sizes["orders"].exists = true;
    sizes["fresh"] = ld::table_size{};
    ld::adjust_to_live_database(lints, sizes, {1});
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
    lowered.not_in_database = true;
    BOOST_TEST(!ld::destroys_data(lowered));
    BOOST_TEST(!ld::up_needs_confirmation(lowered));
    lowered = finding("update-without-where", "t");
    lowered.level = risk::low;
    BOOST_TEST(!ld::destroys_data(lowered)); // rows are rewritten, not lost
    BOOST_TEST(!ld::up_needs_confirmation(lowered));
    BOOST_TEST(ld::destroys_data(finding("delete-without-where", "t")));
    BOOST_TEST(!ld::destroys_data(finding("delete-without-where", "t", true)));
}

BOOST_AUTO_TEST_SUITE_END()
