// Naming the sessions that hold the locks a failed migration statement waited for.
#include "engine/blockers.hpp"
#include "lint/lint_sql.hpp"

#include <set>

namespace pgmig::detail::engine {

namespace {

/// Every RangeVar (a relation as written) in a libpg_query parse tree.
void collect_relations(const nlohmann::json& node, std::set<std::string>& out) {
    if (node.is_object()) {
        // A RangeVar, wrapped ({"RangeVar": {…}}) or as a typed field ({"relname": …}).
        const auto rel = node.find("relname");
        if (rel != node.end() && rel->is_string()) {
            std::string name = quote_ident(rel->get<std::string>());
            const auto schema = node.find("schemaname");
            if (schema != node.end() && schema->is_string() && !schema->get<std::string>().empty())
                name = quote_ident(schema->get<std::string>()) + "." + name;
            out.insert(name);
        }
        for (const auto& item : node.items()) collect_relations(item.value(), out);
    } else if (node.is_array()) {
        for (const auto& item : node) collect_relations(item, out);
    }
}

} // namespace

std::string describe_lock_blockers(db_connection& c, const std::string& sql) {
    try {
        std::set<std::string> relations;
        for (const lint::parsed_statement& s : lint::parse_statements(lint::sql_text(sql, 1)))
            if (!s.failed()) collect_relations(s.node, relations);
        std::string filter;
        if (relations.empty()) {
            filter = "l.mode IN ('ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock')";
        } else {
            std::string list;
            for (const std::string& r : relations) list += (list.empty() ? "" : ", ") + quote_literal(r);
            filter = "l.relation IN (SELECT pg_catalog.to_regclass(x) FROM pg_catalog.unnest(ARRAY[" + list +
                     "]::text[]) AS x)";
        }
        const db_result r = c.query(
            "SELECT a.pid, COALESCE(a.application_name, ''), COALESCE(a.state, ''),"
            " COALESCE(pg_catalog.to_char(a.query_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC', 'unknown'),"
            " pg_catalog.left(pg_catalog.regexp_replace(COALESCE(a.query, ''), '\\s+', ' ', 'g'), 80),"
            " pg_catalog.string_agg(DISTINCT l.mode || ' on ' || l.relation::pg_catalog.regclass::text, ', ')"
            " FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.granted AND l.locktype = 'relation' AND l.pid <> pg_catalog.pg_backend_pid()"
            " AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())"
            " AND " + filter +
            " GROUP BY 1, 2, 3, 4, 5 ORDER BY 1 LIMIT 5");
        std::string out;
        for (std::size_t i = 0; i < r.size(); ++i) {
            out += (i == 0 ? "" : "; ") + std::string("pid ") + r.text(i, 0) + " (application_name '" + r.text(i, 1) +
                   "', state '" + r.text(i, 2) + "', query started " + r.text(i, 3) + ", holds " + r.text(i, 5) +
                   "): " + r.text(i, 4);
        }
        return out;
    } catch (const std::exception&) {
        return {};
    }
}

} // namespace pgmig::detail::engine
