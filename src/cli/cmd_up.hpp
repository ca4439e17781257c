// pgmig — `up` (alias `apply`): apply the pending migrations (all, up to --to
// V, or the next --steps N) through the migrator; --dry-run prints every
// statement. Migrations with a high or critical lint finding ask first.
#pragma once

#include "cli/pending_risk.hpp"
#include "cli/version_state.hpp"
#include "engine/executor.hpp"
#include "engine/statements.hpp"

#include <pgmig/error.hpp>
#include <pgmig/lint.hpp>
#include <pgmig/reconcile.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pgmig::detail::cli {

struct command_env;

/// A migration `up` is about to apply.
struct up_migration {
    std::int64_t version = 0;
    std::string name, file;
    bool reversible = false;
};

/// A planned migration with findings that make `up` ask before it runs.
struct risky_migration {
    std::int64_t version = 0;
    std::string name, file;
    risk level = risk::none;
    std::vector<lint_finding> findings; ///< those that need confirmation
};

/// Filled as the command goes: a field that is absent (nullopt) had not been
/// reached when the command stopped on an error.
struct up_result {
    bool dry_run = false;
    std::optional<std::int64_t> to;              ///< --to (none: no limit)
    std::optional<int> steps;                    ///< --steps (none: no limit)
    phase_selection phase = phase_selection::pre_deploy; ///< --phase
    std::vector<up_migration> waiting;           ///< pending, of another phase (not applied)
    std::vector<step_result> applied;            ///< what ran, in order (also when a later one failed)
    std::optional<version_state> current_version; ///< as read; after a run, the version it left
    std::optional<std::vector<problem>> warnings;
    std::optional<std::vector<up_migration>> planned;
    std::optional<std::vector<risky_migration>> risky;     ///< what needs confirmation (after lint)
    std::optional<std::vector<sized_finding>> data_loss;   ///< the data-loss findings among them, with live table sizes
    std::optional<std::vector<engine::statement>> statements; ///< --dry-run
    std::optional<engine::lock_retry_policy> lock_retry; ///< --dry-run: what a lock timeout does
};

int run_up(command_env& env, std::optional<up_result>& out);

} // namespace pgmig::detail::cli
