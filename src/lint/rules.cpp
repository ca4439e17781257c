// pgmig — lint: the rule catalogue, built from the rule table (lint/rules.def).
#include "lint/rules.hpp"

#include <vector>

namespace pgmig {
namespace {

lint_rule make_rule(std::string_view id, risk level, rule_category category, detail::lint::on_new_table new_table,
                    detail::lint::activation active, const char* summary, const char* safe_alternative) {
    lint_rule r;
    r.id = std::string(id);
    r.level = level;
    r.category = category;
    r.harmless_on_new_table = new_table == detail::lint::on_new_table::harmless;
    r.enabled_by_default = active == detail::lint::activation::on;
    r.summary = summary;
    r.safe_alternative = safe_alternative;
    // GitHub's anchor of the heading "### `drop-column`".
    r.docs_anchor = r.id;
    return r;
}

std::vector<lint_rule> make_catalogue() {
    using detail::lint::activation;
    using detail::lint::on_new_table;
    return {
#define PGMIG_LINT_RULE(name, id, level, category, new_table, active, summary, safe_alternative) \
    make_rule(id, level, category, new_table, active, summary, safe_alternative),
#include "lint/rules.def"
#undef PGMIG_LINT_RULE
    };
}

} // namespace

const char* to_string(rule_category category) noexcept {
    switch (category) {
    case rule_category::data_loss: return "data-loss";
    case rule_category::lock: return "lock";
    case rule_category::rewrite: return "rewrite";
    case rule_category::compatibility: return "compatibility";
    case rule_category::failure: return "failure";
    case rule_category::transaction: return "transaction";
    case rule_category::design: return "design";
    case rule_category::reversibility: return "reversibility";
    case rule_category::lint: return "lint";
    }
    return "lint";
}

const std::vector<lint_rule>& lint_rules() {
    static const std::vector<lint_rule> rules = make_catalogue();
    return rules;
}

const lint_rule* find_lint_rule(std::string_view id) noexcept {
    const std::optional<detail::lint::rule> r = detail::lint::rule_named(id);
    return r ? &detail::lint::definition(*r) : nullptr;
}

namespace detail::lint {

const lint_rule& definition(rule r) noexcept { return lint_rules()[static_cast<std::size_t>(r)]; }

std::optional<rule> rule_named(std::string_view id) noexcept {
    for (std::size_t i = 0; i < rule_count; ++i)
        if (rule_ids[i] == id) return static_cast<rule>(i);
    return std::nullopt;
}

lint_finding make_finding(rule r, const migration& m, bool down, const std::string& file, int line) {
    const lint_rule& def = definition(r);
    lint_finding f;
    f.rule_id = def.id;
    f.level = def.level;
    f.safe_alternative = def.safe_alternative;
    f.version = m.version;
    f.file = file;
    f.line = line;
    f.column = 1;
    f.statement_line = line;
    f.down = down;
    return f;
}

} // namespace detail::lint
} // namespace pgmig
