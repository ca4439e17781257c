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

namespace pgmig::detail::engine {

/// Run `body` statement by statement outside a transaction (see core/resume.hpp
/// for how each statement is sent). Writes a `running` row first (with
/// statements_total, the run id and the backend), records statements_done after
/// each statement, turns it into `success` at the end (with the execution time
/// it returns) or `failed` (with the statement number and line) on error, then
/// throws error(migration_failed). `resume`: start at resume->first, after
/// dropping resume->drop_index, closing the interrupted run's row.
std::int64_t run_no_transaction(exec_context& ctx, std::int64_t version, const std::string& name,
                                const std::string& checksum, direction dir, const std::string& body,
                                const std::optional<std::string>& down_sql, const std::string& file,
                                int section_line, std::int64_t lock_timeout_ms, const core::resume_point* resume,
                                deploy_phase phase = deploy_phase::pre_deploy);

/// The statements run_no_transaction sends, in order (for --dry-run): start
/// (running row + settings), then each statement with its progress update,
/// then the finish (success + superseding earlier rows).
std::vector<std::string> no_transaction_sql(const history_table_name& t, std::int64_t version, const std::string& name,
                                            const std::string& checksum, direction dir, const std::string& body,
                                            const std::optional<std::string>& down_sql, std::int64_t lock_timeout_ms,
                                            const core::resume_point* resume = nullptr,
                                            deploy_phase phase = deploy_phase::pre_deploy,
                                            std::int64_t batch_statement_timeout_ms = 0);
/// `run_id` and `up_sql` (up_sql_values: an up's text; "NULL, NULL" for a down) are SQL.
std::string notx_start_sql(const history_table_name& t, std::int64_t version, const std::string& name,
                           const std::string& checksum, direction dir, std::size_t statements,
                           const std::optional<std::string>& down_sql, const std::string& up_sql,
                           std::int64_t lock_timeout_ms,
                           const std::string& run_id, const core::resume_point* resume = nullptr,
                           deploy_phase phase = deploy_phase::pre_deploy);
std::string notx_progress_sql(const history_table_name& t, std::int64_t version, direction dir, std::size_t done);
/// A statement and its progress update in one round trip (one implicit transaction).
std::string notx_statement_sql(const std::string& statement, const std::string& progress);
std::string drop_invalid_index_sql(const std::string& qualified_index);
/// One batch of a -- pgmig:batch statement, first round trip: its transaction
/// begins with its own timeouts (ms, 0 = none), then the statement (whose
/// affected rows the result reports).
std::string batch_begin_sql(const std::string& statement, std::int64_t lock_timeout_ms,
                            std::int64_t statement_timeout_ms);
/// Second round trip: the batch's progress (`rows` is SQL; the statement is
/// done, statements_done = `done`, when `finished`), then COMMIT.
std::string batch_commit_sql(const history_table_name& t, std::int64_t version, direction dir,
                             const std::string& rows, std::size_t done, bool finished);
/// `execution_ms` is SQL: the time pgmig measured (the one it prints).
std::string notx_finish_sql(const history_table_name& t, std::int64_t version, direction dir,
                            const std::string& execution_ms);

/// Down SQL stored in the history (its file is gone): must it run outside a
/// transaction? True when it holds a statement that cannot run in one, or a
/// -- pgmig:no-transaction line.
bool needs_no_transaction(const std::string& sql);

} // namespace pgmig::detail::engine
