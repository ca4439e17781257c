// pgmig — lint rules on how statements name tables.
#include "lint/rules_naming.hpp"

#include <string>
#include <vector>

namespace pgmig::detail::lint {
namespace {

void unqualified(section_context& ctx, int stmt, const std::string& what, const json* range_var) {
    if (range_var == nullptr) return;
    const json* rv = range_var;
    if (const json* inner = body_if(*range_var, "RangeVar")) rv = inner;
    if (text_of(*rv, "relpersistence") == "t") return; // TEMP: always pg_temp
    const relation_name table = relation_of(rv);
    if (table.empty() || !table.schema.empty()) return;
    ctx.emit(ctx.at(stmt, rv), rule::require_table_schema,
             what + " " + table.name + " names the table without a schema: which table it is depends on the "
                                       "search_path of the session that runs the migration",
             table.display, std::nullopt,
             "Write the schema: " + what + " public." + table.name + " (or the schema the table belongs to)");
}

} // namespace

void require_table_schema(section_context& ctx, int stmt, std::string_view type, const json& body) {
    if (type == "CreateStmt") {
        unqualified(ctx, stmt, "CREATE TABLE", member(body, "relation"));
    } else if (type == "CreateTableAsStmt") {
        if (const json* into = member(body, "into"))
            unqualified(ctx, stmt,
                        text_of(body, "objtype") == "OBJECT_MATVIEW" ? "CREATE MATERIALIZED VIEW" : "CREATE TABLE",
                        member(*into, "rel"));
    } else if (type == "SelectStmt") {
        if (const json* into = member(body, "intoClause")) unqualified(ctx, stmt, "SELECT INTO", member(*into, "rel"));
    } else if (type == "AlterTableStmt") {
        if (text_of(body, "objtype") == "OBJECT_TABLE") unqualified(ctx, stmt, "ALTER TABLE", member(body, "relation"));
    } else if (type == "IndexStmt") {
        unqualified(ctx, stmt, "CREATE INDEX … ON", member(body, "relation"));
    } else if (type == "TruncateStmt") {
        for_each_item(member(body, "relations"), [&](const json& item) { unqualified(ctx, stmt, "TRUNCATE", &item); });
    } else if (type == "RenameStmt") {
        const std::string rename = text_of(body, "renameType");
        if (rename == "OBJECT_TABLE" ||
            (rename == "OBJECT_COLUMN" && text_of(body, "relationType") == "OBJECT_TABLE"))
            unqualified(ctx, stmt, "ALTER TABLE", member(body, "relation"));
    } else if (type == "DropStmt" && text_of(body, "removeType") == "OBJECT_TABLE") {
        for_each_item(member(body, "objects"), [&](const json& object) {
            const json* list = body_if(object, "List");
            const std::vector<std::string> names = string_list(list != nullptr ? member(*list, "items") : nullptr);
            if (names.size() != 1) return;
            ctx.emit(ctx.at(stmt, "{}", names.front()), rule::require_table_schema,
                     "DROP TABLE " + names.front() +
                         " names the table without a schema: which table it drops depends on the search_path of "
                         "the session that runs the migration",
                     names.front(), std::nullopt, "Write the schema: DROP TABLE public." + names.front());
        });
    }
}

} // namespace pgmig::detail::lint
