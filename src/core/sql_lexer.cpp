// pgmig — PostgreSQL's lexical rules. See sql_lexer.hpp.
#include "core/sql_lexer.hpp"

#include "core/text.hpp"

#include <algorithm>

namespace pgmig::detail::core {
namespace {

bool is_newline(char c) noexcept { return c == '\n' || c == '\r'; }
bool is_ident_start(char c) noexcept { return is_alpha(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80; }
// Dollar-quote tags: identifier characters without '$'.
bool is_tag_char(char c) noexcept { return is_ident_start(c) || is_digit(c); }
bool is_ident_char(char c) noexcept { return is_tag_char(c) || c == '$'; }

} // namespace

// The next token (comments included, whitespace skipped); false at the end.
bool sql_lexer::next(token& t) {
    const std::size_t n = s_.size();
    while (pos_ < n && is_space(s_[pos_])) ++pos_;
    if (pos_ >= n) return false;
    t.begin = pos_;
    const char c = s_[pos_];
    const char c1 = at(pos_ + 1);
    const char c2 = at(pos_ + 2);
    if (c == '-' && c1 == '-') {
        while (pos_ < n && !is_newline(s_[pos_])) ++pos_;
        t.kind = token_kind::comment;
    } else if (c == '/' && c1 == '*') {
        t.kind = block_comment() ? token_kind::comment : token_kind::unterminated_comment;
    } else if ((c == 'e' || c == 'E') && c1 == '\'') {
        ++pos_;
        quoted_string(true);
        t.kind = token_kind::string;
    } else if ((c == 'b' || c == 'B' || c == 'x' || c == 'X' || c == 'n' || c == 'N') && c1 == '\'') {
        ++pos_;
        quoted_string(false);
        t.kind = token_kind::string;
    } else if ((c == 'u' || c == 'U') && c1 == '&' && c2 == '\'') {
        pos_ += 2;
        quoted_string(false);
        t.kind = token_kind::string;
    } else if ((c == 'u' || c == 'U') && c1 == '&' && c2 == '"') {
        pos_ += 2;
        quoted_identifier();
        t.kind = token_kind::quoted_identifier;
    } else if (c == '\'') {
        quoted_string(false);
        t.kind = token_kind::string;
    } else if (c == '"') {
        quoted_identifier();
        t.kind = token_kind::quoted_identifier;
    } else if (c == '$') {
        t.kind = dollar();
    } else if (is_ident_start(c)) {
        while (pos_ < n && is_ident_char(s_[pos_])) ++pos_;
        t.kind = token_kind::word;
    } else if (is_digit(c) || (c == '.' && is_digit(c1))) {
        // Digits, '.', exponent, 0x.., 1_000 and (invalid) trailing junk:
        // nothing in a number can start a quote or a comment.
        while (pos_ < n && (is_digit(s_[pos_]) || s_[pos_] == '.' || s_[pos_] == '_' ||
                            (s_[pos_] >= 'a' && s_[pos_] <= 'z') || (s_[pos_] >= 'A' && s_[pos_] <= 'Z')))
            ++pos_;
        t.kind = token_kind::number;
    } else {
        ++pos_;
        t.kind = token_kind::punct;
    }
    t.end = pos_;
    return true;
}

// At "/*". Returns false when the comment runs to the end of the input.
bool sql_lexer::block_comment() {
    const std::size_t n = s_.size();
    pos_ += 2;
    int depth = 1;
    while (pos_ < n) {
        if (s_[pos_] == '/' && at(pos_ + 1) == '*') {
            ++depth;
            pos_ += 2;
        } else if (s_[pos_] == '*' && at(pos_ + 1) == '/') {
            pos_ += 2;
            if (--depth == 0) return true;
        } else {
            ++pos_;
        }
    }
    return false;
}

// At the opening quote of a string literal. `backslash` for E'' strings.
void sql_lexer::quoted_string(bool backslash) {
    const std::size_t n = s_.size();
    ++pos_;
    while (pos_ < n) {
        const char c = s_[pos_];
        if (backslash && c == '\\') {
            pos_ = std::min(n, pos_ + 2);
        } else if (c == '\'') {
            if (at(pos_ + 1) == '\'') {
                pos_ += 2;
                continue;
            }
            ++pos_;
            // 'a'<newline>'b' is one literal, lexed by the same rules.
            const std::size_t next_quote = continuation(pos_);
            if (next_quote == std::string_view::npos) return;
            pos_ = next_quote + 1;
        } else {
            ++pos_;
        }
    }
}

// After a closing quote at `p`: where the continuation quote is when only
// whitespace holding at least one newline, and -- comments (each ended by
// a newline), separate it from the previous literal; npos otherwise.
// (The server accepts 'a' -- c<newline>'b'; libpg_query 15-4.0 does not.)
std::size_t sql_lexer::continuation(std::size_t p) const noexcept {
    const std::size_t n = s_.size();
    while (p < n) {
        if (is_blank(s_[p])) {
            ++p;
        } else if (s_[p] == '-' && at(p + 1) == '-') {
            while (p < n && !is_newline(s_[p])) ++p;
        } else {
            break;
        }
    }
    if (p >= n || !is_newline(s_[p])) return std::string_view::npos;
    ++p;
    while (p < n) {
        const char c = s_[p];
        if (is_space(c)) {
            ++p;
        } else if (c == '-' && at(p + 1) == '-') {
            while (p < n && !is_newline(s_[p])) ++p;
            if (p >= n) return std::string_view::npos;
            ++p;
        } else if (c == '\'') {
            return p;
        } else {
            return std::string_view::npos;
        }
    }
    return std::string_view::npos;
}

// At the opening '"'.
void sql_lexer::quoted_identifier() {
    const std::size_t n = s_.size();
    ++pos_;
    while (pos_ < n) {
        if (s_[pos_] == '"') {
            if (at(pos_ + 1) == '"') {
                pos_ += 2;
                continue;
            }
            ++pos_;
            return;
        }
        ++pos_;
    }
}

// At '$': a parameter, a dollar-quoted string or a lone '$'.
token_kind sql_lexer::dollar() {
    const std::size_t n = s_.size();
    const std::size_t start = pos_;
    std::size_t p = pos_ + 1;
    if (p < n && is_digit(s_[p])) {
        while (p < n && is_digit(s_[p])) ++p;
        pos_ = p;
        return token_kind::parameter;
    }
    if (p < n && is_ident_start(s_[p])) {
        while (p < n && is_tag_char(s_[p])) ++p;
    }
    if (p < n && s_[p] == '$') {
        const std::string_view delimiter = s_.substr(start, p + 1 - start);
        const std::size_t close = s_.find(delimiter, p + 1);
        pos_ = close == std::string_view::npos ? n : close + delimiter.size();
        return token_kind::dollar_string;
    }
    pos_ = start + 1;
    return token_kind::punct;
}

bool keyword_equals(std::string_view text, std::string_view upper_keyword) noexcept {
    if (text.size() != upper_keyword.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (ascii_upper(text[i]) != upper_keyword[i]) return false;
    return true;
}

bool is_empty_sql(std::string_view sql) {
    sql_lexer lex(sql);
    token t;
    while (lex.next(t)) {
        if (t.is_comment()) continue;
        if (t.kind == token_kind::punct && sql[t.begin] == ';') continue;
        return false;
    }
    return true;
}

} // namespace pgmig::detail::core
