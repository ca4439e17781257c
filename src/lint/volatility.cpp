// pgmig — lint internals: volatile and non-volatile built-in functions.
#include "lint/volatility.hpp"

#include <set>
#include <vector>

namespace pgmig::detail::lint {
namespace {

const std::set<std::string>& volatile_functions() {
    static const std::set<std::string> names = {
        "random",          "random_normal",  "clock_timestamp", "timeofday",        "gen_random_uuid",
        "gen_random_bytes", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "uuidv4",
        "uuidv7",          "nextval",        "setval",          "currval",          "lastval",
        "txid_current",    "pg_current_xact_id", "gen_salt",    "setseed"};
    return names;
}

// Built-in functions that are IMMUTABLE or STABLE (evaluated once by ADD COLUMN).
const std::set<std::string>& non_volatile_functions() {
    static const std::set<std::string> names = {
        "now",        "transaction_timestamp", "statement_timestamp", "current_setting", "lower",
        "upper",      "btrim",       "ltrim",          "rtrim",         "trim",             "concat",
        "concat_ws",  "to_char",     "to_date",        "to_timestamp",  "to_number",        "to_json",
        "to_jsonb",   "json_build_object", "jsonb_build_object", "json_build_array", "jsonb_build_array",
        "json_object", "jsonb_object", "array_fill",   "make_date",     "make_time",        "make_timestamp",
        "make_timestamptz", "make_interval", "date_trunc", "date_part", "extract",          "timezone",
        "length",     "char_length", "abs",            "round",         "floor",            "ceil",
        "md5",        "replace",     "substr",         "substring",     "left",             "right",
        "lpad",       "rpad",        "format",         "array_length",  "cardinality",      "coalesce",
        "nullif",     "greatest",    "least",          "age",           "int4",             "int8",
        "text",       "numeric",     "jsonb",          "json",          "uuid",             "inet",
        "date",       "timestamptz", "interval",       "array_to_string", "string_to_array"};
    return names;
}

} // namespace

std::string function_key(const std::vector<std::string>& names) {
    return relation_of_names(names).key;
}

default_verdict classify_expression(const json& expr, const knowledge& know) {
    default_verdict out;
    walk_nodes(expr, "FuncCall", [&](const json& call) {
        const std::vector<std::string> names = string_list(member(call, "funcname"));
        if (names.empty()) return;
        const std::string& name = names.back();
        // A function of the set decides over a built-in of the same name (it shadows it in its schema).
        const auto own = know.functions.find(function_key(names));
        if (own != know.functions.end()) {
            if (own->second.volatility == "volatile" && out.level != volatility::volatile_call)
                out = {volatility::volatile_call, join(names, "."), &call, own->second.version};
            return;
        }
        if (volatile_functions().count(name) != 0) {
            if (out.level != volatility::volatile_call) out = {volatility::volatile_call, name, &call, std::nullopt};
        } else if (non_volatile_functions().count(name) == 0 && out.level == volatility::safe) {
            out = {volatility::unknown, join(names, "."), &call, std::nullopt};
        }
    });
    return out;
}

} // namespace pgmig::detail::lint
