// pgmig — PostgreSQL's lexical rules, in one place: where strings, quoted
// identifiers, dollar quotes and comments begin and end.
//
// Used by the splitter (core/sql_split), the statement classifier
// (core/statement_kind), lint's comment positions and the engine. The rules
// (PostgreSQL's, standard_conforming_strings=on):
//   '...' with '' ; E'...' with backslash escapes ; U&'...' U&"..." B'...'
//   X'...' N'...' ; "..." with "" ; $$...$$ and $tag$...$tag$ (tag = identifier
//   characters, not starting with a digit; $1 is a parameter; `a$$` is one
//   identifier) ; -- to end of line (LF or CR) ; nested /* /* */ */ ; string
//   continuation across a newline ('a'<newline>'b', which matters for E''),
//   also with -- comments between the parts, which are then inside the
//   literal's token. An unterminated quote, identifier or block comment runs to
//   the end of the input.
#pragma once

#include <cstddef>
#include <string_view>

namespace pgmig::detail::core {

enum class token_kind {
    word,                 ///< unquoted identifier or keyword
    quoted_identifier,    ///< "..." or U&"..."
    string,               ///< '...', E'...', U&'...', B'...', X'...', N'...'
    dollar_string,        ///< $$...$$, $tag$...$tag$
    number,
    parameter,            ///< $1
    punct,                ///< any other single character: ; ( ) , . = + ...
    comment,              ///< -- ... (up to, not including, the line end) or a terminated /* ... */
    unterminated_comment, ///< /* ... running to the end of the input
};

/// A token: bytes [begin, end) of the lexed text.
struct token {
    token_kind kind = token_kind::punct;
    std::size_t begin = 0;
    std::size_t end = 0;

    bool is_comment() const noexcept {
        return kind == token_kind::comment || kind == token_kind::unterminated_comment;
    }
};

/// Tokens of a SQL text, in order; whitespace between them is skipped.
class sql_lexer {
public:
    explicit sql_lexer(std::string_view sql) noexcept : s_(sql) {}

    /// The next token, comments included; false at the end of the text.
    bool next(token& t);

private:
    char at(std::size_t i) const noexcept { return i < s_.size() ? s_[i] : '\0'; }
    bool block_comment();
    void quoted_string(bool backslash);
    std::size_t continuation(std::size_t p) const noexcept;
    void quoted_identifier();
    token_kind dollar();

    std::string_view s_;
    std::size_t pos_ = 0;
};

/// Case-insensitive comparison of `text` with an upper-case ASCII keyword.
bool keyword_equals(std::string_view text, std::string_view upper_keyword) noexcept;

/// Nothing but whitespace, comments and ';': no statement to send.
bool is_empty_sql(std::string_view sql);

} // namespace pgmig::detail::core
