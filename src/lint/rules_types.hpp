// pgmig — lint rules on types, domains and functions: require-enum-value-ordering,
// ban-create-domain-with-constraint, ban-alter-domain-with-add-constraint; and what
// their statements tell the schema knowledge (the types the set creates, the
// functions and their declared volatility).
#pragma once

#include "lint/section_context.hpp"

namespace pgmig::detail::lint {

void create_enum(section_context& ctx, int stmt, const json& body);
void create_composite_type(section_context& ctx, int stmt, const json& body);
void create_domain(section_context& ctx, int stmt, const json& body);
void alter_domain(section_context& ctx, int stmt, const json& body);
void alter_enum(section_context& ctx, int stmt, const json& body);
void create_function(section_context& ctx, int stmt, const json& body);

} // namespace pgmig::detail::lint
