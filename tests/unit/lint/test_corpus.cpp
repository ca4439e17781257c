// Unit tests: the labelled lint corpus (tests/data/lint/corpus). Each file is a
// real-world-shaped migration (Rails, Django, Prisma, diesel, goose, Flyway, plain
// SQL) whose header says which rules it must trigger and which, though a naive
// linter would, it must not:
//
//   -- expect: rule-a, rule-b        (exhaustive: any other finding is a deviation)
//   -- expect-not: rule-c            (the near misses; documentation and a check)
//
// Files are linted on their own (as squawk lints files), without no-down-section.
// Any deviation fails; the test prints precision and recall over the corpus.
// scripts/lint-compare runs squawk on the same files with the same labels.
#include <pgmig/error.hpp>
#include <pgmig/lint.hpp>
#include <pgmig/migration.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct labelled_file {
    std::string name;    ///< corpus/<kind>/<file>
    std::string content;
    std::set<std::string> expect, expect_not;
};

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::set<std::string> rule_list(const std::string& text) {
    std::set<std::string> out;
    std::istringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t\r") + 1);
        if (!item.empty()) out.insert(item);
    }
    return out;
}

std::vector<labelled_file> corpus(const std::string& kind) {
    std::vector<labelled_file> out;
    const fs::path dir = fs::path(PGMIG_TEST_DATA_DIR) / "lint" / "corpus" / kind;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".sql") continue;
        labelled_file f;
        f.name = kind + "/" + entry.path().filename().string();
        f.content = read_file(entry.path());
        std::istringstream lines(f.content);
        bool labelled = false;
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("-- expect:", 0) == 0) {
                labelled = true;
                const std::set<std::string> ids = rule_list(line.substr(10));
                f.expect.insert(ids.begin(), ids.end());
            } else if (line.rfind("-- expect-not:", 0) == 0) {
                const std::set<std::string> ids = rule_list(line.substr(14));
                f.expect_not.insert(ids.begin(), ids.end());
            }
        }
        BOOST_TEST(labelled, f.name << " has no -- expect: line");
        out.push_back(std::move(f));
    }
    std::sort(out.begin(), out.end(), [](const labelled_file& a, const labelled_file& b) { return a.name < b.name; });
    return out;
}

// The file as a migration of its own (version 1), as the loader builds it; a
// file the loader refuses (a statement that cannot run in a transaction without
// the directive) is built by hand, as a host building `migration` values would.
pgmig::migration as_migration(const labelled_file& f) {
    const std::string file = "000001_" + fs::path(f.name).stem().string() + ".up.sql";
    try {
        const pgmig::migration_set set = pgmig::migration_set::from_files({{file, f.content}});
        return set.migrations().front();
    } catch (const pgmig::error&) {
        pgmig::migration m;
        m.version = 1;
        m.name = fs::path(f.name).stem().string();
        m.format = pgmig::migration_format::paired_files;
        m.file = file;
        m.up_sql = f.content;
        m.up_no_transaction = f.content.find("-- pgmig:no-transaction") != std::string::npos;
        m.checksum = pgmig::checksum(f.content);
        return m;
    }
}

std::string list(const std::set<std::string>& ids) {
    std::string out;
    for (const std::string& id : ids) out += (out.empty() ? "" : ", ") + id;
    return out.empty() ? "(none)" : out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(lint_corpus)

BOOST_AUTO_TEST_CASE(labelled_corpus_precision_and_recall) {
    const std::vector<labelled_file> risky = corpus("risky");
    const std::vector<labelled_file> safe = corpus("safe");
    BOOST_TEST(risky.size() >= 60u);
    BOOST_TEST(safe.size() >= 40u);

    pgmig::lint_options options;
    options.disabled_rules = {"no-down-section"}; // single files have no down section by construction
    std::size_t tp = 0, fp = 0, fn = 0, files = 0;
    std::set<std::string> rules_covered;
    for (const std::vector<labelled_file>* kind : {&risky, &safe}) {
        for (const labelled_file& f : *kind) {
            BOOST_TEST_CONTEXT("corpus file " << f.name) {
                ++files;
                BOOST_TEST(f.expect.empty() == (kind == &safe), "risky files expect a rule, safe ones none");
                for (const std::string& id : f.expect) BOOST_TEST(pgmig::find_lint_rule(id) != nullptr, id);
                for (const std::string& id : f.expect_not) {
                    BOOST_TEST(pgmig::find_lint_rule(id) != nullptr, id);
                    BOOST_TEST(f.expect.count(id) == 0u, id << " is both expected and not");
                }
                const pgmig::migration_lint r = pgmig::lint_migration(as_migration(f), options);
                std::set<std::string> got;
                std::string details;
                for (const pgmig::lint_finding& finding : r.findings) {
                    if (finding.suppressed) continue;
                    got.insert(finding.rule_id);
                    details += "\n  " + finding.rule_id + " at " + std::to_string(finding.line) + ":" +
                               std::to_string(finding.column) + ": " + finding.message;
                }
                for (const std::string& id : f.expect) (got.count(id) != 0 ? tp : fn) += 1;
                for (const std::string& id : got)
                    if (f.expect.count(id) == 0) ++fp;
                rules_covered.insert(f.expect.begin(), f.expect.end());
                BOOST_TEST(got == f.expect, "expected " << list(f.expect) << ", got " << list(got) << details);
            }
        }
    }
    const double precision = tp + fp == 0 ? 1.0 : static_cast<double>(tp) / static_cast<double>(tp + fp);
    const double recall = tp + fn == 0 ? 1.0 : static_cast<double>(tp) / static_cast<double>(tp + fn);
    std::ostringstream summary;
    summary << std::fixed << std::setprecision(3) << "lint corpus: " << files << " files (" << risky.size()
            << " risky, " << safe.size() << " safe), " << tp << " expected findings found, " << fp
            << " unexpected, " << fn << " missed: precision " << precision << ", recall " << recall << "; "
            << rules_covered.size() << " rules exercised";
    BOOST_TEST_MESSAGE(summary.str());
    BOOST_TEST(fp == 0u);
    BOOST_TEST(fn == 0u);
    // Every rule that a single file can show is exercised by the corpus.
    for (const pgmig::lint_rule& rule : pgmig::lint_rules())
        if (rule.id != "no-down-section" && rule.id != "require-table-schema" && rule.id != "invalid-migration")
            BOOST_TEST(rules_covered.count(rule.id) == 1u, "no corpus file expects " << rule.id);
}

BOOST_AUTO_TEST_SUITE_END()
