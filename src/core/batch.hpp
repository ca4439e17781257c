// pgmig — batched statements (`-- pgmig:batch [pause <duration>] [timeout <duration>]`
// on the line(s) before a statement of a no-transaction migration): what the
// directive says and which statement it is on. The parser checks them
// (core/migration_file.cpp), the no-transaction executor runs them
// (engine/executor_notx.cpp: the statement again and again, each time in a
// short transaction of its own with its progress, until it affects no row),
// lint reads them (a bounded UPDATE is accepted there).
#pragma once

#include "core/sql_split.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail::core {

/// What one -- pgmig:batch line says.
struct batch_spec {
    std::chrono::milliseconds pause{0};                          ///< sleep between batches
    std::optional<std::chrono::milliseconds> statement_timeout;  ///< per batch; unset = the run's
};

/// The arguments of -- pgmig:batch ("", "pause 50ms", "timeout 30s", both in
/// any order). `problem` says what is wrong when `spec` is empty.
struct parsed_batch {
    std::optional<batch_spec> spec;
    std::string problem;
};
parsed_batch parse_batch_args(std::string_view args);

/// One -- pgmig:batch line of a SQL text and the statement it is on: the next
/// statement after it (none when only comments follow).
struct batch_marker {
    int line = 0;                          ///< 1-based line of the directive in the text
    std::optional<std::size_t> statement;  ///< index into the statements
    parsed_batch parsed;
};
/// Every -- pgmig:batch line outside the statements of `sql` (in the comments
/// between them), with `statements` = split_sql_spans(sql).
std::vector<batch_marker> batch_markers(std::string_view sql, const std::vector<sql_span>& statements);

/// The batch spec of each statement (nullopt: runs once), from batch_markers;
/// a statement with a malformed directive runs once (the parser refuses such files).
std::vector<std::optional<batch_spec>> batch_specs(std::string_view sql, const std::vector<sql_statement>& statements);

/// A -- pgmig:batch line where it cannot stand: in a part that runs in one
/// transaction, with no statement after it, a second one on a statement, on a
/// statement that changes no rows. `line` is 1-based in the text; `text` the
/// problem and its fix (the parser reports them; malformed arguments are its own).
struct batch_misplaced {
    int line = 0;
    std::string text;
};
std::vector<batch_misplaced> misplaced_batches(std::string_view sql, bool no_transaction);

/// Is `statement` one a batch can repeat: a data change that reports the rows
/// it affected (UPDATE, DELETE, INSERT, MERGE, or WITH … one of them)?
bool is_batchable_statement(std::string_view statement) noexcept;

} // namespace pgmig::detail::core
