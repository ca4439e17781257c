// pgmig — lint: the runner of one section (the up or the down SQL of one
// migration): parses it, hands each statement to the rule families by node
// type, runs the section-end checks and applies the suppressions.
#pragma once

#include "lint/knowledge.hpp"
#include "lint/lint_sql.hpp"
#include "lint/rules.hpp"
#include "lint/section_context.hpp"

#include <pgmig/lint.hpp>

#include <string_view>
#include <vector>

namespace pgmig::detail::lint {

struct section_result {
    std::vector<lint_finding> findings;       ///< in statement order, suppression applied
    std::vector<allow_directive> directives;  ///< every allow comment of the section
};

/// Lints one section, updating `know` with what its statements create and drop.
section_result lint_section(const section_input& input, const rule_set& disabled, knowledge& know);

/// Lints one statement (or an element of CREATE SCHEMA) of node `type`.
void lint_statement(section_context& ctx, int stmt, std::string_view type, const json& body);

} // namespace pgmig::detail::lint
