// pgmig — lint: statements that create tables.
#include "lint/rules_create_table.hpp"

#include "lint/rules_column_types.hpp"
#include "lint/rules_constraints.hpp"
#include "lint/section.hpp"

#include <set>

namespace pgmig::detail::lint {
namespace {

void new_table(section_context& ctx, const relation_name& table) {
    ctx.know.drop_table(table.key); // a re-created table starts afresh
    ctx.created.insert(table.key);
    ctx.know.created_by["table:" + table.key] = ctx.in.m->version;
}

} // namespace

void create_table(section_context& ctx, int stmt, const json& body) {
    const relation_name table = relation_of(member(body, "relation"));
    if (table.empty()) return;
    new_table(ctx, table);
    if (member(body, "partspec") != nullptr) ctx.know.partitioned.insert(table.key);

    std::set<std::string> primary_columns;
    for_each_item(member(body, "tableElts"), [&](const json& elt) {
        const json* con = body_if(elt, "Constraint");
        if (con != nullptr && text_of(*con, "contype") == "CONSTR_PRIMARY")
            for (const std::string& k : string_list(member(*con, "keys"))) primary_columns.insert(k);
    });

    for_each_item(member(body, "tableElts"), [&](const json& elt) {
        if (const json* def = body_if(elt, "ColumnDef")) {
            const column_spec c = read_column(*def);
            ctx.remember_column(table, c);
            if (primary_columns.count(c.name) != 0) ctx.know.not_null.insert({table.key, c.name});
            column_type_rules(ctx, stmt, table, c, primary_columns.count(c.name) != 0);
            if (c.primary) ctx.remember_index(table, table.name + "_pkey", {c.name}, false);
            if (c.unique) ctx.remember_index(table, table.name + "_" + c.name + "_key", {c.name}, false);
            for (const json* fk : c.foreign)
                ctx.foreign_keys.push_back({ctx.at(stmt, fk), table, {c.name}, relation_of(member(*fk, "pktable")).display});
        } else if (const json* con = body_if(elt, "Constraint")) {
            table_constraint_facts(ctx, stmt, table, *con);
        }
    });
}

void create_table_as(section_context& ctx, int, const json& body) {
    const json* into = member(body, "into");
    if (into == nullptr) return;
    const relation_name r = relation_of(member(*into, "rel"));
    if (!r.empty()) new_table(ctx, r);
}

void select_into(section_context& ctx, int, const json& body) {
    const json* into = member(body, "intoClause");
    if (into == nullptr) return;
    const relation_name r = relation_of(member(*into, "rel"));
    if (!r.empty()) new_table(ctx, r);
}

void create_schema(section_context& ctx, int stmt, const json& body) {
    const std::string schema = text_of(body, "schemaname");
    if (!schema.empty()) ctx.know.created_by["schema:" + schema] = ctx.in.m->version;
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
        lint_statement(ctx, stmt, v.type, copy);
    });
}

} // namespace pgmig::detail::lint
