// pgmig — lint rules on renames.
#include "lint/rules_rename.hpp"

namespace pgmig::detail::lint {

void rename(section_context& ctx, int stmt, const json& body) {
    const std::string type = text_of(body, "renameType");
    const relation_name table = relation_of(member(body, "relation"));
    const std::string to = text_of(body, "newname");
    if (type == "OBJECT_COLUMN" && text_of(body, "relationType") == "OBJECT_TABLE") {
        const std::string from = text_of(body, "subname");
        if (!ctx.exempt(table))
            ctx.emit(ctx.at(stmt, "rename column? {}", from), rule::rename_column,
                     "RENAME COLUMN " + table.display + "." + from + " TO " + to +
                         " breaks every running query that still uses " + from +
                         " (old application instances keep running during a deploy)",
                     table.display);
        ctx.know.rename_column(table.key, from, to);
    } else if (type == "OBJECT_TABLE") {
        const relation_name renamed = make_relation(table.schema, to);
        if (!ctx.exempt(table))
            ctx.emit(ctx.at(stmt, "rename to"), rule::rename_table,
                     "RENAME TABLE " + table.display + " TO " + to + " breaks every running query that still uses " +
                         table.display + " (old application instances keep running during a deploy)",
                     table.display);
        if (ctx.created.erase(table.key) != 0) ctx.created.insert(renamed.key);
        ctx.know.rename_table(table.key, renamed.key, renamed.display);
    } else if (type == "OBJECT_INDEX") {
        ctx.know.rename_index(table.key, make_relation(table.schema, to).key);
    }
}

void set_schema(section_context& ctx, int stmt, const json& body) {
    if (text_of(body, "objectType") != "OBJECT_TABLE") return;
    const relation_name table = relation_of(member(body, "relation"));
    const relation_name moved = make_relation(text_of(body, "newschema"), table.name);
    if (!ctx.exempt(table))
        ctx.emit(ctx.at(stmt, "set schema"), rule::rename_table,
                 "ALTER TABLE " + table.display + " SET SCHEMA " + moved.schema +
                     " moves the table: every running query that names it as " + table.display + " breaks",
                 table.display);
    if (ctx.created.erase(table.key) != 0) ctx.created.insert(moved.key);
    ctx.know.rename_table(table.key, moved.key, moved.display);
}

} // namespace pgmig::detail::lint
