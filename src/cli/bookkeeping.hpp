// pgmig — what `baseline`, `repair` and `force` share: a bookkeeping plan
// (recorded state only, no migration SQL) shown, dry-run or confirmed, then
// recorded by the migrator.
#pragma once

#include "cli/version_state.hpp"
#include "core/planner.hpp"
#include "engine/statements.hpp"
#include "lint/created_objects.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace pgmig::detail::engine {
class migrator;
struct run_result;
} // namespace pgmig::detail::engine

namespace pgmig::detail::cli {

struct command_env;

enum class bookkeeping_command { baseline, repair, force, import_history };

/// Filled as the command goes (absent: not reached when it stopped on an error).
struct bookkeeping_result {
    bookkeeping_command command = bookkeeping_command::baseline;
    std::int64_t version = 0;        ///< baseline --version V, force V
    /// force: the state it records; `force 0` is "nothing applied" unless 0 is a version of the set.
    version_state force_target;
    bool accept_checksums = false;   ///< repair --accept-checksums
    bool dry_run = false;
    /// repair without --accept-checksums: the migrations changed since applied, which it leaves as they are.
    std::vector<drifted_migration> remaining_drift;
    /// baseline: the objects its migrations create that the database lacks (refused unless --force).
    std::optional<std::vector<lint::created_object>> missing_objects;
    /// Planned, then (applied_changes) what was recorded.
    std::optional<std::vector<core::bookkeeping_change>> changes;
    bool applied_changes = false;
    std::optional<version_state> current_version; ///< as read; after recording, the version recorded
    std::optional<std::vector<engine::statement>> statements; ///< --dry-run
};

/// The migrator's writing verb for a bookkeeping command.
using bookkeeping_verb =
    std::function<engine::run_result(engine::migrator&, const core::bookkeeping_plan*)>;

/// Shows `plan` (planned from m.state()) in `out`, then: nothing to do, the
/// dry run's statements, or (after confirmation when `needs_confirmation`)
/// the verb's run. Exit 0.
int run_bookkeeping(command_env& env, engine::migrator& m, const core::bookkeeping_plan& plan,
                    bool needs_confirmation, const bookkeeping_verb& verb, bookkeeping_result& out);

} // namespace pgmig::detail::cli
