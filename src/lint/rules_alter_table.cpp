// pgmig — lint rules on ALTER TABLE's column subcommands and partitions.
#include "lint/rules_alter_table.hpp"

#include "lint/rules_column_types.hpp"
#include "lint/rules_constraints.hpp"
#include "lint/rules_drop.hpp"
#include "lint/rules_transaction.hpp"
#include "lint/volatility.hpp"

#include "core/text.hpp"

#include <string_view>

namespace pgmig::detail::lint {
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

// A TimeZone with a fixed UTC offset of zero: PostgreSQL 12+ then converts
// timestamp ⇄ timestamptz without touching the stored values (no rewrite).
bool zero_offset_timezone(std::string_view zone) {
    std::string tz = core::lower(zone);
    if (tz.compare(0, 4, "etc/") == 0) tz.erase(0, 4);
    static const char* const zones[] = {"utc",   "uct",   "gmt",  "gmt0",      "gmt+0",     "gmt-0",
                                        "zulu",  "universal", "greenwich", "z", "+00", "00:00", "+00:00"};
    for (const char* z : zones)
        if (tz == z) return true;
    return false;
}

bool timestamp_pair(const type_info& from, const type_info& to) {
    return !from.array && !to.array && ((from.name == "timestamp" && to.name == "timestamptz") ||
                                        (from.name == "timestamptz" && to.name == "timestamp"));
}

void add_column(section_context& ctx, int stmt, const relation_name& table, const column_spec& c, bool is_new) {
    const std::string col = table.display + "." + c.name;
    column_type_rules(ctx, stmt, table, c, false);
    ctx.remember_column(table, c);
    if (c.primary) ctx.remember_index(table, table.name + "_pkey", {c.name}, false);
    if (c.unique) ctx.remember_index(table, table.name + "_" + c.name + "_key", {c.name}, false);
    for (const json* fk : c.foreign)
        ctx.foreign_keys.push_back({ctx.at(stmt, fk), table, {c.name}, relation_of(member(*fk, "pktable")).display});
    if (is_new) return;

    const bool serial = is_serial(c.type);
    if ((c.not_null || c.primary) && c.default_expr == nullptr && !c.identity && !c.generated && !serial)
        ctx.emit(ctx.at(stmt, c.primary ? constraint_of(c, "CONSTR_PRIMARY") : constraint_of(c, "CONSTR_NOTNULL")),
                 rule::add_column_not_null_without_default,
                 "ADD COLUMN " + col + (c.primary ? " PRIMARY KEY (implies NOT NULL)" : " NOT NULL") +
                     " without a DEFAULT fails as soon as " + table.display + " has a row",
                 table.display);

    if (serial || c.identity) {
        ctx.emit(ctx.at(stmt, serial ? type_node(c) : constraint_of(c, "CONSTR_IDENTITY")),
                 rule::add_column_volatile_default,
                 "ADD COLUMN " + col + (serial ? " " + c.type.name : std::string(" GENERATED … AS IDENTITY")) +
                     " fills every existing row from a sequence: the whole table is rewritten under an ACCESS "
                     "EXCLUSIVE lock",
                 table.display);
    } else if (c.default_expr != nullptr) {
        const default_verdict verdict = classify_expression(*c.default_expr, ctx.know);
        const std::string declared =
            verdict.declared_in ? " (created VOLATILE, PostgreSQL's default, by migration " +
                                      std::to_string(*verdict.declared_in) + ")"
                                : std::string();
        if (verdict.level == volatility::volatile_call)
            ctx.emit(ctx.at(stmt, verdict.call), rule::add_column_volatile_default,
                     "ADD COLUMN " + col + " DEFAULT " + verdict.function + "() is volatile" + declared +
                         ": every existing row gets its own value, so the whole table is rewritten under an ACCESS "
                         "EXCLUSIVE lock (a constant or stable default such as now() is not)",
                     table.display);
        else if (verdict.level == volatility::unknown)
            ctx.emit(ctx.at(stmt, verdict.call), rule::add_column_volatile_default,
                     "ADD COLUMN " + col + " DEFAULT " + verdict.function + "(): lint cannot tell whether " +
                         verdict.function +
                         " is volatile (it is not a built-in lint knows and no migration of the set creates it; "
                         "functions are VOLATILE unless declared otherwise); if it is, the whole table is "
                         "rewritten under an ACCESS EXCLUSIVE lock",
                     table.display, risk::medium);
    }
    if (c.generated)
        ctx.emit(ctx.at(stmt, constraint_of(c, "CONSTR_GENERATED")), rule::add_column_generated_stored,
                 "ADD COLUMN " + col + " GENERATED ALWAYS AS (…) STORED computes the value for every existing row: "
                                       "the whole table is rewritten under an ACCESS EXCLUSIVE lock",
                 table.display);
    column_constraints(ctx, stmt, table, c);
}

void set_not_null(section_context& ctx, int stmt, const relation_name& table, const std::string& name, bool is_new) {
    if (!is_new && ctx.know.not_null.count({table.key, name}) == 0)
        ctx.emit(ctx.at(stmt, "alter column? {} set not null", name), rule::set_not_null,
                 "ALTER COLUMN " + table.display + "." + name +
                     " SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
                 table.display, std::nullopt,
                 "ADD CONSTRAINT " + table.name + "_" + name + "_not_null CHECK (" + name +
                     " IS NOT NULL) NOT VALID; then VALIDATE CONSTRAINT in a later migration; then SET NOT NULL "
                     "(PostgreSQL 12+ skips the scan) and DROP the CHECK constraint");
    ctx.know.not_null.insert({table.key, name});
}

void drop_not_null(section_context& ctx, int stmt, const relation_name& table, const std::string& name, bool is_new) {
    if (!is_new)
        ctx.emit(ctx.at(stmt, "alter column? {} drop not null", name), rule::ban_drop_not_null,
                 "ALTER COLUMN " + table.display + "." + name +
                     " DROP NOT NULL: code that reads the column may not expect NULL, and once NULLs are written, "
                     "restoring NOT NULL needs a backfill and a full scan",
                 table.display);
    ctx.know.not_null.erase({table.key, name});
}

// Is there an index lint knows of whose columns include `column` of `table`?
const index_fact* index_on(const knowledge& know, const std::string& table, const std::string& column) {
    for (const index_fact& i : know.indexes)
        if (i.table == table)
            for (const std::string& c : i.columns)
                if (c == column) return &i;
    return nullptr;
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
    if (to.known) ctx.know.columns[table.key][name] = to;
    if (is_new) return;
    if (to.known && to.name == "varchar" && !to.mods.empty())
        ctx.emit(ctx.at(stmt, member(*column_def, "typeName")), rule::prefer_text_field,
                 "ALTER COLUMN " + table.display + "." + name + " TYPE " + type_display(to) +
                     " keeps a length limit that the next change again alters under an ACCESS EXCLUSIVE lock",
                 table.display);
    if (!using_clause && no_rewrite_type_change(from, to)) return;

    const site where = ctx.at(stmt, "alter column? {} set? data? type", name);
    const std::string what = "ALTER COLUMN " + table.display + "." + name + " TYPE " + type_display(to);
    // Without USING, only timestamp, date and timestamptz itself cast to timestamptz:
    // an unknown old type is most likely the timestamp ⇄ timestamptz case.
    const bool maybe_pair = !from.known && !to.array && (to.name == "timestamptz" || to.name == "timestamp");
    if (!using_clause && (timestamp_pair(from, to) || maybe_pair)) {
        // PostgreSQL 12+ skips the rewrite when the session TimeZone has a zero UTC offset.
        const std::string tz = ctx.effective_timezone();
        const int version = ctx.in.server != nullptr ? ctx.in.server->version_num : 0;
        const index_fact* index = to.name == "timestamptz" ? index_on(ctx.know, table.key, name) : nullptr;
        const std::string index_note =
            index != nullptr ? "; the index " + index->key + " on the column is still rebuilt under the lock" : "";
        const std::string source = ctx.session_timezone && !ctx.session_timezone->empty()
                                       ? "this migration sets TimeZone to '" + tz + "'"
                                       : "the server's TimeZone is '" + tz + "'";
        const std::string from_text = from.known ? " (from " + type_display(from) + ")" : std::string();
        const std::string unknown_from =
            from.known ? std::string()
                       : " if the column is " + std::string(to.name == "timestamptz" ? "timestamp" : "timestamptz") +
                             " (lint does not know its type: no migration of the set created it; another type is "
                             "rewritten)";
        if (!tz.empty() && (version == 0 || version >= 120000) && zero_offset_timezone(tz)) {
            if (!from.known)
                ctx.emit(where, rule::change_column_type,
                         what + " is a catalog change without a rewrite" + unknown_from + ": " + source +
                             ", a zero UTC offset" + index_note,
                         table.display, risk::medium);
            else if (index != nullptr)
                ctx.emit(where, rule::change_column_type,
                         what + from_text + " does not rewrite the table (" + source +
                             ", a zero UTC offset" + (version == 0 ? ", on PostgreSQL 12+" : "") + ")" + index_note,
                         table.display, risk::medium,
                         "Drop the index CONCURRENTLY in an earlier migration and CREATE INDEX CONCURRENTLY it again "
                         "after the ALTER (queries that need it are slower meanwhile), or accept the rebuild in a "
                         "quiet window with a short -- pgmig:lock-timeout");
            return;
        }
        if (tz.empty()) {
            ctx.emit(where, rule::change_column_type,
                     what + from_text + unknown_from +
                         ": on PostgreSQL 12+ this is only a catalog change when the session TimeZone is UTC (any "
                         "zone with a zero offset); in any other TimeZone every row is converted and the table "
                         "rewritten under an ACCESS EXCLUSIVE lock. Lint does not know the TimeZone it will run with"
                         " (`plan` and `up` read the server's)" + index_note,
                     table.display, risk::medium,
                     "If the stored values are UTC, put SET LOCAL TimeZone = 'UTC' before the ALTER in this "
                     "migration: no rewrite on PostgreSQL 12+. Otherwise add a new timestamptz column, backfill "
                     "it in batches (col AT TIME ZONE 'the zone'), and switch over");
            return;
        }
        ctx.emit(where, rule::change_column_type,
                 what + from_text + " converts every row and rewrites the table under an ACCESS EXCLUSIVE lock: " +
                     source +
                     (version != 0 && version < 120000 ? " and PostgreSQL before 12 always rewrites"
                                                       : ", not a zero UTC offset"),
                 table.display, std::nullopt,
                 "If the stored values are UTC, put SET LOCAL TimeZone = 'UTC' before the ALTER in this migration: "
                 "no rewrite on PostgreSQL 12+. Otherwise add a new timestamptz column, backfill it in batches, and "
                 "switch over");
        return;
    }
    std::string message = what;
    if (using_clause)
        message += " USING … rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock (a USING "
                   "expression always converts every row)";
    else if (from.known)
        message += " (from " + type_display(from) + ") rewrites the table and rebuilds its indexes under an ACCESS "
                   "EXCLUSIVE lock";
    else
        message += " rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock, unless the change "
                   "is binary-coercible (e.g. varchar(n) to text or to a longer varchar)";
    ctx.emit(where, rule::change_column_type, std::move(message), table.display);
}

void detach_partition(section_context& ctx, int stmt, const relation_name& table, const json* def, bool is_new) {
    const json* part = def != nullptr ? body_if(*def, "PartitionCmd") : nullptr;
    const bool concurrent = part != nullptr && flag_of(*part, "concurrent");
    const std::string partition = part != nullptr ? relation_of(member(*part, "name")).display : std::string("…");
    non_transactional(ctx, stmt,
                      "ALTER TABLE " + table.display + " DETACH PARTITION " + partition +
                          (concurrent ? " CONCURRENTLY" : ""),
                      table.display);
    if (concurrent || is_new) return;
    const int version = ctx.in.server != nullptr ? ctx.in.server->version_num : 0;
    std::string alternative;
    if (version != 0 && version < 140000)
        alternative = "DETACH PARTITION … CONCURRENTLY needs PostgreSQL 14 (this server is older): detach in a quiet "
                      "window with a short -- pgmig:lock-timeout so that the wait for the lock cannot queue queries";
    ctx.emit(ctx.at(stmt, "detach partition"), rule::require_concurrent_partition_detach,
             "ALTER TABLE " + table.display + " DETACH PARTITION " + partition +
                 " takes an ACCESS EXCLUSIVE lock on " + table.display +
                 ": it waits for every running query on the partitioned table and blocks every query that arrives "
                 "meanwhile",
             table.display, std::nullopt, alternative);
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
        drop_not_null(ctx, stmt, table, name, is_new);
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
        detach_partition(ctx, stmt, table, def, is_new);
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

} // namespace pgmig::detail::lint
