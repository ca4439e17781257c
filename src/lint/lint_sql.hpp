// pgmig — lint internals: SQL text positions, comments, suppression
// directives, and parsing with libpg_query into per-statement JSON trees.
// Private header: nlohmann_json is a private dependency of the library.
#pragma once

#include "core/sql_lexer.hpp"
#include "core/sql_split.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail::lint {

/// A comment in SQL text: [begin, end) in bytes; `end` of a line comment is its line end (or the text end).
struct comment_span {
    std::size_t begin = 0;
    std::size_t end = 0;
    bool line_comment = false;
};

/// Every comment of `text`, as core/sql_lexer reads PostgreSQL's lexical rules
/// (quoted strings, quoted identifiers, dollar quotes, nested block comments;
/// unterminated constructs run to the end of text).
std::vector<comment_span> find_comments(std::string_view text);

/// A section of a migration file (the up or the down SQL) with its position in
/// the file. A view: the text is the migration's, which outlives it (a seed file
/// of many megabytes is not copied for lint).
class sql_text {
public:
    /// `first_line`: 1-based line of the file where `text` starts. `text` must outlive this object.
    sql_text(std::string_view text, int first_line);
    sql_text(std::string&&, int) = delete; // a temporary would not outlive the view

    std::string_view text() const noexcept { return text_; }
    const std::vector<comment_span>& comments() const noexcept { return comments_; }

    /// 1-based line in the file of byte offset `pos` (clamped to the text).
    int line_of(std::size_t pos) const noexcept;

    /// 1-based column of byte offset `pos` in its line, counted in Unicode code points.
    int column_of(std::size_t pos) const noexcept;

    /// First byte at or after `pos` (and before `limit`) that is neither whitespace nor
    /// inside a comment; `limit` when there is none.
    std::size_t skip_blank(std::size_t pos, std::size_t limit) const noexcept;

    /// One past the last byte in [begin, end) that is neither whitespace nor inside
    /// a comment; `begin` when there is none.
    std::size_t code_end(std::size_t begin, std::size_t end) const noexcept;

    /// The text from `pos` to the end of its line, trimmed, at most `max_bytes`
    /// (cut at a UTF-8 character boundary, "…" appended when cut).
    std::string line_from(std::size_t pos, std::size_t max_bytes = 200) const;

    /// The comment containing byte `pos`, or nullptr.
    const comment_span* comment_at(std::size_t pos) const noexcept;

    /// Does the token spell `word`? A word matches case-insensitively (as PostgreSQL
    /// folds it), a quoted name only exactly.
    bool spells(const core::token& token, std::string_view word) const noexcept;

    /// The byte offset of the first place in [begin, end) where the code tokens
    /// (comments skipped) spell `pattern`: words separated by single spaces; a word
    /// ending in '?' may be absent, '*' stands for any one token, "{}" for `name`
    /// (matched as spells() does). nullopt when the pattern does not occur.
    /// E.g. find(b, e, "drop column? if? exists? {}", "email").
    std::optional<std::size_t> find(std::size_t begin, std::size_t end, std::string_view pattern,
                                    std::string_view name = {}) const;

private:
    std::string_view text_;
    int first_line_ = 1;
    std::vector<std::size_t> line_starts_;
    std::vector<comment_span> comments_;
};

/// A `-- pgmig:allow <rule>[,<rule>…] <reason>` comment.
struct allow_directive {
    std::size_t pos = 0;            ///< byte offset of the comment in the section
    int line = 0;                   ///< file line
    std::string comment;            ///< the comment text, trimmed
    std::vector<std::string> rules; ///< rule ids as written (lower-cased); "all" for every rule
    std::string reason;             ///< empty: the directive is invalid and suppresses nothing
};

/// Every allow directive in the line comments of `text`.
std::vector<allow_directive> find_allow_directives(const sql_text& text);

/// Why libpg_query could not parse a statement.
struct parse_failure {
    std::string error;         ///< the parser's message
    int error_line = 0;        ///< file line the parser pointed at
    std::size_t error_pos = 0; ///< byte of the section the parser pointed at
};

/// One statement of a section. A section keeps one per statement (a seed file
/// has hundreds of thousands), so what only a failed parse has is kept apart.
struct parsed_statement {
    nlohmann::json node;       ///< {"<NodeType>": {...}}; null when parsing failed
    std::size_t begin = 0;     ///< first code byte
    std::size_t end = 0;       ///< one past the last code byte (the ';' excluded)
    std::size_t stop = 0;      ///< the terminating ';', or end - 1 when there is none
    std::size_t base = 0;      ///< offset of the parsed text in the section: parse-tree
                               ///< `location` values are relative to it
    int first_line = 0;        ///< file line of `begin`
    int last_line = 0;         ///< file line of `stop`
    std::unique_ptr<parse_failure> failure; ///< libpg_query could not parse this statement

    bool failed() const noexcept { return failure != nullptr; }
};

/// Parses the section with libpg_query a batch of statements at a time (whole
/// statements, about batch_bytes of text; split by core's splitter), so that
/// memory holds the parse trees of one batch, not of a whole seed file. When a
/// batch does not parse, it is split with libpg_query's scanner and each
/// statement is parsed on its own, so one statement the PostgreSQL 15 grammar
/// does not know fails alone. The literal rows of a VALUES list after the first
/// are not parsed (see core::literal_rows_after_first). Never throws for SQL
/// problems.
class statement_reader {
public:
    static constexpr std::size_t batch_bytes = 256 * 1024;

    explicit statement_reader(const sql_text& text); ///< `text` must outlive the reader

    /// How many statements the section has (for reserving).
    std::size_t statement_count() const noexcept { return spans_.size(); }

    /// Appends the statements of the next batch to `out`; false when there are no more.
    bool next(std::vector<parsed_statement>& out);

private:
    const sql_text& text_;
    std::vector<core::sql_span> spans_;
    std::size_t next_ = 0; ///< index of the next batch's first statement
    std::size_t from_ = 0; ///< byte where the next batch starts
    bool done_ = false;
};

/// Every statement of the section (statement_reader to the end).
std::vector<parsed_statement> parse_statements(const sql_text& text);

} // namespace pgmig::detail::lint
