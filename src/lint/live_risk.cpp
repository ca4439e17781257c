// pgmig — lint with the live database in view.
#include "lint/live_risk.hpp"

#include "lint/rules.hpp"

#include <algorithm>

namespace pgmig::detail::lint {

const table_size* size_of(const lint_finding& f, const table_size_map& sizes) {
    if (f.relation.empty()) return nullptr;
    const auto it = sizes.find(f.relation);
    return it == sizes.end() ? nullptr : &it->second;
}

namespace {

bool is_pending(const std::optional<std::int64_t>& version, const std::vector<std::int64_t>& pending) {
    return version && std::find(pending.begin(), pending.end(), *version) != pending.end();
}

// Why the object of `f` is not in the database yet, or "" when it is (or lint cannot tell).
std::string not_in_database(const lint_finding& f, const table_size_map& sizes, const std::vector<std::int64_t>& pending) {
    if (const table_size* t = size_of(f, sizes)) return t->exists ? std::string() : f.relation + " is not in the database yet";
    if (!is_pending(f.created_by, pending)) return {};
    return (f.relation.empty() ? std::string("what it changes") : f.relation) + " is not in the database yet (migration " +
           std::to_string(*f.created_by) + " of this run creates it)";
}

bool tiny(const table_size& t) {
    return t.exists && t.rows && *t.rows <= tiny_table_rows && (!t.bytes || *t.bytes <= tiny_table_bytes);
}

std::string rows_text(std::int64_t rows) {
    return "an estimated " + std::to_string(rows) + (rows == 1 ? " row" : " rows");
}

void lower(lint_finding& f, risk to, const std::string& why) {
    f.message += std::string(" (was ") + to_string(f.level) + "; " + why + ")";
    f.level = to;
}

void adjust(lint_finding& f, const table_size_map& sizes, const std::vector<std::int64_t>& pending) {
    if (f.down) return;
    const lint_rule* r = find_lint_rule(f.rule_id);
    if (r == nullptr) return;
    if (r->harmless_on_new_table) {
        const std::string missing = not_in_database(f, sizes, pending);
        if (!missing.empty()) {
            f.not_in_database = true;
            if (f.level > risk::low)
                lower(f, risk::low,
                      missing + ", so no row and no running code is affected: this blocks no one and loses nothing");
            return;
        }
    }
    const table_size* t = size_of(f, sizes);
    if (t == nullptr || !tiny(*t)) return;
    if (is(f, rule::update_without_where) && f.level > risk::low)
        lower(f, risk::low, f.relation + " holds " + rows_text(*t->rows) + ", so the rewrite takes no time and locks little");
    else if (is(f, rule::delete_without_where) && f.level > risk::medium)
        lower(f, risk::medium,
              f.relation + " holds " + rows_text(*t->rows) + ": quick, but those rows are still deleted");
}

} // namespace

void adjust_to_live_database(std::map<std::int64_t, migration_lint>& lints, const table_size_map& sizes,
                             const std::vector<std::int64_t>& pending) {
    for (const std::int64_t version : pending) {
        const auto it = lints.find(version);
        if (it == lints.end()) continue;
        migration_lint& l = it->second;
        risk level = risk::none;
        for (lint_finding& f : l.findings) {
            adjust(f, sizes, pending);
            if (!f.down && !f.suppressed) level = std::max(level, f.level);
        }
        l.level = level;
    }
}

bool destroys_data(const lint_finding& f) {
    const lint_rule* r = find_lint_rule(f.rule_id);
    return !f.down && !f.suppressed && !f.not_in_database && r != nullptr && r->loses_data();
}

bool up_needs_confirmation(const lint_finding& f) {
    return !f.down && !f.suppressed && (f.level >= risk::high || destroys_data(f));
}

} // namespace pgmig::detail::lint
