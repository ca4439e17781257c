// pgmig — splitting PostgreSQL SQL text into statements (internal).
//
// Used by the executor to run a no-transaction migration statement by
// statement, by the parser and lint to look at each statement (see
// core/statement_kind), and by lint.
//
// Two splitters produce the same result:
//   * libpg_query's parser (PostgreSQL 15's own grammar), used first;
//   * a lexer of our own, used when libpg_query cannot parse the text (newer
//     syntax than its PG15 grammar, syntax errors, unterminated constructs).
// Both return statements with identical semantics (see sql_statement); the
// unit tests and the fuzz target check that they agree whenever libpg_query
// parses the input.
//
// The own splitter reads tokens with core/sql_lexer (PostgreSQL's lexical
// rules: strings, quoted identifiers, dollar quotes, comments) and splits at
// the ';' tokens that end a statement. Semicolons inside parentheses (CREATE
// RULE ... DO (a; b)) and inside a BEGIN ATOMIC ... END body of CREATE [OR
// REPLACE] FUNCTION|PROCEDURE do not. The body ends at the END that follows a
// ';' (or ATOMIC): the END of a nested CASE and `end` as a column label (`AS
// end`, `SELECT 1 end`, `r.end`) follow an expression instead, as in
// PostgreSQL's grammar (psql 15's heuristic gets the labels wrong).
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

namespace pgmig::detail::core {

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

/// Where a statement of a SQL text is: bytes [begin, end) (the same range as
/// sql_statement::text, without copying it).
struct sql_span {
    std::size_t begin = 0;
    std::size_t end = 0;
};

/// Texts longer than this are split by the own lexer alone (libpg_query's
/// parser would hold the parse tree of the whole text in memory).
inline constexpr std::size_t parser_split_limit = std::size_t{1} << 20;

/// Split SQL into statements. Empty statements (only whitespace, comments or
/// ';') are dropped. Never throws on unterminated quotes or comments: the
/// rest of the input becomes the last statement. Uses libpg_query when it
/// parses the text (up to parser_split_limit bytes), the own lexer otherwise
/// (same results either way).
std::vector<sql_statement> split_sql(std::string_view sql);

/// The statements of split_sql_lexer(sql) as byte ranges of `sql`.
std::vector<sql_span> split_sql_spans(std::string_view sql);

/// split_sql() with the own lexer only.
std::vector<sql_statement> split_sql_lexer(std::string_view sql);

/// split_sql() with libpg_query only; std::nullopt when libpg_query cannot
/// parse the text (syntax error, syntax newer than PostgreSQL 15, a NUL byte).
std::optional<std::vector<sql_statement>> split_sql_parser(std::string_view sql);

/// 1-based line of byte `offset` of `text` (LF, CRLF and a lone CR each end a line).
int line_of_offset(std::string_view text, std::size_t offset) noexcept;

} // namespace pgmig::detail::core
