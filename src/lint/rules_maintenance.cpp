// pgmig — lint rules on maintenance commands.
#include "lint/rules_maintenance.hpp"

#include "lint/rules_transaction.hpp"

namespace pgmig::detail::lint {

void vacuum(section_context& ctx, int stmt, const json& body) {
    if (!flag_of(body, "is_vacuumcmd")) return; // ANALYZE alone is fine in a transaction
    const bool full = option_flag(member(body, "options"), "full").value_or(false);
    non_transactional(ctx, stmt, full ? "VACUUM FULL" : "VACUUM");
    if (!full) return;
    bool any = false;
    for_each_item(member(body, "rels"), [&](const json& item) {
        const json* vr = body_if(item, "VacuumRelation");
        if (vr == nullptr) return;
        const relation_name table = relation_of(member(*vr, "relation"));
        any = true;
        if (table.empty() || ctx.exempt(table)) return;
        ctx.emit(ctx.at(stmt, member(*vr, "relation")), rule::vacuum_full,
                 "VACUUM FULL " + table.display +
                     " rewrites the table and its indexes under an ACCESS EXCLUSIVE lock (reads and writes wait)",
                 table.display);
    });
    if (!any)
        ctx.emit(stmt, rule::vacuum_full,
                 "VACUUM FULL rewrites every table of the database, each under an ACCESS EXCLUSIVE lock");
}

void cluster(section_context& ctx, int stmt, const json& body) {
    const relation_name table = relation_of(member(body, "relation"));
    non_transactional(ctx, stmt, table.empty() ? std::string("CLUSTER without a table") : "CLUSTER " + table.display,
                      table.display);
    if (table.empty()) {
        ctx.emit(stmt, rule::cluster, "CLUSTER rewrites every clustered table, each under an ACCESS EXCLUSIVE lock");
        return;
    }
    if (ctx.exempt(table)) return;
    ctx.emit(stmt, rule::cluster,
             "CLUSTER " + table.display + " rewrites the table and its indexes under an ACCESS EXCLUSIVE lock",
             table.display);
}

void refresh_materialized_view(section_context& ctx, int stmt, const json& body) {
    if (flag_of(body, "concurrent")) return;
    const relation_name view = relation_of(member(body, "relation"));
    if (view.empty() || ctx.exempt(view)) return;
    ctx.emit(stmt, rule::refresh_materialized_view_without_concurrently,
             "REFRESH MATERIALIZED VIEW " + view.display + " blocks every read of " + view.display +
                 " (ACCESS EXCLUSIVE) until the refresh ends",
             view.display);
}

} // namespace pgmig::detail::lint
