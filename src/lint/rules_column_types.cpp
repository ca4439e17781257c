// pgmig — lint rules on the type of a new column.
#include "lint/rules_column_types.hpp"

namespace pgmig::detail::lint {
namespace {

// "integer overflows at 2,147,483,647" for the 16- and 32-bit integer types; "" for others.
std::string integer_limit(const type_info& t) {
    if (t.array) return {};
    if (t.name == "int4" || t.name == "serial" || t.name == "serial4") return "2,147,483,647 (2^31 - 1)";
    if (t.name == "int2" || t.name == "smallserial" || t.name == "serial2") return "32,767 (2^15 - 1)";
    return {};
}

} // namespace

void column_type_rules(section_context& ctx, int stmt, const relation_name& table, const column_spec& c,
                       bool primary_key) {
    const std::string col = table.display + "." + c.name;
    const site at_type = ctx.at(stmt, type_node(c));
    if (c.type.name == "bpchar")
        ctx.emit(at_type, rule::ban_char_type,
                 col + " is " + type_display(c.type) +
                     ": char(n) pads values with spaces and is never faster than text or varchar",
                 table.display);
    if (c.type.name == "varchar" && !c.type.mods.empty())
        ctx.emit(at_type, rule::prefer_text_field,
                 col + " is " + type_display(c.type) + ": raising or lowering the limit later is an ALTER COLUMN … "
                       "TYPE under an ACCESS EXCLUSIVE lock (with a full scan when it shrinks), and text is as fast",
                 table.display);
    if (c.type.name == "timestamp")
        ctx.emit(at_type, rule::prefer_timestamptz,
                 col + " is timestamp without time zone: it stores wall-clock values whose meaning depends on the "
                       "writer's time zone",
                 table.display);
    const std::string limit = integer_limit(c.type);
    if (limit.empty()) return;
    const bool key = c.primary || primary_key;
    const bool id = is_serial(c.type) || c.identity || key;
    std::string message = col + " is " + (is_serial(c.type) ? c.type.name : type_display(c.type)) +
                          (key ? ", a key" : c.identity ? ", an identity column" : "") + ": it overflows at " + limit;
    if (is_serial(c.type) || c.identity)
        message += " — the sequence behind it stops there and every INSERT fails";
    else if (key)
        message += " — once the ids reach it every INSERT fails";
    else
        message += ": counters, sums and ids copied from bigint keys outgrow it";
    message += "; widening it later rewrites the table" + std::string(id ? " and every column that references it" : "");
    ctx.emit(at_type, rule::prefer_bigint_over_int, std::move(message), table.display);
}

} // namespace pgmig::detail::lint
