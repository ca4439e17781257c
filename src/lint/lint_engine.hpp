// pgmig — lint internals: the rules, applied to one section (up or down SQL)
// of one migration, and the schema knowledge carried between migrations.
#pragma once

#include "lint/lint_sql.hpp"

#include <pgmig/lint.hpp>
#include <pgmig/migration.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgmig::lint_detail {

/// A column type as written: last name component (pg_catalog. dropped), type modifiers.
struct type_info {
    std::string name;                ///< "int4", "varchar", "text", "bigserial", …
    std::vector<std::int64_t> mods;  ///< e.g. {20} for varchar(20), {10, 2} for numeric(10,2)
    bool array = false;
    bool known = false;              ///< false when no type was given/understood
};

/// An index the migrations create (explicitly or through PRIMARY KEY/UNIQUE).
struct index_fact {
    std::string key;                  ///< "schema.name" or "name" (public dropped)
    std::string table;                ///< table key
    std::string table_display;        ///< table as written
    std::vector<std::string> columns; ///< leading plain columns (stops at the first expression)
    bool partial = false;             ///< has a WHERE clause
};

/// What lint knows about the schema from the statements it has seen (this
/// migration for lint_migration, every earlier migration too for lint_set).
/// Keys of tables: "schema.table", or "table" for unqualified and public tables.
struct knowledge {
    std::vector<index_fact> indexes;
    std::set<std::string> partitioned;                                      ///< table keys
    std::map<std::string, std::map<std::string, type_info>> columns;        ///< table → column → type
    std::set<std::pair<std::string, std::string>> not_null;                 ///< (table, column) proven NOT NULL
    std::map<std::pair<std::string, std::string>, std::string> not_null_checks; ///< (table, constraint) → column,
                                                                            ///< CHECK (col IS NOT NULL) NOT VALID

    void drop_table(const std::string& table);
    void rename_table(const std::string& from, const std::string& to, const std::string& to_display);
    void drop_column(const std::string& table, const std::string& column);
    void rename_column(const std::string& table, const std::string& from, const std::string& to);
    void drop_index(const std::string& key);
    void rename_index(const std::string& from, const std::string& to);
    const index_fact* find_index(const std::string& key) const;
};

/// One section to lint.
struct section_input {
    const migration* m = nullptr;
    bool down = false;
    std::string sql;
    int first_line = 1;
    bool no_transaction = false;
    std::string file;
};

struct section_result {
    std::vector<lint_finding> findings;       ///< in statement order, suppression applied
    std::vector<allow_directive> directives;  ///< every allow comment of the section
};

/// Lints one section, updating `know` with what its statements create and drop.
section_result lint_section(const section_input& input, const std::set<std::string>& disabled, knowledge& know);

/// Builds a finding of `rule` with the catalogue's level and safe alternative.
lint_finding make_finding(std::string_view rule, const migration& m, bool down, const std::string& file, int line);

} // namespace pgmig::lint_detail
