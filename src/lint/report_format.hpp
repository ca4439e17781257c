// pgmig — lint results in the formats CI systems read: GitHub Actions workflow
// annotations, SARIF 2.1.0 (GitHub code scanning and other SARIF consumers) and
// the GitLab Code Quality report. Pure functions of the results; the CLI only
// chooses one and prints it. Private header: nlohmann_json is a private
// dependency of the library.
#pragma once

#include <pgmig/lint.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace pgmig::detail::lint {

/// A finding's file as the CI system finds it (e.g. relative to the repository
/// root: "db/migrations/000001_users.up.sql"). Identity when not given.
using path_mapper = std::function<std::string(const std::string& file)>;

/// One GitHub Actions workflow command per unsuppressed finding:
/// `::error file=…,line=…,col=…,title=pgmig <rule>::<message>\nInstead: …` (critical
/// and high: error, medium: warning, low: notice), escaped as the runner expects.
std::string github_annotations(const std::vector<migration_lint>& results, const path_mapper& path);

/// A SARIF 2.1.0 log with one run: the tool (pgmig, its version, every rule of the
/// catalogue with its summary, safe alternative, default level and category) and
/// one result per finding (suppressed ones carry an in-source suppression with its
/// justification). Regions are startLine/startColumn, columns in Unicode code
/// points (run.columnKind).
nlohmann::json sarif_log(const std::vector<migration_lint>& results, const path_mapper& path);

/// The GitLab Code Quality report: an array of issues (description, check_name,
/// fingerprint, severity, location.path, location.lines.begin, categories), one per
/// unsuppressed finding. Severities: critical → blocker, high → critical, medium →
/// major, low → minor. The fingerprint (SHA-256 of the rule, the file, the statement
/// and the message, plus a counter for repeats) stays the same when lines shift, so
/// GitLab can tell new issues from old ones.
nlohmann::json gitlab_code_quality(const std::vector<migration_lint>& results, const path_mapper& path);

/// The SARIF level of a finding's level: "error", "warning" or "note".
const char* sarif_level(risk level) noexcept;

} // namespace pgmig::detail::lint
