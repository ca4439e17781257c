// pgmig — lint rules on indexes.
#include "lint/rules_index.hpp"

#include "lint/rules_transaction.hpp"

namespace pgmig::detail::lint {

void create_index(section_context& ctx, int stmt, const json& body) {
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
    ctx.remember_index(table, name, columns, partial);

    const std::string what = std::string(unique ? "CREATE UNIQUE INDEX" : "CREATE INDEX") +
                             (concurrent ? " CONCURRENTLY" : "") + " " +
                             (text_of(body, "idxname").empty() ? std::string() : name + " ") + "ON " + table.display;
    non_transactional(ctx, stmt, what, table.display);
    if (concurrent) return;
    // ON ONLY parent creates an invalid index on the partitioned parent alone: no build.
    if (ctx.exempt(table) || table.only) return;
    std::string alternative;
    if (ctx.know.partitioned.count(table.key) != 0)
        alternative = table.display +
                      " is partitioned, and CONCURRENTLY does not work on a partitioned table: CREATE INDEX … ON "
                      "ONLY " + table.display +
                      ", then CREATE INDEX CONCURRENTLY on each partition (in -- pgmig:no-transaction migrations) "
                      "and ALTER INDEX … ATTACH PARTITION each one";
    ctx.emit(stmt, rule::create_index_without_concurrently,
             what + " blocks every write to " + table.display + " (SHARE lock) until the index is built",
             table.display, std::nullopt, alternative);
}

void drop_index(section_context& ctx, int stmt, const std::vector<std::string>& names, bool concurrent) {
    const relation_name index = relation_of_names(names);
    const index_fact* known = ctx.know.find_index(index.key);
    const std::string table = known != nullptr ? known->table_display : std::string();
    const bool new_here =
        ctx.created_indexes.count(index.key) != 0 || (known != nullptr && ctx.created.count(known->table) != 0);
    non_transactional(ctx, stmt, std::string(concurrent ? "DROP INDEX CONCURRENTLY " : "DROP INDEX ") + index.display,
                      table);
    if (!concurrent && !new_here)
        ctx.emit(ctx.at(stmt, index.schema.empty() ? "{}" : "* . {}", index.name), rule::drop_index_without_concurrently,
                 "DROP INDEX " + index.display + " takes an ACCESS EXCLUSIVE lock on " +
                     (table.empty() ? std::string("its table") : table) +
                     ": it waits for running queries and blocks every query on the table meanwhile",
                 table);
    ctx.know.drop_index(index.key);
}

void reindex(section_context& ctx, int stmt, const json& body) {
    const std::string kind = text_of(body, "kind");
    const bool concurrent = option_flag(member(body, "params"), "concurrently").value_or(false);
    const relation_name target = relation_of(member(body, "relation"));
    std::string table_display;
    std::string table_key;
    std::string what;
    if (kind == "REINDEX_OBJECT_INDEX") {
        const index_fact* known = ctx.know.find_index(target.key);
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
    non_transactional(ctx, stmt, what + (concurrent ? " CONCURRENTLY" : ""), table_display);
    if (concurrent) return;
    if (!table_key.empty() && ctx.created.count(table_key) != 0) return;
    if (kind == "REINDEX_OBJECT_INDEX" && ctx.created_indexes.count(target.key) != 0) return;
    ctx.emit(stmt, rule::reindex_without_concurrently,
             what + " blocks writes to " + (table_display.empty() ? std::string("the tables") : table_display) +
                 " and every query whose plan could use the rebuilt indexes until it finishes",
             table_display);
}

} // namespace pgmig::detail::lint
