// pgmig — lint rules on constraints: add-check-without-not-valid,
// add-foreign-key-without-not-valid, add-unique-without-index,
// add-primary-key-without-index, add-exclusion-constraint and
// foreign-key-without-index; and what constraints tell about the schema
// (indexes behind keys, NOT NULL proven by a CHECK).
#pragma once

#include "lint/section_context.hpp"

#include <string>

namespace pgmig::detail::lint {

/// Records what a table-level constraint (of CREATE TABLE or ADD CONSTRAINT)
/// tells: the index behind PRIMARY KEY / UNIQUE, proven NOT NULL columns, the
/// foreign keys to check for an index.
void table_constraint_facts(section_context& ctx, int stmt, const relation_name& table, const json& con);

/// ALTER TABLE … ADD CONSTRAINT; `is_new`: the section created the table.
void add_constraint(section_context& ctx, int stmt, const relation_name& table, const json& con, bool is_new);

/// ALTER TABLE … VALIDATE CONSTRAINT `conname`.
void validate_constraint(section_context& ctx, int stmt, const relation_name& table, const std::string& conname);

/// The inline constraints of ADD COLUMN on an existing table.
void column_constraints(section_context& ctx, int stmt, const relation_name& table, const column_spec& c);

/// At the section's end: each foreign key of the section without an index on its columns.
void check_foreign_key_indexes(section_context& ctx);

} // namespace pgmig::detail::lint
