// Live sizes of the tables lint findings name, from pg_class.
#include "engine/table_sizes.hpp"

namespace pgmig::detail::engine {

std::map<std::string, table_size> table_sizes(db_connection& c, const std::vector<std::string>& relations) {
    std::map<std::string, table_size> out;
    std::string values;
    for (const std::string& r : relations) {
        if (r.empty() || out.count(r) != 0) continue;
        out[r] = table_size{};
        // Quote each part, so that a name written quoted ("Orders") is not folded.
        const std::size_t dot = r.find('.');
        const std::string qualified =
            dot == std::string::npos ? quote_ident(r) : quote_ident(r.substr(0, dot)) + "." + quote_ident(r.substr(dot + 1));
        values += std::string(values.empty() ? "" : ", ") + "(" + quote_literal(r) + ", " + quote_literal(qualified) + ")";
    }
    if (values.empty()) return out;
    const db_result res = c.query(
        "SELECT n.name, c.oid IS NOT NULL AS found,"
        " CASE WHEN c.oid IS NULL OR c.reltuples < 0 THEN NULL"
        " ELSE c.reltuples::bigint END AS est_rows,"
        " CASE WHEN c.oid IS NULL THEN NULL ELSE pg_catalog.pg_total_relation_size(c.oid) END AS total_bytes"
        " FROM (VALUES " + values + ") AS n(name, qualified)"
        " LEFT JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(n.qualified)");
    for (std::size_t i = 0; i < res.size(); ++i) {
        table_size& t = out[res.text(i, 0)];
        t.exists = res.text(i, 1) == "t";
        if (!res.is_null(i, 2)) t.rows = std::stoll(res.text(i, 2));
        if (!res.is_null(i, 3)) t.bytes = std::stoll(res.text(i, 3));
    }
    return out;
}

lint_server lint_server_facts(db_connection& c) {
    const db_result res = c.query("SELECT current_setting('server_version_num'), current_setting('TimeZone')");
    lint_server out;
    if (res.size() == 1) {
        out.version_num = std::stoi(res.text(0, 0));
        out.timezone = res.text(0, 1);
    }
    return out;
}

} // namespace pgmig::detail::engine
