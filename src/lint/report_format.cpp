// pgmig — lint results in the formats CI systems read.
#include "lint/report_format.hpp"

#include <pgmig/migration.hpp>
#include <pgmig/version.hpp>

#include <cstddef>
#include <map>
#include <string>

namespace pgmig::detail::lint {
namespace {

// The docs page of the rules, for links from SARIF consumers.
constexpr const char* rules_page = "docs/lint-rules.md";

std::string mapped(const path_mapper& path, const std::string& file) { return path ? path(file) : file; }

// GitHub Actions workflow command escaping (data, and additionally property values).
std::string github_escape(const std::string& s, bool property) {
    std::string out;
    for (const char c : s) {
        if (c == '%') out += "%25";
        else if (c == '\r') out += "%0D";
        else if (c == '\n') out += "%0A";
        else if (property && c == ':') out += "%3A";
        else if (property && c == ',') out += "%2C";
        else out += c;
    }
    return out;
}

std::string message_with_alternative(const lint_finding& f) {
    return f.safe_alternative.empty() ? f.message : f.message + "\nInstead: " + f.safe_alternative;
}

const char* gitlab_severity(risk level) noexcept {
    switch (level) {
    case risk::critical: return "blocker";
    case risk::high: return "critical";
    case risk::medium: return "major";
    case risk::low: return "minor";
    case risk::none: return "info";
    }
    return "info";
}

// GitLab's categories (Code Climate spec) for a rule's category.
const char* gitlab_category(rule_category c) noexcept {
    switch (c) {
    case rule_category::data_loss: return "Bug Risk";
    case rule_category::lock: return "Performance";
    case rule_category::rewrite: return "Performance";
    case rule_category::compatibility: return "Compatibility";
    case rule_category::failure: return "Bug Risk";
    case rule_category::transaction: return "Bug Risk";
    case rule_category::design: return "Style";
    case rule_category::reversibility: return "Clarity";
    case rule_category::lint: return "Clarity";
    }
    return "Clarity";
}

int positive(int n) { return n > 0 ? n : 1; }

} // namespace

const char* sarif_level(risk level) noexcept {
    switch (level) {
    case risk::critical:
    case risk::high: return "error";
    case risk::medium: return "warning";
    case risk::low:
    case risk::none: return "note";
    }
    return "note";
}

std::string github_annotations(const std::vector<migration_lint>& results, const path_mapper& path) {
    std::string out;
    for (const migration_lint& l : results)
        for (const lint_finding& f : l.findings) {
            if (f.suppressed || f.level < risk::low) continue;
            const char* kind = f.level >= risk::high ? "error" : f.level == risk::medium ? "warning" : "notice";
            const std::string file = mapped(path, f.file.empty() ? l.file : f.file);
            out += std::string("::") + kind + " file=" + github_escape(file, true) +
                   ",line=" + std::to_string(positive(f.line)) + ",col=" + std::to_string(positive(f.column)) +
                   ",title=" + github_escape("pgmig " + f.rule_id, true) + "::" +
                   github_escape(message_with_alternative(f), false) + "\n";
        }
    return out;
}

nlohmann::json sarif_log(const std::vector<migration_lint>& results, const path_mapper& path) {
    using nlohmann::json;
    json rules = json::array();
    std::map<std::string, std::size_t> index;
    for (const lint_rule& r : lint_rules()) {
        index[r.id] = rules.size();
        rules.push_back({{"id", r.id},
                         {"name", r.id},
                         {"shortDescription", {{"text", r.summary}}},
                         {"fullDescription", {{"text", r.summary}}},
                         {"help", {{"text", "Instead: " + r.safe_alternative},
                                   {"markdown", "**Instead:** " + r.safe_alternative + "\n\nSee `" +
                                                    std::string(rules_page) + "#" + r.docs_anchor + "`."}}},
                         {"defaultConfiguration", {{"level", sarif_level(r.level)}, {"enabled", r.enabled_by_default}}},
                         {"properties",
                          {{"category", to_string(r.category)},
                           {"pgmig-level", to_string(r.level)},
                           {"tags", json::array({"migration", to_string(r.category)})}}}});
    }
    json out_results = json::array();
    for (const migration_lint& l : results)
        for (const lint_finding& f : l.findings) {
            const std::string file = mapped(path, f.file.empty() ? l.file : f.file);
            json result = {
                {"ruleId", f.rule_id},
                {"level", sarif_level(f.level)},
                {"message", {{"text", message_with_alternative(f)}}},
                {"locations",
                 json::array({{{"physicalLocation",
                                 {{"artifactLocation", {{"uri", file}}},
                                  {"region", {{"startLine", positive(f.line)}, {"startColumn", positive(f.column)},
                                              {"snippet", {{"text", f.statement}}}}}}}}})},
                {"properties",
                 {{"pgmig-level", to_string(f.level)},
                  {"migration-version", f.version},
                  {"down", f.down},
                  {"statement-line", positive(f.statement_line)}}}};
            const auto i = index.find(f.rule_id);
            if (i != index.end()) result["ruleIndex"] = i->second;
            if (!f.relation.empty()) result["properties"]["relation"] = f.relation;
            if (f.suppressed)
                result["suppressions"] =
                    json::array({{{"kind", "inSource"}, {"justification", f.suppression_reason}}});
            out_results.push_back(std::move(result));
        }
    return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
            {"version", "2.1.0"},
            {"runs", json::array({{{"tool",
                                    {{"driver",
                                      {{"name", "pgmig"},
                                       {"semanticVersion", PGMIG_VERSION_STRING},
                                       {"version", PGMIG_VERSION_STRING},
                                       {"rules", rules}}}}},
                                   {"columnKind", "unicodeCodePoints"},
                                   {"results", out_results}}})}};
}

nlohmann::json gitlab_code_quality(const std::vector<migration_lint>& results, const path_mapper& path) {
    using nlohmann::json;
    json issues = json::array();
    std::map<std::string, int> seen; // identical findings get distinct fingerprints
    for (const migration_lint& l : results)
        for (const lint_finding& f : l.findings) {
            if (f.suppressed) continue;
            const std::string file = mapped(path, f.file.empty() ? l.file : f.file);
            std::string key = f.rule_id + '\n' + file + '\n' + f.statement + '\n' + f.message;
            const int repeat = seen[key]++;
            if (repeat > 0) key += '\n' + std::to_string(repeat);
            const std::string digest = checksum(key); // "sha256:<hex>"
            const lint_rule* r = find_lint_rule(f.rule_id);
            json issue = {{"type", "issue"},
                          {"check_name", "pgmig/" + f.rule_id},
                          {"description", f.message},
                          {"content", {{"body", "Instead: " + f.safe_alternative}}},
                          {"fingerprint", digest.substr(digest.find(':') + 1)},
                          {"severity", gitlab_severity(f.level)},
                          {"location", {{"path", file}, {"lines", {{"begin", positive(f.line)}}}}}};
            if (r != nullptr) issue["categories"] = json::array({gitlab_category(r->category)});
            issues.push_back(std::move(issue));
        }
    return issues;
}

} // namespace pgmig::detail::lint
