// pgmig — lint rules on data changes.
#include "lint/rules_dml.hpp"

namespace pgmig::detail::lint {
namespace {

// Calls f(node, top) for the statement itself when it is of `wanted` type (top =
// true), and for every nested node of that type (top = false).
template <typename F> void each_dml(std::string_view type, const json& body, std::string_view wanted, F&& f) {
    if (type == wanted) f(body, true);
    walk_nodes(body, wanted, [&](const json& nested) { f(nested, false); });
}

/// A WHERE made of NULL tests only (IS [NOT] NULL, IS [NOT] TRUE/FALSE/UNKNOWN, joined by
/// AND/OR/NOT): the shape of "fill the column where it is still empty", which matches
/// every row not done yet.
bool only_null_tests(const json& node) {
    const node_view v = unwrap(node);
    if (!v) return false;
    if (v.type == "NullTest" || v.type == "BooleanTest") return true;
    if (v.type != "BoolExpr") return false;
    bool all = true, any = false;
    for_each_item(member(*v.body, "args"), [&](const json& arg) {
        any = true;
        if (!only_null_tests(arg)) all = false;
    });
    return any && all;
}

} // namespace

void dml(section_context& ctx, int stmt, std::string_view type, const json& body) {
    // Only statements that execute their DML now: not the bodies of rules,
    // functions (BEGIN ATOMIC) or prepared statements.
    if (type != "UpdateStmt" && type != "DeleteStmt" && type != "InsertStmt" && type != "SelectStmt" &&
        type != "CreateTableAsStmt" && type != "CopyStmt")
        return;
    // A nested UPDATE/DELETE (in a CTE) is pointed at by its table: the node has no position.
    each_dml(type, body, "UpdateStmt", [&](const json& update, bool top) {
        if (member(update, "whereClause") != nullptr) return;
        const relation_name table = relation_of(member(update, "relation"));
        if (table.empty() || ctx.exempt(table)) return;
        ctx.emit(top ? site(stmt) : ctx.at(stmt, member(update, "relation")), rule::update_without_where,
                 "UPDATE " + table.display +
                     " without WHERE changes every row in one transaction: all rows stay locked until commit and "
                     "the table doubles in size until vacuumed",
                 table.display);
    });
    // A table-wide backfill: bounded (a LIMIT in the WHERE) it is a batch, accepted.
    each_dml(type, body, "UpdateStmt", [&](const json& update, bool top) {
        const json* where = member(update, "whereClause");
        if (where == nullptr || !only_null_tests(*where)) return;
        const relation_name table = relation_of(member(update, "relation"));
        if (table.empty() || ctx.exempt(table)) return;
        ctx.emit(top ? site(stmt) : ctx.at(stmt, member(update, "relation")), rule::backfill_in_one_statement,
                 "UPDATE " + table.display +
                     " … WHERE <NULL tests> changes every row not filled yet in one transaction: they stay locked "
                     "until commit. A -- pgmig:batch statement whose WHERE is bounded by a LIMIT is accepted: each "
                     "batch is a short transaction of its own",
                 table.display);
    });
    each_dml(type, body, "DeleteStmt", [&](const json& del, bool top) {
        if (member(del, "whereClause") != nullptr) return;
        const relation_name table = relation_of(member(del, "relation"));
        if (table.empty() || ctx.exempt(table)) return;
        ctx.emit(top ? site(stmt) : ctx.at(stmt, member(del, "relation")), rule::delete_without_where, "DELETE FROM " + table.display + " without WHERE deletes every row",
                 table.display);
    });
}

} // namespace pgmig::detail::lint
