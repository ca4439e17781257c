// pgmig — lint rules on the type of a new column.
#include "lint/rules_column_types.hpp"

namespace pgmig::lint_detail {
namespace {

bool is_small_integer(const type_info& t) {
    return !t.array && (t.name == "int4" || t.name == "int2" || t.name == "serial" || t.name == "serial4" ||
                        t.name == "smallserial" || t.name == "serial2");
}

} // namespace

void column_type_rules(section_context& ctx, int stmt, const relation_name& table, const column_spec& c,
                       bool primary_key) {
    const std::string col = table.display + "." + c.name;
    if (c.type.name == "bpchar")
        ctx.emit(stmt, rule::ban_char_type,
                 col + " is " + type_display(c.type) +
                     ": char(n) pads values with spaces and is never faster than text or varchar",
                 table.display);
    if (c.type.name == "timestamp")
        ctx.emit(stmt, rule::prefer_timestamptz,
                 col + " is timestamp without time zone: it stores wall-clock values whose meaning depends on the "
                       "writer's time zone",
                 table.display);
    if (is_small_integer(c.type) && (is_serial(c.type) || c.identity || c.primary || primary_key))
        ctx.emit(stmt, rule::prefer_bigint_over_int,
                 col + " is a " + type_display(c.type) + (c.primary || primary_key ? " key" : " identity") +
                     ": 32-bit ids run out at 2147483647 (16-bit at 32767), and changing the type later rewrites "
                     "the table",
                 table.display);
}

} // namespace pgmig::lint_detail
