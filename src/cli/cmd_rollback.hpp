// pgmig — `rollback` (alias `down`): roll back the latest applied migration,
// the latest --steps N, or every one after --to V, through the migrator
// (confirmation required); --dry-run prints every statement.
#pragma once

#include "cli/pending_risk.hpp"
#include "cli/version_state.hpp"
#include "core/planner.hpp"
#include "engine/executor.hpp"
#include "engine/statements.hpp"

#include <pgmig/error.hpp>
#include <pgmig/reconcile.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace pgmig::detail::cli {

struct command_env;

/// Filled as the command goes (absent: not reached when it stopped on an error).
struct rollback_result {
    bool dry_run = false;
    std::optional<std::int64_t> to;              ///< --to (none: --steps)
    std::optional<int> steps;                    ///< --steps or 1 (none with --to)
    std::vector<step_result> rolled_back;        ///< what ran, in order (also when a later one failed)
    std::optional<version_state> current_version; ///< as read; after a run, the version it left
    std::optional<std::vector<problem>> warnings;
    /// Latest first: what it rolls back, also when it refused (then with what is not reversible).
    std::optional<std::vector<core::rollback_step>> planned;
    /// What their down SQL destroys, with live table sizes.
    std::optional<std::vector<sized_finding>> data_loss;
    std::optional<std::vector<engine::statement>> statements;  ///< --dry-run
    std::optional<engine::lock_retry_policy> lock_retry; ///< --dry-run: what a lock timeout does
};

int run_rollback(command_env& env, std::optional<rollback_result>& out);

} // namespace pgmig::detail::cli
