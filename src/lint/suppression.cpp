// pgmig — lint: `-- pgmig:allow` suppressions of a section.
#include "lint/suppression.hpp"

#include <algorithm>
#include <cstddef>

namespace pgmig::detail::lint {

void apply_suppressions(section_context& ctx, const std::vector<allow_directive>& directives) {
    // Validate the directives.
    std::vector<bool> valid(directives.size(), true);
    for (std::size_t d = 0; d < directives.size(); ++d) {
        const allow_directive& dir = directives[d];
        if (dir.rules.empty() || dir.reason.empty()) {
            valid[d] = false;
            ctx.emit_unattached(rule::suppression_without_reason, dir.pos, dir.comment,
                                std::string(dir.rules.empty() ? "suppression names no rule and gives no reason"
                                                              : "suppression of " + join(dir.rules) +
                                                                    " gives no reason") +
                                    ", so it suppresses nothing; write -- pgmig:allow <rule-id> <why this is safe>");
        }
        for (const std::string& id : dir.rules)
            if (id != "all" && !rule_named(id))
                ctx.emit_unattached(rule::suppression_unknown_rule, dir.pos, dir.comment,
                                    "suppression names the unknown rule '" + id +
                                        "', so it suppresses nothing for it; docs/lint-rules.md lists the rule ids");
    }
    // Attach each directive to statements: those on whose lines it is, else the next one.
    const std::vector<parsed_statement>& stmts = ctx.statements;
    std::vector<std::vector<std::size_t>> by_statement(stmts.size());
    for (std::size_t d = 0; d < directives.size(); ++d) {
        if (!valid[d]) continue;
        bool attached = false;
        for (std::size_t s = 0; s < stmts.size(); ++s) {
            if (directives[d].line >= stmts[s].first_line && directives[d].line <= stmts[s].last_line) {
                by_statement[s].push_back(d);
                attached = true;
            }
        }
        if (attached) continue;
        for (std::size_t s = 0; s < stmts.size(); ++s) {
            if (stmts[s].begin > directives[d].pos) {
                by_statement[s].push_back(d);
                break;
            }
        }
    }
    for (pending& p : ctx.findings) {
        if (p.stmt < 0) continue;
        for (const std::size_t d : by_statement[static_cast<std::size_t>(p.stmt)]) {
            const allow_directive& dir = directives[d];
            if (std::find(dir.rules.begin(), dir.rules.end(), p.finding.rule_id) != dir.rules.end() ||
                std::find(dir.rules.begin(), dir.rules.end(), "all") != dir.rules.end()) {
                p.finding.suppressed = true;
                p.finding.suppression_reason = dir.reason;
                break;
            }
        }
    }
}

bool names_with_reason(const allow_directive& d, rule r) {
    return !d.reason.empty() && std::find(d.rules.begin(), d.rules.end(), id_of(r)) != d.rules.end();
}

} // namespace pgmig::detail::lint
