// pgmig — `check-rollback`: does each pending migration's down undo its up?
// (inside one transaction that is always rolled back; exit 12 when one differs
// or fails).
#pragma once

#include "cli/version_state.hpp"
#include "engine/check_rollback.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace pgmig::detail::cli {

struct command_env;

/// Exit code of `check-rollback` when a down does not restore the schema (or fails).
constexpr int check_rollback_exit_code = 12;

/// How many checks ended how.
struct check_counts {
    std::size_t ok = 0, differs = 0, failed = 0, skipped = 0;
};

/// Filled as the command goes (absent: not reached when it stopped on an error).
struct check_rollback_result {
    std::optional<std::int64_t> to;              ///< --to (none: every pending migration)
    std::optional<version_state> current_version;
    std::optional<std::vector<engine::rollback_check>> checks;
    check_counts counts;
    bool differs = false;                        ///< a down differs or failed
};

int run_check_rollback(command_env& env, std::optional<check_rollback_result>& out);

} // namespace pgmig::detail::cli
