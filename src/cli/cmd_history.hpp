// pgmig — `history`: every row of the history table.
#pragma once

#include <pgmig/history.hpp>

#include <optional>
#include <vector>

namespace pgmig::detail::cli {

struct command_env;

struct history_result {
    bool history_table_exists = false;
    std::vector<history_row> rows; ///< by id
};

int run_history(command_env& env, std::optional<history_result>& out);

} // namespace pgmig::detail::cli
