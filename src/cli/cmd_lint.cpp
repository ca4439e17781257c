// `lint` (see cmd_lint.hpp).
#include "cli/cmd_lint.hpp"
#include "cli/environment.hpp"
#include "lint/lint.hpp"

#include <algorithm>
#include <set>

namespace pgmig::detail::cli {

std::string lint_result::path_of(const std::string& file) const {
    return file.empty() ? file : path_prefix + file;
}

std::vector<migration_lint> lint_result::lints() const {
    std::vector<migration_lint> out;
    for (const linted_migration& m : migrations) out.push_back(m.lint);
    return out;
}

namespace {

lint_format format_of(const parsed_args& a) {
    if (a.json) return lint_format::json;
    if (a.format == "github") return lint_format::github;
    if (a.format == "sarif") return lint_format::sarif;
    if (a.format == "gitlab") return lint_format::gitlab;
    return lint_format::text;
}

} // namespace

int run_lint(command_env& env, std::optional<lint_result>& out) {
    const parsed_args& a = env.args;
    lint_result r;
    r.format = format_of(a);
    risk threshold = risk::high;
    if (!a.fail_on.empty() && a.fail_on != "none") parse_risk(a.fail_on, threshold);
    if (a.fail_on != "none") r.fail_on = threshold;
    r.lint_down = a.lint_down;
    r.disabled_rules = a.disable;
    r.enabled_rules = a.enable;
    if (env.standalone) {
        r.migrations_dir = a.migrations_dir;
        // Paths as a person (or GitHub) finds them: relative to the migrations directory as given.
        std::string dir = a.migrations_dir;
        while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
        if (!dir.empty() && dir != ".") r.path_prefix = dir + "/";
    }

    lint_options lo;
    lo.lint_down = a.lint_down;
    lo.disabled_rules = a.disable;
    lo.enabled_rules = a.enable;
    // Load problems are findings too: a broken file never hides the others' findings.
    std::vector<migration_lint> results = lint::lint_loaded(env.migrations(), env.load_problems, lo);
    r.pending_only = a.pending;
    if (a.pending) {
        // Linted as a whole (what earlier migrations create is known), then only
        // what `up` would still run is kept; a file that did not load stays.
        const core::db_state s = env.read_state(*env.connect());
        std::set<std::int64_t> pending;
        for (const pending_migration& p : s.report.pending) pending.insert(p.version);
        results.erase(std::remove_if(results.begin(), results.end(),
                                     [&](const migration_lint& l) { return l.loaded && pending.count(l.version) == 0; }),
                      results.end());
    }
    r.highest = max_level(results);
    for (migration_lint& l : results) {
        for (const lint_finding& f : l.findings) {
            if (f.suppressed) {
                ++r.suppressed;
                continue;
            }
            ++r.counts[f.level];
            ++r.total;
            if (r.fail_on && f.level >= *r.fail_on) ++r.failing;
        }
        const migration* m = l.loaded ? env.migrations().find(l.version) : nullptr;
        r.migrations.push_back({std::move(l), m != nullptr ? std::optional<bool>(m->reversible) : std::nullopt});
    }
    out = std::move(r);
    return out->failing > 0 ? lint_findings_exit_code : 0;
}

} // namespace pgmig::detail::cli
