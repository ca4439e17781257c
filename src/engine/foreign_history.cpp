// Reading another tool's history table (see foreign_history.hpp).
#include "engine/foreign_history.hpp"
#include "engine/history.hpp"

#include <pgmig/error.hpp>

#include <cstdlib>

namespace pgmig::detail::engine {

std::vector<core::foreign_row> read_foreign_history(db_connection& c, const core::foreign_tool_info& tool,
                                                    const history_table_name& t) {
    const table_shape shape = inspect_table(c, t);
    const std::string hint = std::string(tool.name) + " keeps its history in " +
                             tool.default_table().qualified() +
                             " unless configured otherwise; name the table it uses with --from-table schema.table";
    if (!shape.exists)
        throw error(error_code::usage, "there is no table " + t.qualified() + " to import " + tool.name +
                                           "'s history from. " + hint + "; nothing was changed");
    if (!shape.is_table || !core::has_shape_of(tool, shape.columns)) {
        std::string cols;
        for (const auto& [name, type] : shape.columns) cols += (cols.empty() ? "" : ", ") + name + " " + type;
        std::string want;
        for (const auto& [name, type] : tool.columns)
            want += (want.empty() ? "" : ", ") + std::string(name) + " " + type;
        const core::foreign_tool_info* other = core::recognise_foreign_table(shape.columns);
        throw error(error_code::usage,
                    t.qualified() + " is not " + tool.name + "'s history table: it has (" + cols + "), " +
                        tool.name + "'s has (" + want + ")" +
                        (other != nullptr && other != &tool
                             ? std::string("; it looks like ") + other->looks_like + " history table (--from " +
                                   other->name + ")"
                             : std::string()) +
                        ". " + hint + "; nothing was changed");
    }
    const db_result r = c.query(core::foreign_select_sql(tool, qualified_table(t)));
    std::vector<core::foreign_row> rows;
    rows.reserve(r.size());
    for (std::size_t i = 0; i < r.size(); ++i) {
        core::foreign_row row;
        row.order = std::strtoll(r.text(i, 0).c_str(), nullptr, 10);
        row.key = r.text(i, 1);
        row.name = r.text(i, 2);
        row.applied_at = r.text(i, 3);
        row.state = r.text(i, 4);
        row.checksum = r.text(i, 5);
        row.kind = r.text(i, 6);
        rows.push_back(std::move(row));
    }
    return rows;
}

} // namespace pgmig::detail::engine
