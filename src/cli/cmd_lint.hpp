// pgmig — `lint`: risky statements in the migrations (no database needed);
// exit 11 when an unsuppressed finding is at or above --fail-on.
#pragma once

#include <pgmig/lint.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pgmig::detail::cli {

struct command_env;

/// Exit code of `lint` when an unsuppressed finding is at or above --fail-on.
constexpr int lint_findings_exit_code = 11;

enum class lint_format { text, json, github, sarif, gitlab };

struct linted_migration {
    migration_lint lint;
    std::optional<bool> reversible; ///< none when the file did not load
};

struct lint_result {
    lint_format format = lint_format::text;
    std::optional<std::string> migrations_dir; ///< none for an embedded set
    /// Prepended to a file name where a person (or GitHub) looks for it: the
    /// migrations directory as given ("migrations/"), "" for an embedded set.
    std::string path_prefix;
    std::optional<risk> fail_on;               ///< none: --fail-on none (never fails)
    bool lint_down = false;
    bool pending_only = false;                 ///< --pending: the migrations the database has applied are left out
    std::vector<std::string> disabled_rules;
    std::vector<std::string> enabled_rules;    ///< opt-in rules run too (--enable)
    std::vector<linted_migration> migrations;
    risk highest = risk::none;
    std::map<risk, std::size_t> counts;        ///< unsuppressed findings by level
    std::size_t total = 0;                     ///< unsuppressed findings
    std::size_t suppressed = 0;
    std::size_t failing = 0;                   ///< at or above fail_on

    /// `file` where a person finds it (path_prefix + file).
    std::string path_of(const std::string& file) const;
    /// The lint results alone, in order (for lint's CI report formats).
    std::vector<migration_lint> lints() const;
};

int run_lint(command_env& env, std::optional<lint_result>& out);

} // namespace pgmig::detail::cli
