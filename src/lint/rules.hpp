// pgmig — lint internals: the rules as the code names them. Every rule is one
// entry of lint/rules.def; code names a rule by its enumerator (rule::drop_column),
// so a finding of a rule that is not in the table does not compile.
#pragma once

#include <pgmig/lint.hpp>
#include <pgmig/migration.hpp>

#include <bitset>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

namespace pgmig::detail::lint {

/// Whether the risk of a rule's findings disappears on a table that is not in
/// the database yet (lint_rule::harmless_on_new_table).
enum class on_new_table : bool { risky = false, harmless = true };

/// Whether a rule runs unless disabled, or only when enabled (lint_rule::enabled_by_default).
enum class activation : bool { opt_in = false, on = true };

/// Every rule, in the table's (documentation) order.
enum class rule : unsigned char {
#define PGMIG_LINT_RULE(name, ...) name,
#include "lint/rules.def"
#undef PGMIG_LINT_RULE
};

/// The rules' ids, indexed by rule.
inline constexpr std::string_view rule_ids[] = {
#define PGMIG_LINT_RULE(name, id, ...) id,
#include "lint/rules.def"
#undef PGMIG_LINT_RULE
};

inline constexpr std::size_t rule_count = std::size(rule_ids);

/// "drop-column" for rule::drop_column.
constexpr std::string_view id_of(rule r) noexcept { return rule_ids[static_cast<std::size_t>(r)]; }

/// The rule's catalogue entry (the element of lint_rules() at the rule's index).
const lint_rule& definition(rule r) noexcept;

/// The rule with this id (exactly as lint_rule::id spells it), if there is one.
std::optional<rule> rule_named(std::string_view id) noexcept;

/// A set of rules (e.g. the ones disabled for a run).
using rule_set = std::bitset<rule_count>;

/// Builds a finding of `r` with the rule's level and safe alternative, at column 1 of
/// `line` (also the statement's line).
lint_finding make_finding(rule r, const migration& m, bool down, const std::string& file, int line);

/// Is `f` a finding of `r`?
inline bool is(const lint_finding& f, rule r) noexcept { return f.rule_id == id_of(r); }

} // namespace pgmig::detail::lint
