// pgmig — `import --from <tool>`: adopt a database another tool migrated
// (golang-migrate, goose, dbmate, sqlx, Flyway, sqitch). Reads that tool's
// history, checks it against the migration files (versions; checksums where
// the tool records them and the algorithm allows), and records the applied
// migrations in pgmig's history in one transaction under the lock, through
// the migrator (core/foreign_history.hpp decides; the other tool's table is
// only read). --dry-run shows the rows and statements; writing asks first.
#pragma once

#include "cli/bookkeeping.hpp"
#include "core/foreign_history.hpp"

#include <optional>
#include <string>

namespace pgmig::detail::cli {

struct import_result {
    std::string tool;                         ///< --from, as the tool is named
    std::string table;                        ///< the tool's table, schema.table
    std::optional<core::import_report> report; ///< what the tool's history says (absent: not read)
    bookkeeping_result book;                  ///< the plan, its statements (--dry-run) or what was recorded
};

int run_import(command_env& env, std::optional<import_result>& out);

} // namespace pgmig::detail::cli
