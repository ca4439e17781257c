// pgmig — splitting PostgreSQL SQL text into statements (internal).
//
// Used by the executor to run a no-transaction migration statement by
// statement, and by lint to find statements that cannot run inside a
// transaction block.
//
// Two splitters produce the same result:
//   * libpg_query's parser (PostgreSQL 15's own grammar), used first;
//   * a lexer of our own, used when libpg_query cannot parse the text (newer
//     syntax than its PG15 grammar, syntax errors, unterminated constructs).
// Both return statements with identical semantics (see sql_statement); the
// unit tests and the fuzz target check that they agree whenever libpg_query
// parses the input.
//
// Lexical rules of the own lexer (PostgreSQL's, standard_conforming_strings=on):
//   '...' with '' ; E'...' with backslash escapes ; U&'...' U&"..." B'...'
//   X'...' N'...' ; "..." with "" ; $$...$$ and $tag$...$tag$ (tag = identifier
//   characters, not starting with a digit; $1 is a parameter; `a$$` is one
//   identifier) ; -- to end of line (LF or CR) ; nested /* /* */ */ ; string
//   continuation across a newline ('a'<newline>'b', which matters for E'')
//   ; semicolons inside parentheses (CREATE RULE ... DO (a; b)) and inside a
//   BEGIN ATOMIC ... END body of CREATE [OR REPLACE] FUNCTION|PROCEDURE do not
//   end a statement. The body ends at the END that follows a ';' (or ATOMIC):
//   the END of a nested CASE and `end` as a column label (`AS end`,
//   `SELECT 1 end`, `r.end`) follow an expression instead, as in PostgreSQL's
//   grammar (psql 15's heuristic gets the labels wrong).
//
// Where libpg_query 15-4.0 is wrong, the lexer is right and is used (libpg_query
// then fails to parse): it rejects -- comments in the whitespace between the
// parts of a continued literal ('a' -- c<newline>'b'), which the server accepts.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail {

/// One statement of a SQL text.
///
/// `text` runs from the first token of the statement to the end of its last
/// token: the trailing ';' is not included, nor are whitespace and comments
/// before the first token or after the last one; comments between tokens are
/// kept. An unterminated quote, identifier or block comment runs to the end
/// of the input and is part of the text (so the server reports it).
struct sql_statement {
    std::string text;       ///< the statement exactly as in the input (see above)
    std::size_t offset = 0; ///< byte offset of text[0] in the input
    int line = 1;           ///< 1-based line of text[0] in the input (LF, CRLF and a lone CR each end a line)
};

bool operator==(const sql_statement& a, const sql_statement& b) noexcept;
bool operator!=(const sql_statement& a, const sql_statement& b) noexcept;

/// Split SQL into statements. Empty statements (only whitespace, comments or
/// ';') are dropped. Never throws on unterminated quotes or comments: the
/// rest of the input becomes the last statement. Uses libpg_query when it
/// parses the text, the own lexer otherwise (same results either way).
std::vector<sql_statement> split_sql(std::string_view sql);

/// split_sql() with the own lexer only.
std::vector<sql_statement> split_sql_lexer(std::string_view sql);

/// split_sql() with libpg_query only; std::nullopt when libpg_query cannot
/// parse the text (syntax error, syntax newer than PostgreSQL 15, a NUL byte).
std::optional<std::vector<sql_statement>> split_sql_parser(std::string_view sql);

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

/// 1-based line of byte `offset` of `text` (LF, CRLF and a lone CR each end a line).
int line_of_offset(std::string_view text, std::size_t offset) noexcept;

} // namespace pgmig::detail
