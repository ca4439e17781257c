// pgmig — lint: statements that create tables (CREATE TABLE, CREATE TABLE AS,
// SELECT INTO, CREATE SCHEMA with elements). They make the section's new
// tables, which the other rules exempt, record the tables' columns, keys and
// foreign keys, and check the new columns' types.
#pragma once

#include "lint/section_context.hpp"

namespace pgmig::detail::lint {

void create_table(section_context& ctx, int stmt, const json& body);
void create_table_as(section_context& ctx, int stmt, const json& body);
void select_into(section_context& ctx, int stmt, const json& body);

/// CREATE SCHEMA: its elements are linted as statements of their own, in the new schema.
void create_schema(section_context& ctx, int stmt, const json& body);

} // namespace pgmig::detail::lint
