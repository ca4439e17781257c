// pgmig — lint rules on statements that delete data.
#include "lint/rules_drop.hpp"

#include "lint/rules_index.hpp"

#include <algorithm>

namespace pgmig::lint_detail {

void drop_objects(section_context& ctx, int stmt, const json& body) {
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
            if (!ctx.exempt(table))
                ctx.emit(stmt, rule::drop_table,
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
            ctx.emit(stmt, rule::drop_schema,
                     "DROP SCHEMA " + names.back() + " deletes the schema" +
                         (cascade ? " and, with CASCADE, every table and row in it" : "") +
                         "; code still using its objects fails");
        } else if (type == "OBJECT_INDEX") {
            drop_index(ctx, stmt, names, concurrent);
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
        ctx.emit(stmt, rule::truncate,
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
        ctx.emit(stmt, rule::drop_column,
                 "DROP COLUMN " + table.display + "." + name + " deletes the column and its data" +
                     (cascade ? ", and CASCADE also drops the views, indexes and constraints that use it" : "") +
                     "; running code that still reads or writes it fails",
                 table.display, cascade ? std::optional<risk>(risk::critical) : std::nullopt);
    ctx.know.drop_column(table.key, name);
}

} // namespace pgmig::lint_detail
