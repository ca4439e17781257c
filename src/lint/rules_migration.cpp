// pgmig — lint rules on a migration as a whole.
#include "lint/rules_migration.hpp"

#include "core/sql_lexer.hpp"
#include "lint/rules.hpp"
#include "lint/suppression.hpp"

#include <string>

namespace pgmig::detail::lint {

std::optional<lint_finding> no_down_section(const migration& m, const std::vector<allow_directive>& up_directives) {
    if (m.reversible) return std::nullopt;
    lint_finding f = make_finding(rule::no_down_section, m, false, m.file, 1);
    f.message = "migration " + std::to_string(m.version) +
                " has no down section: `rollback` cannot undo it, and a failed deploy cannot be reverted by pgmig";
    for (const allow_directive& d : up_directives) {
        if (names_with_reason(d, rule::no_down_section)) {
            f.suppressed = true;
            f.suppression_reason = d.reason;
            break;
        }
    }
    return f;
}

std::optional<lint_finding> empty_migration(const migration& m) {
    if (!core::is_empty_sql(m.up_sql)) return std::nullopt;
    lint_finding f = make_finding(rule::empty_migration, m, false, m.file, m.up_line);
    f.message = "migration " + std::to_string(m.version) + " has no statement in its up SQL, only comments and "
                "whitespace: fill it in before applying it (`up` and the boot refuse it; applied empty, filling it in "
                "afterwards would be drift)";
    return f;
}

} // namespace pgmig::detail::lint
