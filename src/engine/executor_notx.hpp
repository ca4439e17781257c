// pgmig — no-transaction migrations (-- pgmig:no-transaction): statement by
// statement, outside a transaction, with a `running` history row that records
// progress; and the SQL text of that (shared with --dry-run).
#pragma once

#include "engine/executor.hpp"

#include <pgmig/history.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pgmig::detail {

/// Run `body` statement by statement outside a transaction.
/// Writes a `running` row first (with statements_total), updates statements_done
/// after each statement, turns it into `success` at the end or `failed` (with the
/// statement number and line) on error, then throws error(migration_failed).
std::int64_t run_no_transaction(exec_context& ctx, std::int64_t version, const std::string& name,
                                const std::string& checksum, direction dir, const std::string& body,
                                const std::optional<std::string>& down_sql, const std::string& file,
                                int section_line, std::int64_t lock_timeout_ms);

/// The statements run_no_transaction sends, in order (for --dry-run): start
/// (running row + settings), then each statement followed by its progress
/// update, then the finish (success + superseding earlier rows).
std::vector<std::string> no_transaction_sql(const history_table_name& t, std::int64_t version, const std::string& name,
                                            const std::string& checksum, direction dir, const std::string& body,
                                            const std::optional<std::string>& down_sql, std::int64_t lock_timeout_ms);
std::string notx_start_sql(const history_table_name& t, std::int64_t version, const std::string& name,
                           const std::string& checksum, direction dir, std::size_t statements,
                           const std::optional<std::string>& down_sql, std::int64_t lock_timeout_ms);
std::string notx_progress_sql(const history_table_name& t, std::int64_t version, direction dir, std::size_t done);
std::string notx_finish_sql(const history_table_name& t, std::int64_t version, direction dir);

/// Down SQL stored in the history (its file is gone): must it run outside a
/// transaction? True when it holds a statement that cannot run in one, or a
/// -- pgmig:no-transaction line.
bool needs_no_transaction(const std::string& sql);

} // namespace pgmig::detail
