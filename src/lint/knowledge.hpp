// pgmig — lint internals: what lint knows about the schema from the statements
// it has seen (one migration for lint_migration, every earlier migration of the
// set too for lint_set).
#pragma once

#include "lint/parse_tree.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace pgmig::detail::lint {

/// An index the migrations create (explicitly or through PRIMARY KEY/UNIQUE).
struct index_fact {
    std::string key;                  ///< "schema.name" or "name" (public dropped)
    std::string table;                ///< table key
    std::string table_display;        ///< table as written
    std::vector<std::string> columns; ///< leading plain columns (stops at the first expression)
    bool partial = false;             ///< has a WHERE clause
    std::int64_t version = 0;         ///< the migration that created it
};

/// A function the migrations create, and the volatility it is declared with.
struct function_fact {
    std::string volatility = "volatile"; ///< "immutable", "stable" or "volatile" (PostgreSQL's default)
    std::int64_t version = 0;            ///< the migration that created it
};

/// The schema as far as the migrations tell. Keys of tables: "schema.table",
/// or "table" for unqualified and public tables.
struct knowledge {
    std::vector<index_fact> indexes;
    std::set<std::string> partitioned;                                      ///< table keys
    std::map<std::string, std::map<std::string, type_info>> columns;        ///< table → column → type
    std::set<std::pair<std::string, std::string>> not_null;                 ///< (table, column) proven NOT NULL
    std::map<std::pair<std::string, std::string>, std::string> not_null_checks; ///< (table, constraint) → column,
                                                                            ///< CHECK (col IS NOT NULL) NOT VALID
    std::map<std::string, function_fact> functions;                         ///< function key → fact
    /// The migration that created an object: "table:<key>", "schema:<name>", "type:<key>".
    std::map<std::string, std::int64_t> created_by;

    /// The migration that created object `kind:key`, if one of the set did.
    std::optional<std::int64_t> creator(const std::string& kind, const std::string& key) const;

    void drop_table(const std::string& table);
    void rename_table(const std::string& from, const std::string& to, const std::string& to_display);
    void drop_column(const std::string& table, const std::string& column);
    void rename_column(const std::string& table, const std::string& from, const std::string& to);
    void drop_index(const std::string& key);
    void rename_index(const std::string& from, const std::string& to);
    const index_fact* find_index(const std::string& key) const;
};

} // namespace pgmig::detail::lint
