// pgmig — lint internals: the rules over libpg_query's parse tree (JSON form).
//
// Every rule reads node types and fields of PostgreSQL's raw parse tree
// (AlterTableStmt, AlterTableCmd.subtype, Constraint.contype, …), never the
// SQL text. libpg_query's JSON omits fields at their default value (false,
// 0, empty), so every accessor tolerates a missing member.
#include "lint/lint_engine.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <utility>

namespace pgmig::lint_detail {
namespace {

using nlohmann::json;

// ------------------------------------------------------------------ JSON accessors

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

// A node is {"NodeType": {fields}}.
struct node_view {
    std::string_view type;
    const json* body = nullptr;
    explicit operator bool() const noexcept { return body != nullptr; }
};

node_view unwrap(const json& node) {
    if (!node.is_object() || node.size() != 1) return {};
    const auto it = node.begin();
    return {std::string_view(it.key()), &it.value()};
}

const json* body_if(const json& node, std::string_view type) {
    const node_view v = unwrap(node);
    return v && v.type == type ? v.body : nullptr;
}

// {"String": {"sval": "x"}} → "x" (sval is omitted when empty).
std::string sval(const json& node) {
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

template <typename F> void for_each_item(const json* array, F&& f) {
    if (array == nullptr || !array->is_array()) return;
    for (const json& item : *array) f(item);
}

// Calls f(body) for every node of `type` anywhere in the tree (the root included).
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

std::string join(const std::vector<std::string>& items, std::string_view separator = ", ") {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i != 0) out += separator;
        out += items[i];
    }
    return out;
}

// ------------------------------------------------------------------ names

struct relation_name {
    std::string schema;
    std::string name;
    std::string display; ///< as written: schema.table or table
    std::string key;     ///< public dropped, for matching
    bool only = false;   ///< ONLY t (no inheritance)
    bool empty() const noexcept { return name.empty(); }
};

relation_name make_relation(std::string schema, std::string name) {
    relation_name r;
    r.display = schema.empty() ? name : schema + "." + name;
    r.key = (schema.empty() || schema == "public") ? name : schema + "." + name;
    r.schema = std::move(schema);
    r.name = std::move(name);
    return r;
}

relation_name relation_of(const json* range_var) {
    if (range_var == nullptr) return {};
    const json* rv = range_var;
    if (const json* inner = body_if(*range_var, "RangeVar")) rv = inner;
    relation_name r = make_relation(text_of(*rv, "schemaname"), text_of(*rv, "relname"));
    r.only = !flag_of(*rv, "inh");
    return r;
}

// ["schema", "name"] or ["name"] (a catalog prefix is ignored).
relation_name relation_of_names(const std::vector<std::string>& names) {
    if (names.empty()) return {};
    return make_relation(names.size() >= 2 ? names[names.size() - 2] : std::string(), names.back());
}

// An index lives in its table's schema.
std::string index_key(const relation_name& table, const std::string& index_name) {
    return make_relation(table.schema, index_name).key;
}

// ------------------------------------------------------------------ types

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

// Is ALTER COLUMN … TYPE `to` from `from` a change PostgreSQL makes without a
// rewrite (binary-coercible, relaxed modifier)?
bool no_rewrite_type_change(const type_info& from, const type_info& to) {
    if (!from.known || !to.known || from.array != to.array) return false;
    if (from.name == to.name && from.mods == to.mods) return true;
    if (from.name == "varchar") {
        if (to.name == "text") return true;
        if (to.name == "varchar")
            return to.mods.empty() || (!from.mods.empty() && to.mods.front() >= from.mods.front());
    }
    if (from.name == "numeric" && to.name == "numeric") {
        if (to.mods.empty()) return true;
        if (from.mods.empty()) return false;
        const std::int64_t from_scale = from.mods.size() > 1 ? from.mods[1] : 0;
        const std::int64_t to_scale = to.mods.size() > 1 ? to.mods[1] : 0;
        return from_scale == to_scale && to.mods.front() >= from.mods.front();
    }
    if ((from.name == "varbit" || from.name == "bit varying") && to.name == from.name)
        return to.mods.empty() || (!from.mods.empty() && to.mods.front() >= from.mods.front());
    return false;
}

// ------------------------------------------------------------------ expressions

enum class volatility { safe, unknown, volatile_call };

struct default_verdict {
    volatility level = volatility::safe;
    std::string function; ///< the deciding function
};

const std::set<std::string>& volatile_functions() {
    static const std::set<std::string> names = {
        "random",          "random_normal",  "clock_timestamp", "timeofday",        "gen_random_uuid",
        "gen_random_bytes", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "uuidv4",
        "uuidv7",          "nextval",        "setval",          "currval",          "lastval",
        "txid_current",    "pg_current_xact_id", "gen_salt",    "setseed"};
    return names;
}

// Built-in functions that are IMMUTABLE or STABLE (evaluated once by ADD COLUMN).
const std::set<std::string>& non_volatile_functions() {
    static const std::set<std::string> names = {
        "now",        "transaction_timestamp", "statement_timestamp", "current_setting", "lower",
        "upper",      "btrim",       "ltrim",          "rtrim",         "trim",             "concat",
        "concat_ws",  "to_char",     "to_date",        "to_timestamp",  "to_number",        "to_json",
        "to_jsonb",   "json_build_object", "jsonb_build_object", "json_build_array", "jsonb_build_array",
        "json_object", "jsonb_object", "array_fill",   "make_date",     "make_time",        "make_timestamp",
        "make_timestamptz", "make_interval", "date_trunc", "date_part", "extract",          "timezone",
        "length",     "char_length", "abs",            "round",         "floor",            "ceil",
        "md5",        "replace",     "substr",         "substring",     "left",             "right",
        "lpad",       "rpad",        "format",         "array_length",  "cardinality",      "coalesce",
        "nullif",     "greatest",    "least",          "age",           "int4",             "int8",
        "text",       "numeric",     "jsonb",          "json",          "uuid",             "inet",
        "date",       "timestamptz", "interval",       "array_to_string", "string_to_array"};
    return names;
}

void classify_expression(const json& expr, default_verdict& out) {
    walk_nodes(expr, "FuncCall", [&](const json& call) {
        const std::vector<std::string> names = string_list(member(call, "funcname"));
        if (names.empty()) return;
        const std::string& name = names.back();
        if (volatile_functions().count(name) != 0) {
            if (out.level != volatility::volatile_call) out = {volatility::volatile_call, name};
        } else if (non_volatile_functions().count(name) == 0 && out.level == volatility::safe) {
            out = {volatility::unknown, join(names, ".")};
        }
    });
}

// CHECK (col IS NOT NULL) → "col".
std::string not_null_check_column(const json* raw_expr) {
    if (raw_expr == nullptr) return {};
    const json* test = body_if(*raw_expr, "NullTest");
    if (test == nullptr || text_of(*test, "nulltesttype") != "IS_NOT_NULL") return {};
    const json* arg = member(*test, "arg");
    if (arg == nullptr) return {};
    const json* ref = body_if(*arg, "ColumnRef");
    if (ref == nullptr) return {};
    const std::vector<std::string> fields = string_list(member(*ref, "fields"));
    return fields.size() == 1 ? fields.front() : std::string();
}

// DefElem option with a boolean value: absent arg means true.
bool defelem_true(const json& def) {
    const json* arg = member(def, "arg");
    if (arg == nullptr) return true;
    if (const json* b = body_if(*arg, "Boolean")) return flag_of(*b, "boolval");
    if (body_if(*arg, "String") != nullptr) {
        std::string v = sval(*arg);
        for (char& c : v) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        return !(v == "false" || v == "off" || v == "0" || v == "no");
    }
    if (const json* i = body_if(*arg, "Integer")) return int_of(*i, "ival") != 0;
    return true;
}

// Value of the DefElem option `name` in `options` (nullopt when absent).
std::optional<bool> option_flag(const json* options, std::string_view name) {
    std::optional<bool> out;
    for_each_item(options, [&](const json& item) {
        const json* def = body_if(item, "DefElem");
        if (def != nullptr && text_of(*def, "defname") == name) out = defelem_true(*def);
    });
    return out;
}

// ------------------------------------------------------------------ columns

struct column_spec {
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

column_spec read_column(const json& column_def) {
    column_spec c;
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

bool is_small_integer(const type_info& t) {
    return !t.array && (t.name == "int4" || t.name == "int2" || t.name == "serial" || t.name == "serial4" ||
                        t.name == "smallserial" || t.name == "serial2");
}

// ------------------------------------------------------------------ the section linter

struct fk_fact {
    int stmt = 0;
    relation_name table;
    std::vector<std::string> columns;
    std::string referenced;
};

struct pending {
    lint_finding finding;
    int stmt = -1; ///< statement index; -1: not suppressible (directive findings)
};

class section_linter {
public:
    section_linter(const section_input& in, const std::set<std::string>& disabled, knowledge& know)
        : in_(in), disabled_(disabled), know_(know), text_(in.sql, in.first_line) {}

    section_result run() {
        stmts_ = parse_statements(text_);
        for (std::size_t i = 0; i < stmts_.size(); ++i) {
            const int idx = static_cast<int>(i);
            const parsed_statement& st = stmts_[i];
            if (st.failed) {
                parse_error(idx, st);
                continue;
            }
            const node_view v = unwrap(st.node);
            if (v) statement(idx, v.type, *v.body);
        }
        check_foreign_key_indexes();
        section_result result;
        result.directives = find_allow_directives(text_);
        apply_suppressions(result.directives);
        for (pending& p : out_) result.findings.push_back(std::move(p.finding));
        return result;
    }

private:
    // ---------------------------------------------------------------- emitting

    bool exempt(const relation_name& r) const { return !r.empty() && created_.count(r.key) != 0; }

    void emit(int stmt, std::string_view rule, std::string message, const std::string& relation = {},
              std::optional<risk> level = std::nullopt, std::string alternative = {}) {
        if (disabled_.count(std::string(rule)) != 0) return;
        const parsed_statement& st = stmts_[static_cast<std::size_t>(stmt)];
        lint_finding f = make_finding(rule, *in_.m, in_.down, in_.file, st.first_line);
        f.statement = text_.line_from(st.begin);
        f.message = std::move(message);
        f.relation = relation;
        if (level) f.level = *level;
        if (!alternative.empty()) f.safe_alternative = std::move(alternative);
        out_.push_back({std::move(f), stmt});
    }

    void emit_unattached(std::string_view rule, int line, std::string statement, std::string message) {
        if (disabled_.count(std::string(rule)) != 0) return;
        lint_finding f = make_finding(rule, *in_.m, in_.down, in_.file, line);
        f.statement = std::move(statement);
        f.message = std::move(message);
        out_.push_back({std::move(f), -1});
    }

    void non_transactional(int stmt, const std::string& what, const std::string& relation = {}) {
        if (in_.no_transaction) return;
        emit(stmt, "non-transactional-in-transaction",
             what + " cannot run inside a transaction block, and this migration runs in one (no "
                    "-- pgmig:no-transaction directive): it fails when applied",
             relation);
    }

    void parse_error(int stmt, const parsed_statement& st) {
        emit(stmt, "parse-error",
             "lint could not check this part: libpg_query (PostgreSQL 15 grammar) reports \"" + st.error +
                 "\" at line " + std::to_string(st.error_line) +
                 " (newer syntax or a real syntax error); review it by hand");
    }

    // ---------------------------------------------------------------- dispatch

    void statement(int stmt, std::string_view type, const json& body) {
        if (type == "CreateStmt") create_table(stmt, body);
        else if (type == "CreateTableAsStmt") create_table_as(body);
        else if (type == "SelectStmt") select_into(body);
        else if (type == "CreateSchemaStmt") create_schema(stmt, body);
        else if (type == "IndexStmt") create_index(stmt, body);
        else if (type == "DropStmt") drop(stmt, body);
        else if (type == "DropdbStmt") drop_database(stmt, body);
        else if (type == "TruncateStmt") truncate(stmt, body);
        else if (type == "AlterTableStmt") alter_table(stmt, body);
        else if (type == "RenameStmt") rename(stmt, body);
        else if (type == "AlterObjectSchemaStmt") set_schema(stmt, body);
        else if (type == "TransactionStmt") transaction(stmt, body);
        else if (type == "VacuumStmt") vacuum(stmt, body);
        else if (type == "ClusterStmt") cluster(stmt, body);
        else if (type == "ReindexStmt") reindex(stmt, body);
        else if (type == "RefreshMatViewStmt") refresh(stmt, body);
        else if (type == "CreatedbStmt") non_transactional(stmt, "CREATE DATABASE");
        else if (type == "CreateTableSpaceStmt") non_transactional(stmt, "CREATE TABLESPACE");
        else if (type == "DropTableSpaceStmt") non_transactional(stmt, "DROP TABLESPACE");
        else if (type == "AlterSystemStmt") non_transactional(stmt, "ALTER SYSTEM");
        else if (type == "CreateSubscriptionStmt") create_subscription(stmt, body);
        else if (type == "DropSubscriptionStmt") non_transactional(stmt, "DROP SUBSCRIPTION (with a replication slot)");
        else if (type == "AlterDatabaseStmt") alter_database(stmt, body);
        // UPDATE/DELETE anywhere in the statement (top level or a data-modifying CTE).
        dml(stmt, type, body);
    }

    // ---------------------------------------------------------------- CREATE

    void column_type_rules(int stmt, const relation_name& table, const column_spec& c, bool primary_key) {
        const std::string col = table.display + "." + c.name;
        if (c.type.name == "bpchar")
            emit(stmt, "ban-char-type",
                 col + " is " + type_display(c.type) +
                     ": char(n) pads values with spaces and is never faster than text or varchar",
                 table.display);
        if (c.type.name == "timestamp")
            emit(stmt, "prefer-timestamptz",
                 col + " is timestamp without time zone: it stores wall-clock values whose meaning depends on the "
                       "writer's time zone",
                 table.display);
        if (is_small_integer(c.type) && (is_serial(c.type) || c.identity || c.primary || primary_key))
            emit(stmt, "prefer-bigint-over-int",
                 col + " is a " + type_display(c.type) + (c.primary || primary_key ? " key" : " identity") +
                     ": 32-bit ids run out at 2147483647 (16-bit at 32767), and changing the type later rewrites "
                     "the table",
                 table.display);
    }

    void remember_column(const relation_name& table, const column_spec& c) {
        know_.columns[table.key][c.name] = c.type;
        if (c.not_null || c.primary || c.identity) know_.not_null.insert({table.key, c.name});
    }

    void remember_index(const relation_name& table, const std::string& name, std::vector<std::string> columns,
                        bool partial) {
        index_fact f;
        f.key = index_key(table, name);
        f.table = table.key;
        f.table_display = table.display;
        f.columns = std::move(columns);
        f.partial = partial;
        know_.drop_index(f.key);
        created_indexes_.insert(f.key);
        know_.indexes.push_back(std::move(f));
    }

    static std::string constraint_index_name(const relation_name& table, const json& con, const std::string& suffix,
                                             const std::vector<std::string>& columns) {
        std::string name = text_of(con, "conname");
        if (!name.empty()) return name;
        name = table.name;
        if (suffix != "pkey")
            for (const std::string& c : columns) name += "_" + c;
        return name + "_" + suffix;
    }

    void create_table(int stmt, const json& body) {
        const relation_name table = relation_of(member(body, "relation"));
        if (table.empty()) return;
        know_.drop_table(table.key); // a re-created table starts afresh
        created_.insert(table.key);
        if (member(body, "partspec") != nullptr) know_.partitioned.insert(table.key);

        std::set<std::string> primary_columns;
        for_each_item(member(body, "tableElts"), [&](const json& elt) {
            const json* con = body_if(elt, "Constraint");
            if (con != nullptr && text_of(*con, "contype") == "CONSTR_PRIMARY")
                for (const std::string& k : string_list(member(*con, "keys"))) primary_columns.insert(k);
        });

        for_each_item(member(body, "tableElts"), [&](const json& elt) {
            if (const json* def = body_if(elt, "ColumnDef")) {
                const column_spec c = read_column(*def);
                remember_column(table, c);
                if (primary_columns.count(c.name) != 0) know_.not_null.insert({table.key, c.name});
                column_type_rules(stmt, table, c, primary_columns.count(c.name) != 0);
                if (c.primary) remember_index(table, table.name + "_pkey", {c.name}, false);
                if (c.unique) remember_index(table, table.name + "_" + c.name + "_key", {c.name}, false);
                for (const json* fk : c.foreign)
                    fks_.push_back({stmt, table, {c.name}, relation_of(member(*fk, "pktable")).display});
            } else if (const json* con = body_if(elt, "Constraint")) {
                table_constraint_facts(stmt, table, *con);
            }
        });
    }

    // Facts (indexes, NOT NULL, foreign keys) of a table-level constraint.
    void table_constraint_facts(int stmt, const relation_name& table, const json& con) {
        const std::string type = text_of(con, "contype");
        if (type == "CONSTR_PRIMARY" || type == "CONSTR_UNIQUE") {
            const std::vector<std::string> keys = string_list(member(con, "keys"));
            const std::string index_name = text_of(con, "indexname");
            if (!index_name.empty()) {
                // USING INDEX: the index exists already; PostgreSQL renames it to the constraint's name.
                const std::string conname = text_of(con, "conname");
                if (!conname.empty()) know_.rename_index(index_key(table, index_name), index_key(table, conname));
            } else if (!keys.empty()) {
                const bool primary = type == "CONSTR_PRIMARY";
                remember_index(table, constraint_index_name(table, con, primary ? "pkey" : "key", keys), keys, false);
            }
            if (type == "CONSTR_PRIMARY")
                for (const std::string& k : keys) know_.not_null.insert({table.key, k});
        } else if (type == "CONSTR_FOREIGN") {
            const std::vector<std::string> cols = string_list(member(con, "fk_attrs"));
            if (!cols.empty()) fks_.push_back({stmt, table, cols, relation_of(member(con, "pktable")).display});
        } else if (type == "CONSTR_CHECK") {
            const std::string column = not_null_check_column(member(con, "raw_expr"));
            const std::string conname = text_of(con, "conname");
            if (!column.empty()) {
                if (flag_of(con, "skip_validation")) {
                    if (!conname.empty()) know_.not_null_checks[{table.key, conname}] = column;
                } else {
                    know_.not_null.insert({table.key, column});
                }
            }
        }
    }

    void create_table_as(const json& body) {
        const json* into = member(body, "into");
        if (into == nullptr) return;
        const relation_name r = relation_of(member(*into, "rel"));
        if (r.empty()) return;
        know_.drop_table(r.key);
        created_.insert(r.key);
    }

    void select_into(const json& body) {
        if (const json* into = member(body, "intoClause")) {
            const relation_name r = relation_of(member(*into, "rel"));
            if (!r.empty()) {
                know_.drop_table(r.key);
                created_.insert(r.key);
            }
        }
    }

    void create_schema(int stmt, const json& body) {
        const std::string schema = text_of(body, "schemaname");
        for_each_item(member(body, "schemaElts"), [&](const json& elt) {
            const node_view v = unwrap(elt);
            if (!v) return;
            json copy = *v.body;
            // Elements without a schema belong to the new schema.
            for (const char* field : {"relation", "into"}) {
                auto it = copy.find(field);
                if (it == copy.end() || !it->is_object()) continue;
                json& rv = (std::string_view(field) == "into" && it->contains("rel")) ? (*it)["rel"] : *it;
                if (!schema.empty() && !rv.contains("schemaname")) rv["schemaname"] = schema;
            }
            statement(stmt, v.type, copy);
        });
    }

    void create_index(int stmt, const json& body) {
        const relation_name table = relation_of(member(body, "relation"));
        if (table.empty()) return;
        std::vector<std::string> columns;
        bool expression = false;
        for_each_item(member(body, "indexParams"), [&](const json& item) {
            const json* elem = body_if(item, "IndexElem");
            if (elem == nullptr || expression) return;
            const std::string name = text_of(*elem, "name");
            if (name.empty()) expression = true;
            else columns.push_back(name);
        });
        std::string name = text_of(body, "idxname");
        if (name.empty()) name = table.name + "_" + join(columns, "_") + "_idx";
        const bool partial = member(body, "whereClause") != nullptr;
        const bool unique = flag_of(body, "unique");
        const bool concurrent = flag_of(body, "concurrent");
        remember_index(table, name, columns, partial);

        const std::string what = std::string(unique ? "CREATE UNIQUE INDEX" : "CREATE INDEX") +
                                 (concurrent ? " CONCURRENTLY" : "") + " " +
                                 (text_of(body, "idxname").empty() ? std::string() : name + " ") + "ON " +
                                 table.display;
        if (concurrent) {
            non_transactional(stmt, what, table.display);
            return;
        }
        // ON ONLY parent creates an invalid index on the partitioned parent alone: no build.
        if (exempt(table) || table.only) return;
        std::string alternative;
        if (know_.partitioned.count(table.key) != 0)
            alternative = table.display +
                          " is partitioned, and CONCURRENTLY does not work on a partitioned table: CREATE INDEX … ON "
                          "ONLY " + table.display +
                          ", then CREATE INDEX CONCURRENTLY on each partition (in -- pgmig:no-transaction migrations) "
                          "and ALTER INDEX … ATTACH PARTITION each one";
        emit(stmt, "create-index-without-concurrently",
             what + " blocks every write to " + table.display + " (SHARE lock) until the index is built",
             table.display, std::nullopt, alternative);
    }

    // ---------------------------------------------------------------- DROP, TRUNCATE

    void drop(int stmt, const json& body) {
        const std::string type = text_of(body, "removeType");
        const bool cascade = text_of(body, "behavior") == "DROP_CASCADE";
        const bool concurrent = flag_of(body, "concurrent");
        for_each_item(member(body, "objects"), [&](const json& object) {
            std::vector<std::string> names;
            if (const json* list = body_if(object, "List")) names = string_list(member(*list, "items"));
            else if (body_if(object, "String") != nullptr) names.push_back(sval(object));
            if (names.empty()) return;
            if (type == "OBJECT_TABLE") {
                const relation_name table = relation_of_names(names);
                if (!exempt(table))
                    emit(stmt, "drop-table",
                         "DROP TABLE " + table.display + " deletes the table and every row in it" +
                             (cascade ? ", and CASCADE also drops the views and foreign keys that depend on it" : "") +
                             "; code still using it fails",
                         table.display);
                know_.drop_table(table.key);
                created_.erase(table.key);
                // Its foreign keys are gone with it.
                fks_.erase(std::remove_if(fks_.begin(), fks_.end(),
                                          [&](const fk_fact& fk) { return fk.table.key == table.key; }),
                           fks_.end());
            } else if (type == "OBJECT_SCHEMA") {
                emit(stmt, "drop-schema",
                     "DROP SCHEMA " + names.back() + " deletes the schema" +
                         (cascade ? " and, with CASCADE, every table and row in it" : "") +
                         "; code still using its objects fails");
            } else if (type == "OBJECT_INDEX") {
                const relation_name index = relation_of_names(names);
                const index_fact* known = know_.find_index(index.key);
                const std::string table = known != nullptr ? known->table_display : std::string();
                const bool new_here = created_indexes_.count(index.key) != 0 ||
                                      (known != nullptr && created_.count(known->table) != 0);
                if (concurrent)
                    non_transactional(stmt, "DROP INDEX CONCURRENTLY " + index.display, table);
                else if (!new_here)
                    emit(stmt, "drop-index-without-concurrently",
                         "DROP INDEX " + index.display + " takes an ACCESS EXCLUSIVE lock on " +
                             (table.empty() ? std::string("its table") : table) +
                             ": it waits for running queries and blocks every query on the table meanwhile",
                         table);
                know_.drop_index(index.key);
            }
        });
    }

    void drop_database(int stmt, const json& body) {
        const std::string name = text_of(body, "dbname");
        emit(stmt, "drop-database", "DROP DATABASE " + name + " deletes a whole database");
        non_transactional(stmt, "DROP DATABASE");
    }

    void truncate(int stmt, const json& body) {
        const bool cascade = text_of(body, "behavior") == "DROP_CASCADE";
        for_each_item(member(body, "relations"), [&](const json& item) {
            const relation_name table = relation_of(&item);
            if (table.empty() || exempt(table)) return;
            emit(stmt, "truncate",
                 "TRUNCATE " + table.display + " deletes every row" +
                     (cascade ? " (and, with CASCADE, every row of the tables referencing it)" : "") +
                     " under an ACCESS EXCLUSIVE lock",
                 table.display);
        });
    }

    // ---------------------------------------------------------------- ALTER TABLE

    void alter_table(int stmt, const json& body) {
        if (text_of(body, "objtype") != "OBJECT_TABLE") return;
        const relation_name table = relation_of(member(body, "relation"));
        if (table.empty()) return;
        for_each_item(member(body, "cmds"), [&](const json& item) {
            const json* cmd = body_if(item, "AlterTableCmd");
            if (cmd != nullptr) alter_table_cmd(stmt, table, *cmd);
        });
    }

    void alter_table_cmd(int stmt, const relation_name& table, const json& cmd) {
        const std::string sub = text_of(cmd, "subtype");
        const std::string name = text_of(cmd, "name");
        const json* def = member(cmd, "def");
        const bool is_new = exempt(table);
        const std::string col = table.display + "." + name;

        if (sub == "AT_AddColumn") {
            const json* column_def = def != nullptr ? body_if(*def, "ColumnDef") : nullptr;
            if (column_def != nullptr) add_column(stmt, table, read_column(*column_def), is_new);
        } else if (sub == "AT_DropColumn") {
            const bool cascade = text_of(cmd, "behavior") == "DROP_CASCADE";
            if (!is_new)
                emit(stmt, "drop-column",
                     "DROP COLUMN " + col + " deletes the column and its data" +
                         (cascade ? ", and CASCADE also drops the views, indexes and constraints that use it" : "") +
                         "; running code that still reads or writes it fails",
                     table.display, cascade ? std::optional<risk>(risk::critical) : std::nullopt);
            know_.drop_column(table.key, name);
        } else if (sub == "AT_SetNotNull") {
            if (!is_new && know_.not_null.count({table.key, name}) == 0)
                emit(stmt, "set-not-null",
                     "ALTER COLUMN " + col + " SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
                     table.display, std::nullopt,
                     "ADD CONSTRAINT " + table.name + "_" + name + "_not_null CHECK (" + name +
                         " IS NOT NULL) NOT VALID; then VALIDATE CONSTRAINT in a later migration; then SET NOT NULL "
                         "(PostgreSQL 12+ skips the scan) and DROP the CHECK constraint");
            know_.not_null.insert({table.key, name});
        } else if (sub == "AT_DropNotNull") {
            know_.not_null.erase({table.key, name});
        } else if (sub == "AT_AlterColumnType") {
            const json* column_def = def != nullptr ? body_if(*def, "ColumnDef") : nullptr;
            const type_info to = column_def != nullptr ? type_of(member(*column_def, "typeName")) : type_info{};
            const bool using_clause = column_def != nullptr && member(*column_def, "raw_default") != nullptr;
            type_info from;
            const auto t = know_.columns.find(table.key);
            if (t != know_.columns.end()) {
                const auto c = t->second.find(name);
                if (c != t->second.end()) from = c->second;
            }
            if (!is_new && (using_clause || !no_rewrite_type_change(from, to))) {
                std::string message = "ALTER COLUMN " + col + " TYPE " + type_display(to);
                if (from.known)
                    message += " (from " + type_display(from) + ") rewrites the table and rebuilds its indexes under "
                               "an ACCESS EXCLUSIVE lock";
                else
                    message += " rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock, unless "
                               "the change is binary-coercible (e.g. varchar(n) to text or to a longer varchar)";
                emit(stmt, "change-column-type", std::move(message), table.display);
            }
            if (to.known) know_.columns[table.key][name] = to;
        } else if (sub == "AT_AddConstraint") {
            const json* con = def != nullptr ? body_if(*def, "Constraint") : nullptr;
            if (con != nullptr) add_constraint(stmt, table, *con, is_new);
        } else if (sub == "AT_ValidateConstraint") {
            validate_constraint(stmt, table, name);
        } else if (sub == "AT_DropConstraint") {
            know_.drop_index(index_key(table, name));
            know_.not_null_checks.erase({table.key, name});
        } else if (sub == "AT_DetachPartition") {
            const json* part = def != nullptr ? body_if(*def, "PartitionCmd") : nullptr;
            if (part != nullptr && flag_of(*part, "concurrent"))
                non_transactional(stmt, "ALTER TABLE " + table.display + " DETACH PARTITION … CONCURRENTLY",
                                  table.display);
        }
    }

    void add_column(int stmt, const relation_name& table, const column_spec& c, bool is_new) {
        const std::string col = table.display + "." + c.name;
        column_type_rules(stmt, table, c, false);
        remember_column(table, c);
        if (c.primary) remember_index(table, table.name + "_pkey", {c.name}, false);
        if (c.unique) remember_index(table, table.name + "_" + c.name + "_key", {c.name}, false);
        for (const json* fk : c.foreign)
            fks_.push_back({stmt, table, {c.name}, relation_of(member(*fk, "pktable")).display});
        if (is_new) return;

        const bool serial = is_serial(c.type);
        if ((c.not_null || c.primary) && c.default_expr == nullptr && !c.identity && !c.generated && !serial)
            emit(stmt, "add-column-not-null-without-default",
                 "ADD COLUMN " + col + (c.primary ? " PRIMARY KEY (implies NOT NULL)" : " NOT NULL") +
                     " without a DEFAULT fails as soon as " + table.display + " has a row",
                 table.display);

        if (serial || c.identity) {
            emit(stmt, "add-column-volatile-default",
                 "ADD COLUMN " + col + (serial ? " " + c.type.name : std::string(" GENERATED … AS IDENTITY")) +
                     " fills every existing row from a sequence: the whole table is rewritten under an ACCESS "
                     "EXCLUSIVE lock",
                 table.display);
        } else if (c.default_expr != nullptr) {
            default_verdict verdict;
            classify_expression(*c.default_expr, verdict);
            if (verdict.level == volatility::volatile_call)
                emit(stmt, "add-column-volatile-default",
                     "ADD COLUMN " + col + " DEFAULT " + verdict.function +
                         "() is volatile: every existing row gets its own value, so the whole table is rewritten "
                         "under an ACCESS EXCLUSIVE lock (a constant or stable default such as now() is not)",
                     table.display);
            else if (verdict.level == volatility::unknown)
                emit(stmt, "add-column-volatile-default",
                     "ADD COLUMN " + col + " DEFAULT " + verdict.function +
                         "(): lint cannot tell whether " + verdict.function +
                         " is volatile (functions are VOLATILE unless declared otherwise); if it is, the whole table "
                         "is rewritten under an ACCESS EXCLUSIVE lock",
                     table.display, risk::medium);
        }
        if (c.generated)
            emit(stmt, "add-column-generated-stored",
                 "ADD COLUMN " + col + " GENERATED ALWAYS AS (…) STORED computes the value for every existing row: "
                                       "the whole table is rewritten under an ACCESS EXCLUSIVE lock",
                 table.display);
        if (c.primary)
            emit(stmt, "add-primary-key-without-index",
                 "ADD COLUMN " + col + " PRIMARY KEY builds the key's unique index under an ACCESS EXCLUSIVE lock",
                 table.display);
        else if (c.unique)
            emit(stmt, "add-unique-without-index",
                 "ADD COLUMN " + col + " UNIQUE builds the unique index under an ACCESS EXCLUSIVE lock", table.display);
        if (!c.checks.empty())
            emit(stmt, "add-check-without-not-valid",
                 "ADD COLUMN " + col + " with a CHECK constraint checks every row under an ACCESS EXCLUSIVE lock",
                 table.display);
        for (const json* fk : c.foreign)
            emit(stmt, "add-foreign-key-without-not-valid",
                 "ADD COLUMN " + col + " REFERENCES " + relation_of(member(*fk, "pktable")).display +
                     " validates every row of " + table.display + " while blocking writes to both tables",
                 table.display);
        if (c.exclusion)
            emit(stmt, "add-exclusion-constraint",
                 "ADD COLUMN " + col + " with an EXCLUDE constraint builds its index and checks every row under an "
                                       "ACCESS EXCLUSIVE lock",
                 table.display);
    }

    void add_constraint(int stmt, const relation_name& table, const json& con, bool is_new) {
        const std::string type = text_of(con, "contype");
        const std::string conname = text_of(con, "conname");
        const std::string named = conname.empty() ? std::string() : " " + conname;
        const bool not_valid = flag_of(con, "skip_validation");
        table_constraint_facts(stmt, table, con);
        if (not_valid && !conname.empty()) added_not_valid_[{table.key, conname}] = type;
        if (is_new) return;

        if (type == "CONSTR_CHECK" && !not_valid) {
            emit(stmt, "add-check-without-not-valid",
                 "ADD CONSTRAINT" + named + " CHECK on " + table.display +
                     " checks every row under an ACCESS EXCLUSIVE lock (reads and writes wait)",
                 table.display);
        } else if (type == "CONSTR_FOREIGN" && !not_valid) {
            const std::vector<std::string> cols = string_list(member(con, "fk_attrs"));
            emit(stmt, "add-foreign-key-without-not-valid",
                 "ADD CONSTRAINT" + named + " FOREIGN KEY " + table.display + "(" + join(cols) + ") REFERENCES " +
                     relation_of(member(con, "pktable")).display + " validates every row while blocking writes to " +
                     "both tables (SHARE ROW EXCLUSIVE)",
                 table.display);
        } else if (type == "CONSTR_UNIQUE" && text_of(con, "indexname").empty()) {
            emit(stmt, "add-unique-without-index",
                 "ADD CONSTRAINT" + named + " UNIQUE (" + join(string_list(member(con, "keys"))) + ") on " +
                     table.display + " builds its unique index under an ACCESS EXCLUSIVE lock",
                 table.display);
        } else if (type == "CONSTR_PRIMARY" && text_of(con, "indexname").empty()) {
            emit(stmt, "add-primary-key-without-index",
                 "ADD CONSTRAINT" + named + " PRIMARY KEY (" + join(string_list(member(con, "keys"))) + ") on " +
                     table.display + " builds its unique index under an ACCESS EXCLUSIVE lock",
                 table.display);
        } else if (type == "CONSTR_EXCLUSION") {
            emit(stmt, "add-exclusion-constraint",
                 "ADD CONSTRAINT" + named + " EXCLUDE on " + table.display +
                     " builds its index and checks every row under an ACCESS EXCLUSIVE lock",
                 table.display);
        }
    }

    void validate_constraint(int stmt, const relation_name& table, const std::string& conname) {
        const auto check = know_.not_null_checks.find({table.key, conname});
        if (check != know_.not_null_checks.end()) {
            know_.not_null.insert({table.key, check->second});
            know_.not_null_checks.erase(check);
        }
        // Validating in the transaction that added the constraint keeps the ADD's lock during the scan.
        const auto added = added_not_valid_.find({table.key, conname});
        if (added == added_not_valid_.end() || in_.no_transaction || exempt(table)) return;
        const bool foreign = added->second == "CONSTR_FOREIGN";
        if (added->second != "CONSTR_CHECK" && !foreign) return;
        emit(stmt, foreign ? "add-foreign-key-without-not-valid" : "add-check-without-not-valid",
             "VALIDATE CONSTRAINT " + conname + " on " + table.display +
                 " runs in the same transaction that added it NOT VALID: the ADD's " +
                 (foreign ? "SHARE ROW EXCLUSIVE" : "ACCESS EXCLUSIVE") +
                 " lock is still held during the validation scan, so NOT VALID gains nothing",
             table.display, std::nullopt,
             "Move VALIDATE CONSTRAINT " + conname + " to a later migration");
    }

    // ---------------------------------------------------------------- renames

    void rename(int stmt, const json& body) {
        const std::string type = text_of(body, "renameType");
        const relation_name table = relation_of(member(body, "relation"));
        const std::string to = text_of(body, "newname");
        if (type == "OBJECT_COLUMN" && text_of(body, "relationType") == "OBJECT_TABLE") {
            const std::string from = text_of(body, "subname");
            if (!exempt(table))
                emit(stmt, "rename-column",
                     "RENAME COLUMN " + table.display + "." + from + " TO " + to +
                         " breaks every running query that still uses " + from +
                         " (old application instances keep running during a deploy)",
                     table.display);
            know_.rename_column(table.key, from, to);
        } else if (type == "OBJECT_TABLE") {
            const relation_name renamed = make_relation(table.schema, to);
            if (!exempt(table))
                emit(stmt, "rename-table",
                     "RENAME TABLE " + table.display + " TO " + to + " breaks every running query that still uses " +
                         table.display + " (old application instances keep running during a deploy)",
                     table.display);
            if (created_.erase(table.key) != 0) created_.insert(renamed.key);
            know_.rename_table(table.key, renamed.key, renamed.display);
        } else if (type == "OBJECT_INDEX") {
            know_.rename_index(table.key, make_relation(table.schema, to).key);
        }
    }

    void set_schema(int stmt, const json& body) {
        if (text_of(body, "objectType") != "OBJECT_TABLE") return;
        const relation_name table = relation_of(member(body, "relation"));
        const relation_name moved = make_relation(text_of(body, "newschema"), table.name);
        if (!exempt(table))
            emit(stmt, "rename-table",
                 "ALTER TABLE " + table.display + " SET SCHEMA " + moved.schema +
                     " moves the table: every running query that names it as " + table.display + " breaks",
                 table.display);
        if (created_.erase(table.key) != 0) created_.insert(moved.key);
        know_.rename_table(table.key, moved.key, moved.display);
    }

    // ---------------------------------------------------------------- DML

    // Calls f for the statement itself when it is of `wanted` type, and for every nested node of that type.
    template <typename F> static void each_dml(std::string_view type, const json& body, std::string_view wanted, F&& f) {
        if (type == wanted) f(body);
        walk_nodes(body, wanted, f);
    }

    void dml(int stmt, std::string_view type, const json& body) {
        // Only statements that execute their DML now: not the bodies of rules,
        // functions (BEGIN ATOMIC) or prepared statements.
        if (type != "UpdateStmt" && type != "DeleteStmt" && type != "InsertStmt" && type != "SelectStmt" &&
            type != "CreateTableAsStmt" && type != "CopyStmt")
            return;
        each_dml(type, body, "UpdateStmt", [&](const json& update) {
            if (member(update, "whereClause") != nullptr) return;
            const relation_name table = relation_of(member(update, "relation"));
            if (table.empty() || exempt(table)) return;
            emit(stmt, "update-without-where",
                 "UPDATE " + table.display +
                     " without WHERE changes every row in one transaction: all rows stay locked until commit and "
                     "the table doubles in size until vacuumed",
                 table.display);
        });
        each_dml(type, body, "DeleteStmt", [&](const json& del) {
            if (member(del, "whereClause") != nullptr) return;
            const relation_name table = relation_of(member(del, "relation"));
            if (table.empty() || exempt(table)) return;
            emit(stmt, "delete-without-where", "DELETE FROM " + table.display + " without WHERE deletes every row",
                 table.display);
        });
    }

    // ---------------------------------------------------------------- transactions, maintenance

    void transaction(int stmt, const json& body) {
        if (in_.no_transaction) return;
        static const std::map<std::string, std::string> names = {
            {"TRANS_STMT_BEGIN", "BEGIN"},
            {"TRANS_STMT_START", "START TRANSACTION"},
            {"TRANS_STMT_COMMIT", "COMMIT"},
            {"TRANS_STMT_ROLLBACK", "ROLLBACK"},
            {"TRANS_STMT_SAVEPOINT", "SAVEPOINT"},
            {"TRANS_STMT_RELEASE", "RELEASE SAVEPOINT"},
            {"TRANS_STMT_ROLLBACK_TO", "ROLLBACK TO SAVEPOINT"},
            {"TRANS_STMT_PREPARE", "PREPARE TRANSACTION"},
            {"TRANS_STMT_COMMIT_PREPARED", "COMMIT PREPARED"},
            {"TRANS_STMT_ROLLBACK_PREPARED", "ROLLBACK PREPARED"}};
        const std::string kind = text_of(body, "kind");
        const auto it = names.find(kind);
        const std::string what = it != names.end() ? it->second : kind;
        if (kind == "TRANS_STMT_SAVEPOINT" || kind == "TRANS_STMT_RELEASE" || kind == "TRANS_STMT_ROLLBACK_TO") {
            emit(stmt, "transaction-control-in-transaction",
                 what + " inside pgmig's transaction: it runs, but ROLLBACK TO SAVEPOINT silently discards part of "
                        "the migration while the migration is still recorded as applied",
                 {}, risk::medium,
                 "Remove the savepoint handling: let a failing statement fail the whole migration");
            return;
        }
        std::string message;
        if (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START")
            message = what + " inside pgmig's transaction: the COMMIT that goes with it ends pgmig's transaction "
                             "early, so the migration is no longer atomic";
        else if (kind == "TRANS_STMT_COMMIT_PREPARED" || kind == "TRANS_STMT_ROLLBACK_PREPARED")
            message = what + " cannot run inside a transaction block: the migration fails";
        else
            message = what + " inside pgmig's transaction ends it early: the statements after it run outside any "
                             "transaction and the history row no longer commits with the migration";
        emit(stmt, "transaction-control-in-transaction", std::move(message));
    }

    void vacuum(int stmt, const json& body) {
        if (!flag_of(body, "is_vacuumcmd")) return; // ANALYZE alone is fine in a transaction
        const bool full = option_flag(member(body, "options"), "full").value_or(false);
        non_transactional(stmt, full ? "VACUUM FULL" : "VACUUM");
        if (!full) return;
        bool any = false;
        for_each_item(member(body, "rels"), [&](const json& item) {
            const json* vr = body_if(item, "VacuumRelation");
            if (vr == nullptr) return;
            const relation_name table = relation_of(member(*vr, "relation"));
            any = true;
            if (table.empty() || exempt(table)) return;
            emit(stmt, "vacuum-full",
                 "VACUUM FULL " + table.display +
                     " rewrites the table and its indexes under an ACCESS EXCLUSIVE lock (reads and writes wait)",
                 table.display);
        });
        if (!any)
            emit(stmt, "vacuum-full",
                 "VACUUM FULL rewrites every table of the database, each under an ACCESS EXCLUSIVE lock");
    }

    void cluster(int stmt, const json& body) {
        const relation_name table = relation_of(member(body, "relation"));
        if (table.empty()) {
            non_transactional(stmt, "CLUSTER without a table");
            emit(stmt, "cluster", "CLUSTER rewrites every clustered table, each under an ACCESS EXCLUSIVE lock");
            return;
        }
        if (exempt(table)) return;
        emit(stmt, "cluster",
             "CLUSTER " + table.display + " rewrites the table and its indexes under an ACCESS EXCLUSIVE lock",
             table.display);
    }

    void reindex(int stmt, const json& body) {
        const std::string kind = text_of(body, "kind");
        const bool concurrent = option_flag(member(body, "params"), "concurrently").value_or(false);
        const relation_name target = relation_of(member(body, "relation"));
        std::string table_display;
        std::string table_key;
        std::string what;
        if (kind == "REINDEX_OBJECT_INDEX") {
            const index_fact* known = know_.find_index(target.key);
            if (known != nullptr) {
                table_display = known->table_display;
                table_key = known->table;
            }
            what = "REINDEX INDEX " + target.display;
        } else if (kind == "REINDEX_OBJECT_TABLE") {
            table_display = target.display;
            table_key = target.key;
            what = "REINDEX TABLE " + target.display;
        } else {
            what = kind == "REINDEX_OBJECT_SCHEMA"   ? "REINDEX SCHEMA"
                   : kind == "REINDEX_OBJECT_SYSTEM" ? "REINDEX SYSTEM"
                                                     : "REINDEX DATABASE";
            const std::string name = text_of(body, "name");
            if (!name.empty()) what += " " + name;
        }
        if (concurrent || kind == "REINDEX_OBJECT_SYSTEM" || kind == "REINDEX_OBJECT_DATABASE")
            non_transactional(stmt, what + (concurrent ? " CONCURRENTLY" : ""), table_display);
        if (concurrent) return;
        if (!table_key.empty() && created_.count(table_key) != 0) return;
        if (kind == "REINDEX_OBJECT_INDEX" && created_indexes_.count(target.key) != 0) return;
        emit(stmt, "reindex-without-concurrently",
             what + " blocks writes to " + (table_display.empty() ? std::string("the tables") : table_display) +
                 " and every query whose plan could use the rebuilt indexes until it finishes",
             table_display);
    }

    void refresh(int stmt, const json& body) {
        if (flag_of(body, "concurrent")) return;
        const relation_name view = relation_of(member(body, "relation"));
        if (view.empty() || exempt(view)) return;
        emit(stmt, "refresh-materialized-view-without-concurrently",
             "REFRESH MATERIALIZED VIEW " + view.display + " blocks every read of " + view.display +
                 " (ACCESS EXCLUSIVE) until the refresh ends",
             view.display);
    }

    void create_subscription(int stmt, const json& body) {
        const json* options = member(body, "options");
        if (!option_flag(options, "connect").value_or(true) || !option_flag(options, "create_slot").value_or(true))
            return;
        non_transactional(stmt, "CREATE SUBSCRIPTION (creating a replication slot)");
    }

    void alter_database(int stmt, const json& body) {
        bool tablespace = false;
        for_each_item(member(body, "options"), [&](const json& item) {
            const json* def = body_if(item, "DefElem");
            if (def != nullptr && text_of(*def, "defname") == "tablespace") tablespace = true;
        });
        if (tablespace) non_transactional(stmt, "ALTER DATABASE … SET TABLESPACE");
    }

    // ---------------------------------------------------------------- section end

    void check_foreign_key_indexes() {
        for (const fk_fact& fk : fks_) {
            bool covered = false;
            for (const index_fact& ix : know_.indexes) {
                if (ix.table != fk.table.key || ix.partial || ix.columns.size() < fk.columns.size()) continue;
                std::vector<std::string> leading(ix.columns.begin(),
                                                 ix.columns.begin() + static_cast<std::ptrdiff_t>(fk.columns.size()));
                std::vector<std::string> wanted = fk.columns;
                std::sort(leading.begin(), leading.end());
                std::sort(wanted.begin(), wanted.end());
                if (leading == wanted) {
                    covered = true;
                    break;
                }
            }
            if (covered) continue;
            const std::string cols = fk.table.display + "(" + join(fk.columns) + ")";
            emit(fk.stmt, "foreign-key-without-index",
                 "foreign key " + cols + " REFERENCES " + fk.referenced + " has no index on " + cols +
                     " (none created by this migration" + std::string(in_.down ? "" : " or an earlier one in the set") +
                     "): every DELETE or key UPDATE on " + fk.referenced + " scans " + fk.table.display,
                 fk.table.display, std::nullopt,
                 "CREATE INDEX CONCURRENTLY ON " + cols +
                     " (in a -- pgmig:no-transaction migration), or in the same migration when the table is new");
        }
    }

    void apply_suppressions(const std::vector<allow_directive>& directives) {
        // Validate the directives.
        std::vector<bool> valid(directives.size(), true);
        for (std::size_t d = 0; d < directives.size(); ++d) {
            const allow_directive& dir = directives[d];
            if (dir.rules.empty() || dir.reason.empty()) {
                valid[d] = false;
                emit_unattached("suppression-without-reason", dir.line, dir.comment,
                                std::string(dir.rules.empty() ? "suppression names no rule and gives no reason"
                                                              : "suppression of " + join(dir.rules) +
                                                                    " gives no reason") +
                                    ", so it suppresses nothing; write -- pgmig:allow <rule-id> <why this is safe>");
            }
            for (const std::string& id : dir.rules)
                if (id != "all" && find_lint_rule(id) == nullptr)
                    emit_unattached("suppression-unknown-rule", dir.line, dir.comment,
                                    "suppression names the unknown rule '" + id +
                                        "', so it suppresses nothing for it; docs/lint-rules.md lists the rule ids");
        }
        // Attach each directive to statements: those on whose lines it is, else the next one.
        std::vector<std::vector<std::size_t>> by_statement(stmts_.size());
        for (std::size_t d = 0; d < directives.size(); ++d) {
            if (!valid[d]) continue;
            bool attached = false;
            for (std::size_t s = 0; s < stmts_.size(); ++s) {
                if (directives[d].line >= stmts_[s].first_line && directives[d].line <= stmts_[s].last_line) {
                    by_statement[s].push_back(d);
                    attached = true;
                }
            }
            if (attached) continue;
            for (std::size_t s = 0; s < stmts_.size(); ++s) {
                if (stmts_[s].begin > directives[d].pos) {
                    by_statement[s].push_back(d);
                    break;
                }
            }
        }
        for (pending& p : out_) {
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

    const section_input& in_;
    const std::set<std::string>& disabled_;
    knowledge& know_;
    sql_text text_;
    std::vector<parsed_statement> stmts_;
    std::set<std::string> created_;         ///< tables created in this section
    std::set<std::string> created_indexes_; ///< indexes created in this section
    std::map<std::pair<std::string, std::string>, std::string> added_not_valid_; ///< (table, constraint) → contype
    std::vector<fk_fact> fks_;
    std::vector<pending> out_;
};

} // namespace

// ------------------------------------------------------------------ knowledge

void knowledge::drop_table(const std::string& table) {
    indexes.erase(std::remove_if(indexes.begin(), indexes.end(), [&](const index_fact& i) { return i.table == table; }),
                  indexes.end());
    partitioned.erase(table);
    columns.erase(table);
    for (auto it = not_null.begin(); it != not_null.end();) it = it->first == table ? not_null.erase(it) : std::next(it);
    for (auto it = not_null_checks.begin(); it != not_null_checks.end();)
        it = it->first.first == table ? not_null_checks.erase(it) : std::next(it);
}

void knowledge::rename_table(const std::string& from, const std::string& to, const std::string& to_display) {
    if (from == to) return;
    drop_table(to);
    for (index_fact& i : indexes)
        if (i.table == from) {
            i.table = to;
            i.table_display = to_display;
        }
    if (partitioned.erase(from) != 0) partitioned.insert(to);
    const auto cols = columns.find(from);
    if (cols != columns.end()) {
        auto moved = std::move(cols->second);
        columns.erase(cols);
        columns[to] = std::move(moved);
    }
    std::set<std::pair<std::string, std::string>> nn;
    for (const auto& p : not_null) nn.insert(p.first == from ? std::make_pair(to, p.second) : p);
    not_null = std::move(nn);
    std::map<std::pair<std::string, std::string>, std::string> checks;
    for (const auto& c : not_null_checks)
        checks[c.first.first == from ? std::make_pair(to, c.first.second) : c.first] = c.second;
    not_null_checks = std::move(checks);
}

void knowledge::drop_column(const std::string& table, const std::string& column) {
    // PostgreSQL drops the indexes that use the column.
    indexes.erase(std::remove_if(indexes.begin(), indexes.end(),
                                 [&](const index_fact& i) {
                                     return i.table == table &&
                                            std::find(i.columns.begin(), i.columns.end(), column) != i.columns.end();
                                 }),
                  indexes.end());
    const auto cols = columns.find(table);
    if (cols != columns.end()) cols->second.erase(column);
    not_null.erase({table, column});
}

void knowledge::rename_column(const std::string& table, const std::string& from, const std::string& to) {
    for (index_fact& i : indexes)
        if (i.table == table)
            for (std::string& c : i.columns)
                if (c == from) c = to;
    const auto cols = columns.find(table);
    if (cols != columns.end()) {
        const auto c = cols->second.find(from);
        if (c != cols->second.end()) {
            type_info t = c->second;
            cols->second.erase(c);
            cols->second[to] = t;
        }
    }
    if (not_null.erase({table, from}) != 0) not_null.insert({table, to});
    for (auto& c : not_null_checks)
        if (c.first.first == table && c.second == from) c.second = to;
}

void knowledge::drop_index(const std::string& key) {
    indexes.erase(
        std::remove_if(indexes.begin(), indexes.end(), [&](const index_fact& i) { return i.key == key; }),
        indexes.end());
}

void knowledge::rename_index(const std::string& from, const std::string& to) {
    for (index_fact& i : indexes)
        if (i.key == from) i.key = to;
}

const index_fact* knowledge::find_index(const std::string& key) const {
    for (const index_fact& i : indexes)
        if (i.key == key) return &i;
    return nullptr;
}

// ------------------------------------------------------------------ entry points

lint_finding make_finding(std::string_view rule, const migration& m, bool down, const std::string& file, int line) {
    lint_finding f;
    f.rule_id = std::string(rule);
    if (const lint_rule* r = find_lint_rule(rule)) {
        f.level = r->level;
        f.safe_alternative = r->safe_alternative;
    }
    f.version = m.version;
    f.file = file;
    f.line = line;
    f.down = down;
    return f;
}

section_result lint_section(const section_input& input, const std::set<std::string>& disabled, knowledge& know) {
    section_linter linter(input, disabled, know);
    return linter.run();
}

} // namespace pgmig::lint_detail
