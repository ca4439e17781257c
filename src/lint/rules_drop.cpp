// pgmig — lint rules on statements that delete data.
#include "lint/rules_drop.hpp"

#include "lint/rules_index.hpp"

#include <algorithm>

namespace pgmig::detail::lint {

void drop_objects(section_context& ctx, int stmt, const json& body) {
    const std::string type = text_of(body, "removeType");
    const bool cascade = text_of(body, "behavior") == "DROP_CASCADE";
    const bool concurrent = flag_of(body, "concurrent");
    for_each_item(member(body, "objects"), [&](const json& object) {
        std::vector<std::string> names;
        if (const json* list = body_if(object, "List")) names = string_list(member(*list, "items"));
        else if (body_if(object, "String") != nullptr) names.push_back(sval(object));
        else if (const json* func = body_if(object, "ObjectWithArgs")) names = string_list(member(*func, "objname"));
        else if (const json* type_name = body_if(object, "TypeName")) names = string_list(member(*type_name, "names"));
        if (names.empty()) return;
        if (type == "OBJECT_TABLE") {
            const relation_name table = relation_of_names(names);
            if (!ctx.exempt(table))
                ctx.emit(ctx.at(stmt, table.schema.empty() ? "{}" : "* . {}", table.name), rule::drop_table,
                         "DROP TABLE " + table.display + " deletes the table and every row in it" +
                             (cascade ? ", and CASCADE also drops the views and foreign keys that depend on it" : "") +
                             "; code still using it fails",
                         table.display);
            ctx.know.drop_table(table.key);
            ctx.created.erase(table.key);
            // Its foreign keys are gone with it.
            ctx.foreign_keys.erase(std::remove_if(ctx.foreign_keys.begin(), ctx.foreign_keys.end(),
                                                  [&](const fk_fact& fk) { return fk.table.key == table.key; }),
                                   ctx.foreign_keys.end());
        } else if (type == "OBJECT_SCHEMA") {
            lint_finding* f = ctx.emit(ctx.at(stmt, "{}", names.back()), rule::drop_schema,
                                       "DROP SCHEMA " + names.back() + " deletes the schema" +
                                           (cascade ? " and, with CASCADE, every table and row in it" : "") +
                                           "; code still using its objects fails");
            if (f != nullptr) f->created_by = ctx.know.creator("schema", names.back());
            ctx.know.created_by.erase("schema:" + names.back());
        } else if (type == "OBJECT_INDEX") {
            drop_index(ctx, stmt, names, concurrent);
        } else if (type == "OBJECT_FUNCTION") {
            ctx.know.functions.erase(relation_of_names(names).key);
        } else if (type == "OBJECT_TYPE" || type == "OBJECT_DOMAIN") {
            ctx.know.created_by.erase("type:" + relation_of_names(names).key);
        }
    });
}

void drop_database(section_context& ctx, int stmt, const json& body) {
    const std::string name = text_of(body, "dbname");
    ctx.emit(stmt, rule::drop_database, "DROP DATABASE " + name + " deletes a whole database");
}

void truncate_tables(section_context& ctx, int stmt, const json& body) {
    const bool cascade = text_of(body, "behavior") == "DROP_CASCADE";
    for_each_item(member(body, "relations"), [&](const json& item) {
        const relation_name table = relation_of(&item);
        if (table.empty() || ctx.exempt(table)) return;
        ctx.emit(ctx.at(stmt, &item), rule::truncate,
                 "TRUNCATE " + table.display + " deletes every row" +
                     (cascade ? " (and, with CASCADE, every row of the tables referencing it)" : "") +
                     " under an ACCESS EXCLUSIVE lock",
                 table.display);
    });
}

void drop_column(section_context& ctx, int stmt, const relation_name& table, const json& cmd, bool is_new) {
    const std::string name = text_of(cmd, "name");
    const bool cascade = text_of(cmd, "behavior") == "DROP_CASCADE";
    if (!is_new)
        ctx.emit(ctx.at(stmt, "drop column? if? exists? {}", name), rule::drop_column,
                 "DROP COLUMN " + table.display + "." + name + " deletes the column and its data" +
                     (cascade ? ", and CASCADE also drops the views, indexes and constraints that use it" : "") +
                     "; running code that still reads or writes it fails",
                 table.display, cascade ? std::optional<risk>(risk::critical) : std::nullopt);
    ctx.know.drop_column(table.key, name);
}

} // namespace pgmig::detail::lint
