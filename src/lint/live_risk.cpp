// pgmig — lint with the live database in view.
#include "lint/live_risk.hpp"

#include <algorithm>

namespace pgmig::lint_detail {

const table_size* size_of(const lint_finding& f, const table_size_map& sizes) {
    if (f.relation.empty()) return nullptr;
    const auto it = sizes.find(f.relation);
    return it == sizes.end() ? nullptr : &it->second;
}

namespace {

// An up finding above low of a rule harmless on new tables, on a table not in the database yet.
bool harmless_here(const lint_finding& f, const table_size_map& sizes) {
    const table_size* t = size_of(f, sizes);
    const lint_rule* r = find_lint_rule(f.rule_id);
    return !f.down && t != nullptr && !t->exists && f.level > risk::low && r != nullptr && r->harmless_on_new_table;
}

} // namespace

void lower_risk_of_new_tables(std::map<std::int64_t, migration_lint>& lints, const table_size_map& sizes) {
    for (auto& entry : lints) {
        migration_lint& l = entry.second;
        risk level = risk::none;
        for (lint_finding& f : l.findings) {
            if (harmless_here(f, sizes)) {
                f.message += std::string(" (was ") + to_string(f.level) + "; " + f.relation +
                             " is not in the database yet, so this blocks no one)";
                f.level = risk::low;
            }
            if (!f.down && !f.suppressed) level = std::max(level, f.level);
        }
        l.level = level;
    }
}

bool destroys_data(const lint_finding& f) {
    const lint_rule* r = find_lint_rule(f.rule_id);
    return !f.down && !f.suppressed && r != nullptr && r->loses_data();
}

bool up_needs_confirmation(const lint_finding& f) {
    return !f.down && !f.suppressed && (f.level >= risk::high || destroys_data(f));
}

} // namespace pgmig::lint_detail
