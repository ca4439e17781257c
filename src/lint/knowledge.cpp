// pgmig — lint internals: the schema knowledge carried from statement to statement
// and from migration to migration.
#include "lint/knowledge.hpp"

#include <algorithm>
#include <iterator>

namespace pgmig::detail::lint {

std::optional<std::int64_t> knowledge::creator(const std::string& kind, const std::string& key) const {
    const auto it = created_by.find(kind + ":" + key);
    if (it == created_by.end()) return std::nullopt;
    return it->second;
}

void knowledge::drop_table(const std::string& table) {
    indexes.erase(std::remove_if(indexes.begin(), indexes.end(), [&](const index_fact& i) { return i.table == table; }),
                  indexes.end());
    partitioned.erase(table);
    columns.erase(table);
    for (auto it = not_null.begin(); it != not_null.end();) it = it->first == table ? not_null.erase(it) : std::next(it);
    for (auto it = not_null_checks.begin(); it != not_null_checks.end();)
        it = it->first.first == table ? not_null_checks.erase(it) : std::next(it);
    created_by.erase("table:" + table);
}

void knowledge::rename_table(const std::string& from, const std::string& to, const std::string& to_display) {
    if (from == to) return;
    drop_table(to);
    if (const auto c = created_by.find("table:" + from); c != created_by.end()) {
        const std::int64_t version = c->second;
        created_by.erase(c);
        created_by["table:" + to] = version;
    }
    for (index_fact& i : indexes)
        if (i.table == from) {
            i.table = to;
            i.table_display = to_display;
        }
    if (partitioned.erase(from) != 0) partitioned.insert(to);
    const auto cols = columns.find(from);
    if (cols != columns.end()) {
        auto moved = std::move(cols->second);
        columns.erase(cols);
        columns[to] = std::move(moved);
    }
    std::set<std::pair<std::string, std::string>> nn;
    for (const auto& p : not_null) nn.insert(p.first == from ? std::make_pair(to, p.second) : p);
    not_null = std::move(nn);
    std::map<std::pair<std::string, std::string>, std::string> checks;
    for (const auto& c : not_null_checks)
        checks[c.first.first == from ? std::make_pair(to, c.first.second) : c.first] = c.second;
    not_null_checks = std::move(checks);
}

void knowledge::drop_column(const std::string& table, const std::string& column) {
    // PostgreSQL drops the indexes that use the column.
    indexes.erase(std::remove_if(indexes.begin(), indexes.end(),
                                 [&](const index_fact& i) {
                                     return i.table == table &&
                                            std::find(i.columns.begin(), i.columns.end(), column) != i.columns.end();
                                 }),
                  indexes.end());
    const auto cols = columns.find(table);
    if (cols != columns.end()) cols->second.erase(column);
    not_null.erase({table, column});
}

void knowledge::rename_column(const std::string& table, const std::string& from, const std::string& to) {
    for (index_fact& i : indexes)
        if (i.table == table)
            for (std::string& c : i.columns)
                if (c == from) c = to;
    const auto cols = columns.find(table);
    if (cols != columns.end()) {
        const auto c = cols->second.find(from);
        if (c != cols->second.end()) {
            type_info t = c->second;
            cols->second.erase(c);
            cols->second[to] = t;
        }
    }
    if (not_null.erase({table, from}) != 0) not_null.insert({table, to});
    for (auto& c : not_null_checks)
        if (c.first.first == table && c.second == from) c.second = to;
}

void knowledge::drop_index(const std::string& key) {
    indexes.erase(
        std::remove_if(indexes.begin(), indexes.end(), [&](const index_fact& i) { return i.key == key; }),
        indexes.end());
}

void knowledge::rename_index(const std::string& from, const std::string& to) {
    for (index_fact& i : indexes)
        if (i.key == from) i.key = to;
}

const index_fact* knowledge::find_index(const std::string& key) const {
    for (const index_fact& i : indexes)
        if (i.key == key) return &i;
    return nullptr;
}

} // namespace pgmig::detail::lint
