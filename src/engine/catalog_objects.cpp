// Which objects the live database lacks (see catalog_objects.hpp).
#include "engine/catalog_objects.hpp"

#include <string>

namespace pgmig::detail::engine {

namespace {

/// `name` ("schema.name" or "name") as a qualified SQL name, each part quoted
/// (lint's keys are already folded to what PostgreSQL stores).
std::string qualified(const std::string& name) {
    const std::size_t dot = name.find('.');
    return dot == std::string::npos ? quote_ident(name) : quote_ident(name.substr(0, dot)) + "." + quote_ident(name.substr(dot + 1));
}

} // namespace

std::vector<lint::created_object>
missing_objects(db_connection& c, const std::vector<lint::created_object>& expected) {
    std::string checks;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const lint::created_object& o = expected[i];
        std::string present;
        if (o.kind == "schema")
            present = "EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = " + quote_literal(o.name) + ")";
        else if (o.kind == "type")
            present = "pg_catalog.to_regtype(" + quote_literal(qualified(o.name)) + ") IS NOT NULL";
        else
            present = "pg_catalog.to_regclass(" + quote_literal(qualified(o.name)) + ") IS NOT NULL";
        checks += std::string(checks.empty() ? "" : " UNION ALL ") + "SELECT " + std::to_string(i) + ", " + present;
    }
    std::vector<lint::created_object> out;
    if (checks.empty()) return out;
    const db_result res = c.query("SELECT * FROM (" + checks + ") AS o(i, present) WHERE NOT present ORDER BY i");
    for (std::size_t r = 0; r < res.size(); ++r) out.push_back(expected[std::stoul(res.text(r, 0))]);
    return out;
}

} // namespace pgmig::detail::engine
