// pgmig — `redo`: roll back the latest applied migration and apply it again
// (for development), through the migrator (confirmation required).
#pragma once

#include "cli/pending_risk.hpp"
#include "cli/version_state.hpp"
#include "core/planner.hpp"
#include "engine/executor.hpp"
#include "engine/statements.hpp"

#include <pgmig/error.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace pgmig::detail::cli {

struct command_env;

/// Filled as the command goes (absent: not reached when it stopped on an error).
struct redo_result {
    bool dry_run = false;
    std::vector<step_result> rolled_back;        ///< what ran (also when the up failed)
    std::vector<step_result> applied;
    std::optional<version_state> current_version; ///< as read; after a run, the version it left
    /// What is rolled back and applied again: no step when nothing is applied.
    std::optional<core::rollback_plan> planned;
    /// What the down SQL destroys before the up runs again, with live table sizes.
    std::optional<std::vector<sized_finding>> data_loss;
    std::optional<std::vector<engine::statement>> statements; ///< --dry-run
    std::optional<engine::lock_retry_policy> lock_retry; ///< --dry-run: what a lock timeout does
};

int run_redo(command_env& env, std::optional<redo_result>& out);

} // namespace pgmig::detail::cli
