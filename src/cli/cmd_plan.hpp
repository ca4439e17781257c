// pgmig — `plan`: what `up` would do, with the SQL, lint risk and live table
// sizes of each pending migration, and whatever would make `up` refuse
// (exit 0 nothing pending, 2 pending, 3/4 `up` would refuse).
#pragma once

#include "cli/version_state.hpp"
#include "cli/pending_risk.hpp"

#include <pgmig/error.hpp>
#include <pgmig/lint.hpp>
#include <pgmig/reconcile.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail::cli {

struct command_env;

/// A pending migration as `plan` shows it.
struct plan_migration {
    pending_migration pending;
    bool no_transaction = false;
    std::int64_t lock_timeout_ms = 0;     ///< in effect for it (its directive or --lock-timeout's default)
    /// The migration's SQL: views of the set's text (a seed file is not copied),
    /// which outlives the result.
    std::string_view sql;
    std::optional<std::string_view> down_sql;  ///< none when not reversible
    std::optional<risk> level;            ///< lint's, lowered for new tables; none when lint is unavailable
    std::vector<sized_finding> findings;  ///< its up findings
};

struct plan_result {
    version_state current_version;
    std::vector<plan_migration> pending;  ///< in the order `up` applies them
    std::vector<problem> problems;
    std::optional<error> refusal;         ///< why `up` would refuse
    std::optional<risk> level;            ///< highest among the pending; none when lint is unavailable
    std::size_t finding_count = 0;        ///< unsuppressed up findings of the pending migrations
};

int run_plan(command_env& env, std::optional<plan_result>& out);

} // namespace pgmig::detail::cli
