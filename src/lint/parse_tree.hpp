// pgmig — lint internals: reading libpg_query's parse tree (JSON form).
//
// Rules read node types and fields of PostgreSQL's raw parse tree
// (AlterTableStmt, AlterTableCmd.subtype, Constraint.contype, …), never the SQL
// text. libpg_query's JSON omits fields at their default value (false, 0,
// empty), so every accessor tolerates a missing member.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail::lint {

using json = nlohmann::json;

// ------------------------------------------------------------------ fields and nodes

/// The member `key` of an object, or nullptr.
const json* member(const json& j, const char* key);
/// The string member `key`, "" when absent.
std::string text_of(const json& j, const char* key);
/// The boolean member `key`, false when absent.
bool flag_of(const json& j, const char* key);
/// The integer member `key`, 0 when absent.
std::int64_t int_of(const json& j, const char* key);

/// A node is {"NodeType": {fields}}.
struct node_view {
    std::string_view type;
    const json* body = nullptr;
    explicit operator bool() const noexcept { return body != nullptr; }
};

/// The node's type and body; empty when `node` is not a node.
node_view unwrap(const json& node);

/// The body of `node` when it is of `type`, else nullptr.
const json* body_if(const json& node, std::string_view type);

/// {"String": {"sval": "x"}} → "x".
std::string sval(const json& node);

/// The String nodes of a list, as strings.
std::vector<std::string> string_list(const json* array);

/// Calls f(item) for every item of a list (nothing when `array` is absent).
template <typename F> void for_each_item(const json* array, F&& f) {
    if (array == nullptr || !array->is_array()) return;
    for (const json& item : *array) f(item);
}

/// Calls f(body) for every node of `type` anywhere in the tree (the root included).
template <typename F> void walk_nodes(const json& j, std::string_view type, F&& f) {
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
            if (it.key() == type && it.value().is_object()) f(it.value());
            walk_nodes(it.value(), type, f);
        }
    } else if (j.is_array()) {
        for (const json& item : j) walk_nodes(item, type, f);
    }
}

/// "a, b, c".
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

/// The value of the DefElem option `name` in an option list, read as a boolean
/// (an option without a value is true); nullopt when absent.
std::optional<bool> option_flag(const json* options, std::string_view name);

// ------------------------------------------------------------------ names

/// A table (or index, view) name as a statement writes it.
struct relation_name {
    std::string schema;
    std::string name;
    std::string display; ///< as written: schema.table or table
    std::string key;     ///< public dropped, for matching
    bool only = false;   ///< ONLY t (no inheritance)
    bool empty() const noexcept { return name.empty(); }
};

relation_name make_relation(std::string schema, std::string name);

/// The key of a relation as relation_name::display writes it ("public." dropped).
std::string relation_key(const std::string& display);

/// The name of a RangeVar node (or of its body).
relation_name relation_of(const json* range_var);

/// ["schema", "name"] or ["name"] (a catalog prefix is ignored).
relation_name relation_of_names(const std::vector<std::string>& names);

/// The key of index `index_name`: an index lives in its table's schema.
std::string index_key(const relation_name& table, const std::string& index_name);

// ------------------------------------------------------------------ types and columns

/// A column type as written: last name component (pg_catalog. dropped), type modifiers.
struct type_info {
    std::string name;                ///< "int4", "varchar", "text", "bigserial", …
    std::vector<std::int64_t> mods;  ///< e.g. {20} for varchar(20), {10, 2} for numeric(10,2)
    bool array = false;
    bool known = false;              ///< false when no type was given/understood
};

/// The type of a TypeName node (or of its body).
type_info type_of(const json* type_name);

/// The type as people write it: "integer", "varchar(20)", "char(3)[]".
std::string type_display(const type_info& t);

/// serial, bigserial, smallserial and their serialN spellings.
bool is_serial(const type_info& t);

/// A column definition (CREATE TABLE element or ADD COLUMN) and its inline constraints.
struct column_spec {
    const json* def = nullptr;         ///< the ColumnDef body
    std::string name;
    type_info type;
    bool not_null = false;
    bool primary = false;
    bool unique = false;
    bool identity = false;
    bool generated = false;
    bool exclusion = false;
    const json* default_expr = nullptr;
    std::vector<const json*> checks;   ///< Constraint bodies
    std::vector<const json*> foreign;  ///< Constraint bodies
};

/// Reads a ColumnDef body.
column_spec read_column(const json& column_def);

/// The first inline constraint of `c` of type `contype` ("CONSTR_NOTNULL", …), or nullptr.
const json* constraint_of(const column_spec& c, std::string_view contype);

/// The TypeName node of `c`, or nullptr.
const json* type_node(const column_spec& c);

} // namespace pgmig::detail::lint
