// What a prefix of the migrations leaves in the schema (see created_objects.hpp).
#include "lint/created_objects.hpp"
#include "lint/knowledge.hpp"
#include "lint/section.hpp"

#include <algorithm>

namespace pgmig::detail::lint {

std::vector<created_object> objects_created(const migration_set& set, std::int64_t up_to) {
    knowledge know;
    const rule_set all_rules; // none disabled: every rule keeps lint's knowledge up to date
    const lint_server unknown_server;
    for (const migration& m : set) {
        if (m.version > up_to) break;
        section_input up;
        up.m = &m;
        up.sql = m.up_sql;
        up.first_line = m.up_line;
        up.no_transaction = m.up_no_transaction;
        up.file = m.file;
        up.server = &unknown_server;
        lint_section(up, all_rules, know); // the findings are not needed, only what it learns
    }
    std::vector<created_object> out;
    for (const auto& [key, version] : know.created_by) {
        const std::size_t colon = key.find(':');
        out.push_back({key.substr(0, colon), key.substr(colon + 1), version});
    }
    for (const index_fact& i : know.indexes) {
        const std::size_t dot = i.key.rfind('.');
        const std::string bare = dot == std::string::npos ? i.key : i.key.substr(dot + 1);
        if (bare.empty() || bare.size() > 63) continue;
        out.push_back({"index", i.key, i.version});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const created_object& a, const created_object& b) { return a.version < b.version; });
    return out;
}

} // namespace pgmig::detail::lint
