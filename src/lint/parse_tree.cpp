// pgmig — lint internals: reading libpg_query's parse tree (JSON form).
#include "lint/parse_tree.hpp"

#include "core/text.hpp"

#include <map>
#include <set>
#include <utility>

namespace pgmig::detail::lint {
namespace {

// DefElem option with a boolean value: absent arg means true.
bool defelem_true(const json& def) {
    const json* arg = member(def, "arg");
    if (arg == nullptr) return true;
    if (const json* b = body_if(*arg, "Boolean")) return flag_of(*b, "boolval");
    if (body_if(*arg, "String") != nullptr) {
        const std::string v = core::lower(sval(*arg));
        return !(v == "false" || v == "off" || v == "0" || v == "no");
    }
    if (const json* i = body_if(*arg, "Integer")) return int_of(*i, "ival") != 0;
    return true;
}

} // namespace

// ------------------------------------------------------------------ fields and nodes

const json* member(const json& j, const char* key) {
    if (!j.is_object()) return nullptr;
    const auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
}

std::string text_of(const json& j, const char* key) {
    const json* v = member(j, key);
    return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

bool flag_of(const json& j, const char* key) {
    const json* v = member(j, key);
    return v != nullptr && v->is_boolean() && v->get<bool>();
}

std::int64_t int_of(const json& j, const char* key) {
    const json* v = member(j, key);
    return v != nullptr && v->is_number_integer() ? v->get<std::int64_t>() : 0;
}

node_view unwrap(const json& node) {
    if (!node.is_object() || node.size() != 1) return {};
    const auto it = node.begin();
    return {std::string_view(it.key()), &it.value()};
}

const json* body_if(const json& node, std::string_view type) {
    const node_view v = unwrap(node);
    return v && v.type == type ? v.body : nullptr;
}

std::string sval(const json& node) {
    // sval is omitted when empty.
    const json* s = body_if(node, "String");
    return s != nullptr ? text_of(*s, "sval") : std::string();
}

std::vector<std::string> string_list(const json* array) {
    std::vector<std::string> out;
    if (array == nullptr || !array->is_array()) return out;
    for (const json& item : *array)
        if (body_if(item, "String") != nullptr) out.push_back(sval(item));
    return out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i != 0) out += separator;
        out += items[i];
    }
    return out;
}

std::optional<bool> option_flag(const json* options, std::string_view name) {
    std::optional<bool> out;
    for_each_item(options, [&](const json& item) {
        const json* def = body_if(item, "DefElem");
        if (def != nullptr && text_of(*def, "defname") == name) out = defelem_true(*def);
    });
    return out;
}

// ------------------------------------------------------------------ names

relation_name make_relation(std::string schema, std::string name) {
    relation_name r;
    r.display = schema.empty() ? name : schema + "." + name;
    r.key = (schema.empty() || schema == "public") ? name : schema + "." + name;
    r.schema = std::move(schema);
    r.name = std::move(name);
    return r;
}

std::string relation_key(const std::string& display) {
    return display.compare(0, 7, "public.") == 0 ? display.substr(7) : display;
}

relation_name relation_of(const json* range_var) {
    if (range_var == nullptr) return {};
    const json* rv = range_var;
    if (const json* inner = body_if(*range_var, "RangeVar")) rv = inner;
    relation_name r = make_relation(text_of(*rv, "schemaname"), text_of(*rv, "relname"));
    r.only = !flag_of(*rv, "inh");
    return r;
}

relation_name relation_of_names(const std::vector<std::string>& names) {
    if (names.empty()) return {};
    return make_relation(names.size() >= 2 ? names[names.size() - 2] : std::string(), names.back());
}

std::string index_key(const relation_name& table, const std::string& index_name) {
    return make_relation(table.schema, index_name).key;
}

// ------------------------------------------------------------------ types and columns

bool is_serial(const type_info& t) {
    static const std::set<std::string> serials = {"serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"};
    return serials.count(t.name) != 0;
}

type_info type_of(const json* type_name) {
    type_info t;
    if (type_name == nullptr) return t;
    const json* tn = type_name;
    if (const json* inner = body_if(*type_name, "TypeName")) tn = inner;
    const std::vector<std::string> names = string_list(member(*tn, "names"));
    if (names.empty()) return t;
    t.name = names.back();
    t.known = true;
    for_each_item(member(*tn, "typmods"), [&](const json& mod) {
        const json* c = body_if(mod, "A_Const");
        if (c == nullptr) return;
        const json* ival = member(*c, "ival");
        if (ival != nullptr) t.mods.push_back(int_of(*ival, "ival"));
    });
    const json* bounds = member(*tn, "arrayBounds");
    t.array = bounds != nullptr && bounds->is_array() && !bounds->empty();
    return t;
}

std::string type_display(const type_info& t) {
    static const std::map<std::string, std::string> names = {
        {"int2", "smallint"},  {"int4", "integer"},   {"int8", "bigint"},  {"bpchar", "char"},
        {"float4", "real"},    {"float8", "double precision"}, {"bool", "boolean"},
        {"timestamp", "timestamp"}, {"timestamptz", "timestamptz"}};
    const auto it = names.find(t.name);
    std::string out = it != names.end() ? it->second : t.name;
    if (!t.mods.empty()) {
        out += "(";
        for (std::size_t i = 0; i < t.mods.size(); ++i) {
            if (i != 0) out += ",";
            out += std::to_string(t.mods[i]);
        }
        out += ")";
    }
    if (t.array) out += "[]";
    return out;
}

column_spec read_column(const json& column_def) {
    column_spec c;
    c.def = &column_def;
    c.name = text_of(column_def, "colname");
    c.type = type_of(member(column_def, "typeName"));
    if (const json* raw = member(column_def, "raw_default")) c.default_expr = raw;
    for_each_item(member(column_def, "constraints"), [&](const json& item) {
        const json* con = body_if(item, "Constraint");
        if (con == nullptr) return;
        const std::string type = text_of(*con, "contype");
        if (type == "CONSTR_NOTNULL") c.not_null = true;
        else if (type == "CONSTR_PRIMARY") c.primary = true;
        else if (type == "CONSTR_UNIQUE") c.unique = true;
        else if (type == "CONSTR_IDENTITY") c.identity = true;
        else if (type == "CONSTR_GENERATED") c.generated = true;
        else if (type == "CONSTR_EXCLUSION") c.exclusion = true;
        else if (type == "CONSTR_DEFAULT") c.default_expr = member(*con, "raw_expr");
        else if (type == "CONSTR_CHECK") c.checks.push_back(con);
        else if (type == "CONSTR_FOREIGN") c.foreign.push_back(con);
    });
    return c;
}

const json* constraint_of(const column_spec& c, std::string_view contype) {
    const json* found = nullptr;
    if (c.def == nullptr) return found;
    for_each_item(member(*c.def, "constraints"), [&](const json& item) {
        const json* con = body_if(item, "Constraint");
        if (found == nullptr && con != nullptr && text_of(*con, "contype") == contype) found = con;
    });
    return found;
}

const json* type_node(const column_spec& c) { return c.def == nullptr ? nullptr : member(*c.def, "typeName"); }

} // namespace pgmig::detail::lint
