// Unit tests: the lint rule table (src/lint/rules.def) — its properties, the
// compile-time names the code uses, and docs/lint-rules.md listing exactly its rules.
#include <pgmig/lint.hpp>

#include "lint/rules.hpp"

#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

using pgmig::lint_rule;
using pgmig::risk;
using pgmig::rule_category;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

// The text between `open` and the next `close` after it ("" when absent).
std::string between(const std::string& s, const std::string& open, const std::string& close) {
    const std::size_t a = s.find(open);
    if (a == std::string::npos) return {};
    const std::size_t b = s.find(close, a + open.size());
    return b == std::string::npos ? std::string() : s.substr(a + open.size(), b - a - open.size());
}

// The leading [a-z-] word: "high (critical with CASCADE)" → "high".
std::string first_word(const std::string& s) {
    std::size_t i = 0;
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t j = i;
    while (j < s.size() && ((s[j] >= 'a' && s[j] <= 'z') || s[j] == '-')) ++j;
    return s.substr(i, j - i);
}

// The cells of a Markdown table row "| a | b |".
std::vector<std::string> cells(const std::string& row) {
    std::vector<std::string> out;
    std::size_t pos = row.find('|');
    while (pos != std::string::npos) {
        const std::size_t next = row.find('|', pos + 1);
        if (next == std::string::npos) break;
        std::string cell = row.substr(pos + 1, next - pos - 1);
        while (!cell.empty() && cell.front() == ' ') cell.erase(0, 1);
        while (!cell.empty() && cell.back() == ' ') cell.pop_back();
        out.push_back(cell);
        pos = next;
    }
    return out;
}

struct documented_rule {
    std::string id, anchor, level, category, on_new_table, opt_in;
};

struct rules_doc {
    std::vector<documented_rule> table;        ///< rows of the table under "## Rules"
    std::vector<std::string> sections;         ///< ids of the "### `id`" sections, in order
    std::vector<std::string> section_levels;   ///< first word after "* **Level:**" of each section
};

rules_doc read_rules_doc() {
    const std::string text = read_file(std::string(PGMIG_SOURCE_DIR) + "/docs/lint-rules.md");
    BOOST_REQUIRE(!text.empty());
    rules_doc doc;
    bool in_rules = false;
    for (const std::string& line : lines_of(text)) {
        if (starts_with(line, "## ")) in_rules = line == "## Rules";
        if (!in_rules) continue;
        if (starts_with(line, "| [`")) {
            const std::vector<std::string> c = cells(line);
            BOOST_REQUIRE_EQUAL(c.size(), 5u);
            doc.table.push_back(
                {between(c[0], "[`", "`]"), between(c[0], "](#", ")"), first_word(c[1]), c[2], c[3], c[4]});
        } else if (starts_with(line, "### `")) {
            doc.sections.push_back(between(line, "### `", "`"));
            doc.section_levels.emplace_back();
        } else if (starts_with(line, "* **Level:**") && !doc.section_levels.empty()) {
            BOOST_TEST(doc.section_levels.back().empty(), "two level lines in section " << doc.sections.back());
            doc.section_levels.back() = first_word(line.substr(std::string("* **Level:**").size()));
        }
    }
    return doc;
}

} // namespace

BOOST_AUTO_TEST_SUITE(lint_rule_table)

BOOST_AUTO_TEST_CASE(docs_list_exactly_the_rules_of_the_table_in_its_order) {
    const rules_doc doc = read_rules_doc();
    const std::vector<lint_rule>& rules = pgmig::lint_rules();
    BOOST_TEST(doc.table.size() == rules.size());
    BOOST_TEST(doc.sections.size() == rules.size());
    for (std::size_t i = 0; i < rules.size() && i < doc.table.size() && i < doc.sections.size(); ++i) {
        const lint_rule& r = rules[i];
        const documented_rule& d = doc.table[i];
        BOOST_TEST_CONTEXT("rule " << r.id << ", row " << i + 1 << " of the docs table") {
            BOOST_TEST(d.id == r.id);
            BOOST_TEST(d.anchor == r.docs_anchor);
            BOOST_TEST(d.level == pgmig::to_string(r.level));
            BOOST_TEST(d.category == pgmig::to_string(r.category));
            BOOST_TEST(d.on_new_table == (r.harmless_on_new_table ? "low" : ""));
            BOOST_TEST(d.opt_in == (r.enabled_by_default ? "" : "yes"));
            BOOST_TEST(doc.sections[i] == r.id);
            BOOST_TEST(doc.section_levels[i] == pgmig::to_string(r.level));
        }
    }
    // Nothing documented that the table lacks (also when the counts differ).
    for (const documented_rule& d : doc.table) BOOST_TEST(pgmig::find_lint_rule(d.id) != nullptr, d.id);
    for (const std::string& id : doc.sections) BOOST_TEST(pgmig::find_lint_rule(id) != nullptr, id);
}

BOOST_AUTO_TEST_CASE(code_names_and_catalogue_entries_agree) {
    namespace ld = pgmig::detail::lint;
    BOOST_TEST(ld::rule_count == pgmig::lint_rules().size());
    for (std::size_t i = 0; i < ld::rule_count; ++i) {
        const auto r = static_cast<ld::rule>(i);
        const lint_rule& def = ld::definition(r);
        BOOST_TEST(&def == &pgmig::lint_rules()[i]);
        BOOST_TEST(def.id == ld::id_of(r));
        BOOST_TEST((ld::rule_named(def.id) == r));
    }
    static_assert(ld::id_of(ld::rule::drop_column) == "drop-column");
    static_assert(ld::id_of(ld::rule::non_transactional_in_transaction) == "non-transactional-in-transaction");
    BOOST_TEST(!ld::rule_named("Drop-Column"));
    BOOST_TEST(!ld::rule_named("no-such-rule"));
}

BOOST_AUTO_TEST_CASE(data_loss_and_new_table_properties) {
    std::set<std::string> loses_data, harmless;
    for (const lint_rule& r : pgmig::lint_rules()) {
        if (r.loses_data()) loses_data.insert(r.id);
        if (r.harmless_on_new_table) harmless.insert(r.id);
    }
    // An `up` running one of these asks for confirmation whatever the level.
    BOOST_TEST(loses_data == (std::set<std::string>{"drop-table", "drop-column", "drop-schema", "drop-database",
                                                      "truncate", "delete-without-where"}),
               boost::test_tools::per_element());
    // The harm needs rows or running code: none before the object exists. Exactly the
    // rules of these categories, except drop-database (a database is not created by a
    // pending migration of the set), invalid-migration (a broken file is broken on
    // any database) and empty-migration (nothing to apply is refused on any database).
    for (const lint_rule& r : pgmig::lint_rules()) {
        const bool needs_rows_or_code = r.category == rule_category::data_loss || r.category == rule_category::lock ||
                                        r.category == rule_category::rewrite ||
                                        r.category == rule_category::compatibility ||
                                        r.category == rule_category::failure;
        BOOST_TEST(r.harmless_on_new_table ==
                       (needs_rows_or_code && r.id != "drop-database" && r.id != "invalid-migration" &&
                        r.id != "empty-migration"),
                   r.id);
    }
    BOOST_TEST(harmless.count("drop-table") == 1u);
    BOOST_TEST(harmless.count("update-without-where") == 1u);
    BOOST_TEST(harmless.count("non-transactional-in-transaction") == 0u);
    BOOST_TEST(harmless.count("foreign-key-without-index") == 0u);
    // Opt-in rules.
    std::set<std::string> opt_in;
    for (const lint_rule& r : pgmig::lint_rules())
        if (!r.enabled_by_default) opt_in.insert(r.id);
    BOOST_TEST(opt_in == (std::set<std::string>{"require-table-schema"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(category_names_are_distinct) {
    std::set<std::string> names;
    for (const rule_category c :
         {rule_category::data_loss, rule_category::lock, rule_category::rewrite, rule_category::compatibility,
          rule_category::failure, rule_category::transaction, rule_category::design, rule_category::reversibility,
          rule_category::lint})
        BOOST_TEST(names.insert(pgmig::to_string(c)).second, pgmig::to_string(c));
    BOOST_TEST(std::string(pgmig::to_string(rule_category::data_loss)) == "data-loss");
    for (const lint_rule& r : pgmig::lint_rules()) BOOST_TEST(names.count(pgmig::to_string(r.category)) == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
