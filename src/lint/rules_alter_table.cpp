// pgmig — lint rules on ALTER TABLE's column subcommands.
#include "lint/rules_alter_table.hpp"

#include "lint/rules_column_types.hpp"
#include "lint/rules_constraints.hpp"
#include "lint/rules_drop.hpp"
#include "lint/rules_transaction.hpp"
#include "lint/volatility.hpp"

namespace pgmig::lint_detail {
namespace {

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

void add_column(section_context& ctx, int stmt, const relation_name& table, const column_spec& c, bool is_new) {
    const std::string col = table.display + "." + c.name;
    column_type_rules(ctx, stmt, table, c, false);
    ctx.remember_column(table, c);
    if (c.primary) ctx.remember_index(table, table.name + "_pkey", {c.name}, false);
    if (c.unique) ctx.remember_index(table, table.name + "_" + c.name + "_key", {c.name}, false);
    for (const json* fk : c.foreign)
        ctx.foreign_keys.push_back({stmt, table, {c.name}, relation_of(member(*fk, "pktable")).display});
    if (is_new) return;

    const bool serial = is_serial(c.type);
    if ((c.not_null || c.primary) && c.default_expr == nullptr && !c.identity && !c.generated && !serial)
        ctx.emit(stmt, rule::add_column_not_null_without_default,
                 "ADD COLUMN " + col + (c.primary ? " PRIMARY KEY (implies NOT NULL)" : " NOT NULL") +
                     " without a DEFAULT fails as soon as " + table.display + " has a row",
                 table.display);

    if (serial || c.identity) {
        ctx.emit(stmt, rule::add_column_volatile_default,
                 "ADD COLUMN " + col + (serial ? " " + c.type.name : std::string(" GENERATED … AS IDENTITY")) +
                     " fills every existing row from a sequence: the whole table is rewritten under an ACCESS "
                     "EXCLUSIVE lock",
                 table.display);
    } else if (c.default_expr != nullptr) {
        const default_verdict verdict = classify_expression(*c.default_expr);
        if (verdict.level == volatility::volatile_call)
            ctx.emit(stmt, rule::add_column_volatile_default,
                     "ADD COLUMN " + col + " DEFAULT " + verdict.function +
                         "() is volatile: every existing row gets its own value, so the whole table is rewritten "
                         "under an ACCESS EXCLUSIVE lock (a constant or stable default such as now() is not)",
                     table.display);
        else if (verdict.level == volatility::unknown)
            ctx.emit(stmt, rule::add_column_volatile_default,
                     "ADD COLUMN " + col + " DEFAULT " + verdict.function + "(): lint cannot tell whether " +
                         verdict.function +
                         " is volatile (functions are VOLATILE unless declared otherwise); if it is, the whole table "
                         "is rewritten under an ACCESS EXCLUSIVE lock",
                     table.display, risk::medium);
    }
    if (c.generated)
        ctx.emit(stmt, rule::add_column_generated_stored,
                 "ADD COLUMN " + col + " GENERATED ALWAYS AS (…) STORED computes the value for every existing row: "
                                       "the whole table is rewritten under an ACCESS EXCLUSIVE lock",
                 table.display);
    column_constraints(ctx, stmt, table, c);
}

void set_not_null(section_context& ctx, int stmt, const relation_name& table, const std::string& name, bool is_new) {
    if (!is_new && ctx.know.not_null.count({table.key, name}) == 0)
        ctx.emit(stmt, rule::set_not_null,
                 "ALTER COLUMN " + table.display + "." + name +
                     " SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
                 table.display, std::nullopt,
                 "ADD CONSTRAINT " + table.name + "_" + name + "_not_null CHECK (" + name +
                     " IS NOT NULL) NOT VALID; then VALIDATE CONSTRAINT in a later migration; then SET NOT NULL "
                     "(PostgreSQL 12+ skips the scan) and DROP the CHECK constraint");
    ctx.know.not_null.insert({table.key, name});
}

void change_column_type(section_context& ctx, int stmt, const relation_name& table, const std::string& name,
                        const json* def, bool is_new) {
    const json* column_def = def != nullptr ? body_if(*def, "ColumnDef") : nullptr;
    const type_info to = column_def != nullptr ? type_of(member(*column_def, "typeName")) : type_info{};
    const bool using_clause = column_def != nullptr && member(*column_def, "raw_default") != nullptr;
    type_info from;
    const auto t = ctx.know.columns.find(table.key);
    if (t != ctx.know.columns.end()) {
        const auto c = t->second.find(name);
        if (c != t->second.end()) from = c->second;
    }
    if (!is_new && (using_clause || !no_rewrite_type_change(from, to))) {
        std::string message = "ALTER COLUMN " + table.display + "." + name + " TYPE " + type_display(to);
        if (from.known)
            message += " (from " + type_display(from) + ") rewrites the table and rebuilds its indexes under "
                       "an ACCESS EXCLUSIVE lock";
        else
            message += " rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock, unless "
                       "the change is binary-coercible (e.g. varchar(n) to text or to a longer varchar)";
        ctx.emit(stmt, rule::change_column_type, std::move(message), table.display);
    }
    if (to.known) ctx.know.columns[table.key][name] = to;
}

void alter_table_cmd(section_context& ctx, int stmt, const relation_name& table, const json& cmd) {
    const std::string sub = text_of(cmd, "subtype");
    const std::string name = text_of(cmd, "name");
    const json* def = member(cmd, "def");
    const bool is_new = ctx.exempt(table);

    if (sub == "AT_AddColumn") {
        const json* column_def = def != nullptr ? body_if(*def, "ColumnDef") : nullptr;
        if (column_def != nullptr) add_column(ctx, stmt, table, read_column(*column_def), is_new);
    } else if (sub == "AT_DropColumn") {
        drop_column(ctx, stmt, table, cmd, is_new);
    } else if (sub == "AT_SetNotNull") {
        set_not_null(ctx, stmt, table, name, is_new);
    } else if (sub == "AT_DropNotNull") {
        ctx.know.not_null.erase({table.key, name});
    } else if (sub == "AT_AlterColumnType") {
        change_column_type(ctx, stmt, table, name, def, is_new);
    } else if (sub == "AT_AddConstraint") {
        const json* con = def != nullptr ? body_if(*def, "Constraint") : nullptr;
        if (con != nullptr) add_constraint(ctx, stmt, table, *con, is_new);
    } else if (sub == "AT_ValidateConstraint") {
        validate_constraint(ctx, stmt, table, name);
    } else if (sub == "AT_DropConstraint") {
        ctx.know.drop_index(index_key(table, name));
        ctx.know.not_null_checks.erase({table.key, name});
    } else if (sub == "AT_DetachPartition") {
        const json* part = def != nullptr ? body_if(*def, "PartitionCmd") : nullptr;
        const bool concurrent = part != nullptr && flag_of(*part, "concurrent");
        non_transactional(ctx, stmt,
                          "ALTER TABLE " + table.display + " DETACH PARTITION …" + (concurrent ? " CONCURRENTLY" : ""),
                          table.display);
    }
}

} // namespace

void alter_table(section_context& ctx, int stmt, const json& body) {
    if (text_of(body, "objtype") != "OBJECT_TABLE") return;
    const relation_name table = relation_of(member(body, "relation"));
    if (table.empty()) return;
    for_each_item(member(body, "cmds"), [&](const json& item) {
        const json* cmd = body_if(item, "AlterTableCmd");
        if (cmd != nullptr) alter_table_cmd(ctx, stmt, table, *cmd);
    });
}

} // namespace pgmig::lint_detail
