// pgmig — what kind of statement a SQL text is, read from its tokens
// (core/sql_lexer): the one "cannot run inside a transaction block" classifier
// and the one test for transaction control. Used by the parser (a
// transactional section must not hold such a statement), lint and the engine.
#pragma once

#include "core/sql_split.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail::core {

/// If the statement cannot run inside a transaction block on PostgreSQL 12+,
/// a short name of what it is, else "". Names: "CREATE INDEX CONCURRENTLY",
/// "DROP INDEX CONCURRENTLY", "REINDEX CONCURRENTLY", "REINDEX SCHEMA",
/// "REINDEX DATABASE", "REINDEX SYSTEM", "VACUUM", "CLUSTER" (without a
/// table), "CREATE DATABASE", "DROP DATABASE", "ALTER DATABASE ... SET TABLESPACE",
/// "ALTER SYSTEM", "CREATE TABLESPACE", "DROP TABLESPACE", "CREATE SUBSCRIPTION"
/// (unless WITH (create_slot = false) or (connect = false)), "DROP SUBSCRIPTION"
/// (conservative: the server refuses it only when a slot is attached),
/// "ALTER SUBSCRIPTION ... REFRESH", "ALTER SUBSCRIPTION with refresh"
/// (SET/ADD/DROP PUBLICATION unless WITH (refresh = false)),
/// "DETACH PARTITION CONCURRENTLY", "DISCARD ALL", "COMMIT PREPARED",
/// "ROLLBACK PREPARED". Not included: ALTER TYPE ... ADD VALUE (allowed in a
/// transaction since PG 12), CLUSTER of a partitioned table (cannot be known
/// from the text). Comments, case and the contents of strings and quoted
/// identifiers are ignored. When the text holds several statements, the first
/// one that cannot run in a transaction block is reported.
std::string non_transactional_statement(std::string_view statement);

/// True for transaction control: BEGIN, START TRANSACTION, COMMIT, END,
/// ROLLBACK (also TO SAVEPOINT), ABORT, SAVEPOINT, RELEASE, PREPARE TRANSACTION,
/// COMMIT PREPARED, ROLLBACK PREPARED. (SET TRANSACTION is not: it only sets
/// characteristics.) When the text holds several statements, true if any is.
bool is_transaction_control(std::string_view statement);

/// The rows of the statement's VALUES list (INSERT ... VALUES, VALUES, CREATE
/// TABLE ... AS VALUES) after the first that hold nothing but literals: each
/// value a number or string (optionally signed), NULL, TRUE, FALSE or DEFAULT.
/// Returned as byte ranges of `statement`, each from the end of the row before
/// to the end of the last of consecutive such rows (so the commas go with them),
/// in order. Blanking these ranges leaves a statement that parses to the same
/// tree minus those rows: lint does it, because a seed of a million rows would
/// otherwise become a parse tree of a million rows, and no rule reads literals
/// in a VALUES list. A row followed by anything but ',', a word or the end is not
/// included (blanking must not hide a syntax error such as `(1)::int`).
std::vector<sql_span> literal_rows_after_first(std::string_view statement);

} // namespace pgmig::detail::core
