// pgmig — migration lint: the public entry points, and the linting of one
// migration (its up section, the migration-wide rules, its down section).
// The rules are in lint/rules.def (the table) and lint/rules_*.cpp (the checks);
// docs/lint-rules.md documents them.
#include <pgmig/error.hpp>
#include <pgmig/lint.hpp>

#include "lint/knowledge.hpp"
#include "lint/lint.hpp"
#include "lint/rules.hpp"
#include "lint/rules_migration.hpp"
#include "lint/section.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

namespace pgmig {
namespace {

using detail::core::iequals;

bool finding_order(const lint_finding& a, const lint_finding& b) {
    if (a.down != b.down) return !a.down;
    if (a.line != b.line) return a.line < b.line;
    return a.column < b.column;
}

detail::lint::rule named(const std::string& id, const char* list) {
    const std::optional<detail::lint::rule> r = detail::lint::rule_named(id);
    if (!r)
        throw error(error_code::usage, "unknown lint rule '" + id + "' in the rules to " + list +
                                           "; docs/lint-rules.md lists the rule ids");
    return *r;
}

// The rules that do not run: opt-in rules not enabled, and the disabled ones.
detail::lint::rule_set resolve_disabled(const lint_options& options) {
    detail::lint::rule_set disabled;
    for (std::size_t i = 0; i < detail::lint::rule_count; ++i)
        if (!detail::lint::definition(static_cast<detail::lint::rule>(i)).enabled_by_default) disabled.set(i);
    for (const std::string& id : options.enabled_rules) disabled.reset(static_cast<std::size_t>(named(id, "enable")));
    for (const std::string& id : options.disabled_rules) disabled.set(static_cast<std::size_t>(named(id, "disable")));
    return disabled;
}

migration_lint lint_one(const migration& m, const detail::lint::rule_set& disabled, const lint_options& options,
                        detail::lint::knowledge& know) {
    migration_lint result;
    result.version = m.version;
    result.name = m.name;
    result.file = m.file;
    if (m.kind == migration_kind::code) {
        result.skipped = "a C++ migration: the SQL it sends is not known before it runs, so lint cannot check it";
        return result;
    }

    detail::lint::section_input up;
    up.m = &m;
    up.down = false;
    up.sql = m.up_sql;
    up.first_line = m.up_line;
    up.no_transaction = m.up_no_transaction;
    up.file = m.file;
    up.server = &options.server;
    detail::lint::section_result up_result = detail::lint::lint_section(up, disabled, know);
    result.findings = std::move(up_result.findings);

    if (!disabled.test(static_cast<std::size_t>(detail::lint::rule::empty_migration)))
        if (std::optional<lint_finding> f = detail::lint::empty_migration(m)) result.findings.push_back(std::move(*f));
    if (!disabled.test(static_cast<std::size_t>(detail::lint::rule::no_down_section)))
        if (std::optional<lint_finding> f = detail::lint::no_down_section(m, up_result.directives))
            result.findings.push_back(std::move(*f));

    if (options.lint_down && m.reversible) {
        // The down section runs against the schema as the up left it; what it does
        // is not carried forward.
        detail::lint::knowledge after_up = know;
        detail::lint::section_input down;
        down.m = &m;
        down.down = true;
        down.sql = m.down_sql;
        down.first_line = m.down_line;
        down.no_transaction = m.down_no_transaction;
        down.file = m.down_file.empty() ? m.file : m.down_file;
        down.server = &options.server;
        detail::lint::section_result down_result = detail::lint::lint_section(down, disabled, after_up);
        for (lint_finding& f : down_result.findings) result.findings.push_back(std::move(f));
    }

    std::stable_sort(result.findings.begin(), result.findings.end(), finding_order);
    for (const lint_finding& f : result.findings)
        if (!f.suppressed && f.level > result.level) result.level = f.level;
    return result;
}

} // namespace

const char* to_string(risk level) noexcept {
    switch (level) {
    case risk::none: return "none";
    case risk::low: return "low";
    case risk::medium: return "medium";
    case risk::high: return "high";
    case risk::critical: return "critical";
    }
    return "none";
}

bool parse_risk(std::string_view text, risk& out) noexcept {
    for (const risk r : {risk::none, risk::low, risk::medium, risk::high, risk::critical}) {
        if (iequals(text, to_string(r))) {
            out = r;
            return true;
        }
    }
    return false;
}

migration_lint lint_migration(const migration& m, const lint_options& options) {
    const detail::lint::rule_set disabled = resolve_disabled(options);
    detail::lint::knowledge know;
    return lint_one(m, disabled, options, know);
}

std::vector<migration_lint> lint_set(const migration_set& set, const lint_options& options) {
    const detail::lint::rule_set disabled = resolve_disabled(options);
    detail::lint::knowledge know;
    std::vector<migration_lint> out;
    out.reserve(set.size());
    for (const migration& m : set) out.push_back(lint_one(m, disabled, options, know));
    return out;
}

risk max_level(const std::vector<migration_lint>& results) noexcept {
    risk level = risk::none;
    for (const migration_lint& r : results)
        if (r.level > level) level = r.level;
    return level;
}

namespace detail::lint {

std::vector<migration_lint> lint_loaded(const migration_set& loaded, const std::vector<detail::core::migration_problem>& problems,
                                        const lint_options& options) {
    std::vector<migration_lint> out = lint_set(loaded, options);
    const rule_set disabled = resolve_disabled(options);
    if (disabled.test(static_cast<std::size_t>(rule::invalid_migration))) return out;
    std::vector<migration_lint> unloaded; // one per file, in file order (problems are sorted by file)
    for (const detail::core::migration_problem& p : problems) {
        if (p.in_loaded_migration) continue;
        lint_finding f;
        const lint_rule& def = definition(rule::invalid_migration);
        f.rule_id = def.id;
        f.level = def.level;
        f.safe_alternative = def.safe_alternative;
        f.version = p.version.value_or(0);
        f.file = p.file;
        f.line = p.line > 0 ? p.line : 1;
        f.column = 1;
        f.statement_line = f.line;
        f.message = p.text;
        migration_lint* target = nullptr;
        if (p.version)
            for (migration_lint& l : out)
                if (l.version == *p.version) target = &l;
        if (target == nullptr) {
            if (unloaded.empty() || unloaded.back().file != p.file) {
                migration_lint l;
                l.version = p.version.value_or(0);
                l.loaded = false;
                l.file = p.file;
                unloaded.push_back(std::move(l));
            }
            target = &unloaded.back();
        }
        target->findings.push_back(std::move(f));
        target->level = std::max(target->level, def.level);
    }
    for (migration_lint& l : out) std::stable_sort(l.findings.begin(), l.findings.end(), finding_order);
    for (migration_lint& l : unloaded) out.push_back(std::move(l));
    return out;
}

} // namespace detail::lint
} // namespace pgmig
