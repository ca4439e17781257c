// pgmig — splitting PostgreSQL SQL text into statements. See sql_split.hpp.
#include "core/sql_split.hpp"
#include "core/text.hpp"

#include <pg_query.h>

#include <algorithm>
#include <array>
#include <utility>

namespace pgmig::detail {

bool operator==(const sql_statement& a, const sql_statement& b) noexcept {
    return a.offset == b.offset && a.line == b.line && a.text == b.text;
}

bool operator!=(const sql_statement& a, const sql_statement& b) noexcept { return !(a == b); }

namespace {

// ------------------------------------------------------------------ lexer

enum class token_kind {
    word,                 // unquoted identifier or keyword
    quoted_identifier,    // "..." or U&"..."
    string,               // '...', E'...', U&'...', B'...', X'...', N'...'
    dollar_string,        // $$...$$, $tag$...$tag$
    number,
    parameter,            // $1
    punct,                // any other single character: ; ( ) , . = + ...
    comment,              // -- ... or a terminated /* ... */
    unterminated_comment, // /* ... running to the end of the input
};

struct token {
    token_kind kind = token_kind::punct;
    std::size_t begin = 0;
    std::size_t end = 0;
};

bool is_newline(char c) noexcept { return c == '\n' || c == '\r'; }
bool is_ident_start(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
}
// Dollar-quote tags: identifier characters without '$'.
bool is_tag_char(char c) noexcept { return is_ident_start(c) || is_digit(c); }
bool is_ident_char(char c) noexcept { return is_tag_char(c) || c == '$'; }


// Case-insensitive comparison of `text` with an upper-case ASCII keyword.
bool keyword_equals(std::string_view text, std::string_view upper_keyword) noexcept {
    if (text.size() != upper_keyword.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (ascii_upper(text[i]) != upper_keyword[i]) return false;
    return true;
}

class lexer {
public:
    explicit lexer(std::string_view sql) noexcept : s_(sql) {}

    // The next token (comments included, whitespace skipped); false at the end.
    bool next(token& t) {
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

private:
    char at(std::size_t i) const noexcept { return i < s_.size() ? s_[i] : '\0'; }

    // At "/*". Returns false when the comment runs to the end of the input.
    bool block_comment() {
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
    void quoted_string(bool backslash) {
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
    std::size_t continuation(std::size_t p) const noexcept {
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
    void quoted_identifier() {
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
    token_kind dollar() {
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

    std::string_view s_;
    std::size_t pos_ = 0;
};

bool is_significant(const token& t) noexcept { return t.kind != token_kind::comment; }

// ------------------------------------------------------------------ splitting

struct range {
    std::size_t begin;
    std::size_t end;
};

// Tracks, token by token, whether a ';' ends the current statement: not
// inside parentheses (CREATE RULE ... DO (a; b)), nor inside the BEGIN ATOMIC
// ... END body of CREATE [OR REPLACE] FUNCTION|PROCEDURE. In such a body each
// statement ends with ';', so the END that closes the body always follows a
// ';' or ATOMIC, while the END of a CASE, and `end` as a column label
// (`AS end`, `SELECT 1 end`, `r.end`), follow an expression.
class statement_state {
public:
    explicit statement_state(std::string_view sql) noexcept : s_(sql) {}

    void reset() noexcept { *this = statement_state(s_); }

    // Does a ';' here end the statement?
    bool separates() const noexcept { return paren_depth_ == 0 && !in_atomic_body_; }

    void feed(const token& t) noexcept {
        const std::string_view text = s_.substr(t.begin, t.end - t.begin);
        const bool word = t.kind == token_kind::word;
        if (head_count_ < head_.size()) head_[head_count_++] = word ? text : std::string_view{};
        if (t.kind == token_kind::punct) {
            if (text == "(") ++paren_depth_;
            else if (text == ")" && paren_depth_ > 0) --paren_depth_;
        } else if (word && !in_atomic_body_) {
            if (previous_ == previous_kind::begin && paren_depth_ == 0 && keyword_equals(text, "ATOMIC") && is_routine())
                in_atomic_body_ = true;
        } else if (word && (previous_ == previous_kind::semicolon || previous_ == previous_kind::atomic) &&
                   keyword_equals(text, "END")) {
            in_atomic_body_ = false;
        }
        previous_ = previous_kind::other;
        if (word && keyword_equals(text, "BEGIN")) previous_ = previous_kind::begin;
        else if (word && in_atomic_body_ && keyword_equals(text, "ATOMIC")) previous_ = previous_kind::atomic;
        else if (t.kind == token_kind::punct && text == ";") previous_ = previous_kind::semicolon;
    }

private:
    enum class previous_kind { other, begin, atomic, semicolon };

    // CREATE [OR REPLACE] FUNCTION|PROCEDURE
    bool is_routine() const noexcept {
        auto routine_word = [](std::string_view w) {
            return keyword_equals(w, "FUNCTION") || keyword_equals(w, "PROCEDURE");
        };
        if (head_count_ < 2 || !keyword_equals(head_[0], "CREATE")) return false;
        if (routine_word(head_[1])) return true;
        return head_count_ >= 4 && keyword_equals(head_[1], "OR") && keyword_equals(head_[2], "REPLACE") &&
               routine_word(head_[3]);
    }

    std::string_view s_;
    std::array<std::string_view, 4> head_{};
    std::size_t head_count_ = 0;
    int paren_depth_ = 0;
    bool in_atomic_body_ = false;
    previous_kind previous_ = previous_kind::other;
};

std::vector<range> lexer_ranges(std::string_view sql) {
    std::vector<range> out;
    lexer lex(sql);
    statement_state state(sql);
    token t;
    bool open = false;
    range current{0, 0};
    while (lex.next(t)) {
        if (!is_significant(t)) continue;
        if (t.kind == token_kind::punct && sql[t.begin] == ';' && state.separates()) {
            if (open) out.push_back(current);
            open = false;
            state.reset();
            continue;
        }
        if (!open) {
            open = true;
            current.begin = t.begin;
        }
        current.end = t.end;
        state.feed(t);
    }
    if (open) out.push_back(current);
    return out;
}

// The first and last significant token of sql[begin, end), lexed on its own.
std::optional<range> trim_range(std::string_view sql, std::size_t begin, std::size_t end) {
    const std::string_view part = sql.substr(begin, end - begin);
    lexer lex(part);
    token t;
    std::optional<range> r;
    while (lex.next(t)) {
        if (!is_significant(t)) continue;
        if (!r) r = range{begin + t.begin, begin + t.end};
        else r->end = begin + t.end;
    }
    return r;
}

std::vector<sql_statement> make_statements(std::string_view sql, const std::vector<range>& ranges) {
    std::vector<sql_statement> out;
    out.reserve(ranges.size());
    int line = 1;
    std::size_t counted = 0; // `line` is the line of byte `counted`
    for (const range& r : ranges) {
        for (; counted < r.begin; ++counted) {
            const char c = sql[counted];
            if (c == '\n' || (c == '\r' && (counted + 1 >= sql.size() || sql[counted + 1] != '\n'))) ++line;
        }
        sql_statement st;
        st.text = std::string(sql.substr(r.begin, r.end - r.begin));
        st.offset = r.begin;
        st.line = line;
        out.push_back(std::move(st));
    }
    return out;
}

// Owns a PgQuerySplitResult.
struct split_result_guard {
    // A constructor, not aggregate initialisation: C++20 (libpqxx 8 builds) has no
    // aggregates with user-declared constructors.
    explicit split_result_guard(PgQuerySplitResult r) : result(r) {}
    PgQuerySplitResult result;
    ~split_result_guard() { pg_query_free_split_result(result); }
    split_result_guard(const split_result_guard&) = delete;
    split_result_guard& operator=(const split_result_guard&) = delete;
};

// ------------------------------------------------------------------ classification

// The significant tokens of one statement with helpers to read them.
class token_list {
public:
    token_list(std::string_view sql, std::vector<token> tokens) : s_(sql), t_(std::move(tokens)) {}

    std::size_t size() const noexcept { return t_.size(); }
    std::string_view text(std::size_t i) const noexcept {
        return i < t_.size() ? s_.substr(t_[i].begin, t_[i].end - t_[i].begin) : std::string_view{};
    }
    token_kind kind(std::size_t i) const noexcept { return i < t_.size() ? t_[i].kind : token_kind::comment; }
    // Is token i the unquoted keyword `upper`?
    bool is(std::size_t i, std::string_view upper) const noexcept {
        return kind(i) == token_kind::word && keyword_equals(text(i), upper);
    }
    bool is_punct(std::size_t i, char c) const noexcept {
        return kind(i) == token_kind::punct && text(i).size() == 1 && text(i)[0] == c;
    }
    // Index of the first unquoted keyword `upper` at parenthesis depth 0 at or after `from`, or size().
    std::size_t find(std::string_view upper, std::size_t from) const noexcept {
        int depth = 0;
        for (std::size_t i = from; i < t_.size(); ++i) {
            if (is_punct(i, '(')) ++depth;
            else if (is_punct(i, ')')) depth = depth > 0 ? depth - 1 : 0;
            else if (depth == 0 && is(i, upper)) return i;
        }
        return t_.size();
    }

    // A parenthesised option list starting at `open` ('('): name [=] [value], ...
    // Names and values lower-cased (quotes removed); a missing value is "true".
    // Returns the index after the closing ')'.
    std::size_t options(std::size_t open, std::vector<std::pair<std::string, std::string>>& out) const {
        std::size_t i = open + 1;
        while (i < t_.size() && !is_punct(i, ')')) {
            std::string name = unquoted_lower(i);
            ++i;
            if (is_punct(i, '=')) ++i;
            std::string value;
            int depth = 0;
            bool first = true;
            while (i < t_.size()) {
                if (depth == 0 && (is_punct(i, ',') || is_punct(i, ')'))) break;
                if (is_punct(i, '(')) ++depth;
                else if (is_punct(i, ')')) --depth;
                if (first) value = unquoted_lower(i);
                else value += " " + unquoted_lower(i);
                first = false;
                ++i;
            }
            out.emplace_back(std::move(name), first ? std::string("true") : std::move(value));
            if (is_punct(i, ',')) ++i;
        }
        return i < t_.size() ? i + 1 : i;
    }

private:
    std::string unquoted_lower(std::size_t i) const {
        std::string_view v = text(i);
        const token_kind k = kind(i);
        if (k == token_kind::string || k == token_kind::quoted_identifier) {
            const char q = k == token_kind::string ? '\'' : '"';
            const std::size_t a = v.find(q);
            v = v.substr(a + 1);
            if (!v.empty() && v.back() == q) v.remove_suffix(1);
        }
        std::string r(v);
        if (k != token_kind::quoted_identifier)
            std::transform(r.begin(), r.end(), r.begin(), [](char c) { return ascii_lower(c); });
        return r;
    }

    std::string_view s_;
    std::vector<token> t_;
};

// The significant tokens of each statement of `sql` (own lexer).
std::vector<token_list> statements_tokens(std::string_view sql) {
    std::vector<token_list> out;
    for (const range& r : lexer_ranges(sql)) {
        const std::string_view part = sql.substr(r.begin, r.end - r.begin);
        std::vector<token> tokens;
        lexer lex(part);
        token t;
        while (lex.next(t))
            if (is_significant(t)) tokens.push_back(t);
        out.emplace_back(part, std::move(tokens));
    }
    return out;
}

bool is_false(const std::string& v) { return v == "false" || v == "off" || v == "0"; }

bool option_is_false(const std::vector<std::pair<std::string, std::string>>& options, std::string_view name) {
    for (const auto& [n, v] : options)
        if (n == name && is_false(v)) return true;
    return false;
}

// Options of `WITH ( ... )` at depth 0 at or after `from`.
std::vector<std::pair<std::string, std::string>> with_options(const token_list& t, std::size_t from) {
    std::vector<std::pair<std::string, std::string>> options;
    const std::size_t w = t.find("WITH", from);
    if (w < t.size() && t.is_punct(w + 1, '(')) t.options(w + 1, options);
    return options;
}

std::string classify(const token_list& t) {
    if (t.is(0, "CREATE")) {
        std::size_t i = 1;
        if (t.is(i, "UNIQUE")) ++i;
        if (t.is(i, "INDEX") && t.is(i + 1, "CONCURRENTLY")) return "CREATE INDEX CONCURRENTLY";
        if (t.is(1, "DATABASE")) return "CREATE DATABASE";
        if (t.is(1, "TABLESPACE")) return "CREATE TABLESPACE";
        if (t.is(1, "SUBSCRIPTION")) {
            // A replication slot is created unless create_slot = false or connect = false.
            const auto options = with_options(t, 2);
            if (option_is_false(options, "create_slot") || option_is_false(options, "connect")) return "";
            return "CREATE SUBSCRIPTION";
        }
        return "";
    }
    if (t.is(0, "DROP")) {
        if (t.is(1, "INDEX") && t.is(2, "CONCURRENTLY")) return "DROP INDEX CONCURRENTLY";
        if (t.is(1, "DATABASE")) return "DROP DATABASE";
        if (t.is(1, "TABLESPACE")) return "DROP TABLESPACE";
        if (t.is(1, "SUBSCRIPTION")) return "DROP SUBSCRIPTION";
        return "";
    }
    if (t.is(0, "REINDEX")) {
        std::size_t i = 1;
        bool concurrently = false;
        if (t.is_punct(i, '(')) {
            std::vector<std::pair<std::string, std::string>> options;
            i = t.options(i, options);
            for (const auto& [n, v] : options)
                if (n == "concurrently") concurrently = !is_false(v);
        }
        const std::size_t kind = i;
        if (t.is(kind + 1, "CONCURRENTLY")) concurrently = true;
        if (concurrently) return "REINDEX CONCURRENTLY";
        if (t.is(kind, "SCHEMA")) return "REINDEX SCHEMA";
        if (t.is(kind, "DATABASE")) return "REINDEX DATABASE";
        if (t.is(kind, "SYSTEM")) return "REINDEX SYSTEM";
        return "";
    }
    if (t.is(0, "VACUUM")) return "VACUUM";
    if (t.is(0, "CLUSTER")) {
        // CLUSTER [VERBOSE] / CLUSTER (options): every clustered table, which
        // cannot run in a transaction block. With a table name it can.
        std::size_t i = 1;
        if (t.is_punct(i, '(')) {
            std::vector<std::pair<std::string, std::string>> options;
            i = t.options(i, options);
        }
        if (t.is(i, "VERBOSE")) ++i;
        return i >= t.size() ? "CLUSTER" : "";
    }
    if (t.is(0, "ALTER")) {
        if (t.is(1, "SYSTEM")) return "ALTER SYSTEM";
        if (t.is(1, "DATABASE")) {
            // ALTER DATABASE name SET TABLESPACE new (but not SET param TO ...),
            // and the option form ALTER DATABASE name [WITH] TABLESPACE [=] new.
            if (t.is(3, "SET")) {
                if (t.is(4, "TABLESPACE") && !t.is(5, "TO") && !t.is_punct(5, '=')) return "ALTER DATABASE ... SET TABLESPACE";
                return "";
            }
            if (t.is(3, "WITH") || t.is(3, "TABLESPACE") || t.is(3, "ALLOW_CONNECTIONS") || t.is(3, "CONNECTION") ||
                t.is(3, "IS_TEMPLATE")) {
                if (t.find("TABLESPACE", 3) < t.size()) return "ALTER DATABASE ... SET TABLESPACE";
            }
            return "";
        }
        if (t.is(1, "SUBSCRIPTION")) {
            if (t.is(3, "REFRESH")) return "ALTER SUBSCRIPTION ... REFRESH";
            if ((t.is(3, "SET") || t.is(3, "ADD") || t.is(3, "DROP")) && t.is(4, "PUBLICATION")) {
                if (option_is_false(with_options(t, 5), "refresh")) return "";
                return "ALTER SUBSCRIPTION with refresh";
            }
            return "";
        }
        if (t.is(1, "TABLE")) {
            // ... DETACH PARTITION name [CONCURRENTLY | FINALIZE] [, ...]
            for (std::size_t i = t.find("DETACH", 2); i < t.size(); i = t.find("DETACH", i + 1)) {
                if (!t.is(i + 1, "PARTITION")) continue;
                for (std::size_t j = i + 2; j < t.size() && !t.is_punct(j, ','); ++j)
                    if (t.is(j, "CONCURRENTLY")) return "DETACH PARTITION CONCURRENTLY";
            }
        }
        return "";
    }
    if (t.is(0, "DISCARD") && t.is(1, "ALL")) return "DISCARD ALL";
    if (t.is(0, "COMMIT") && t.is(1, "PREPARED")) return "COMMIT PREPARED";
    if (t.is(0, "ROLLBACK") && t.is(1, "PREPARED")) return "ROLLBACK PREPARED";
    return "";
}

bool transaction_control(const token_list& t) {
    if (t.is(0, "BEGIN")) return !t.is(1, "ATOMIC");
    if (t.is(0, "START")) return t.is(1, "TRANSACTION");
    if (t.is(0, "COMMIT") || t.is(0, "END") || t.is(0, "ROLLBACK") || t.is(0, "ABORT") || t.is(0, "SAVEPOINT") ||
        t.is(0, "RELEASE"))
        return true;
    // PREPARE TRANSACTION 'id' (not PREPARE transaction AS ..., a prepared statement named "transaction").
    if (t.is(0, "PREPARE")) return t.is(1, "TRANSACTION") && t.kind(2) == token_kind::string;
    return false;
}

} // namespace

int line_of_offset(std::string_view text, std::size_t offset) noexcept {
    int line = 1;
    const std::size_t end = std::min(offset, text.size());
    for (std::size_t i = 0; i < end; ++i) {
        const char c = text[i];
        if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) ++line;
    }
    return line;
}

std::vector<sql_statement> split_sql_lexer(std::string_view sql) {
    return make_statements(sql, lexer_ranges(sql));
}

std::optional<std::vector<sql_statement>> split_sql_parser(std::string_view sql) {
    // libpg_query reads a C string: a NUL byte would hide the rest of the input.
    if (sql.find('\0') != std::string_view::npos) return std::nullopt;
    const std::string input(sql);
    const split_result_guard guard{pg_query_split_with_parser(input.c_str())};
    const PgQuerySplitResult& r = guard.result;
    if (r.error != nullptr || r.n_stmts < 0 || (r.n_stmts > 0 && r.stmts == nullptr)) return std::nullopt;
    std::vector<range> ranges;
    ranges.reserve(static_cast<std::size_t>(r.n_stmts));
    std::size_t previous_end = 0;
    for (int i = 0; i < r.n_stmts; ++i) {
        const PgQuerySplitStmt* st = r.stmts[i];
        if (st == nullptr || st->stmt_location < 0 || st->stmt_len < 0) return std::nullopt;
        const auto begin = static_cast<std::size_t>(st->stmt_location);
        const auto len = static_cast<std::size_t>(st->stmt_len);
        if (begin > sql.size() || len > sql.size() - begin || begin < previous_end) return std::nullopt;
        previous_end = begin + len;
        // The parser's range runs from just after the previous ';' (or the
        // start of the input) to just before this statement's ';': trim the
        // whitespace and comments around the tokens, as the lexer path does.
        if (const auto trimmed = trim_range(sql, begin, begin + len)) ranges.push_back(*trimmed);
    }
    return make_statements(sql, ranges);
}

std::vector<sql_statement> split_sql(std::string_view sql) {
    if (auto parsed = split_sql_parser(sql)) return std::move(*parsed);
    return split_sql_lexer(sql);
}

std::string non_transactional_statement(std::string_view statement) {
    for (const token_list& t : statements_tokens(statement)) {
        std::string name = classify(t);
        if (!name.empty()) return name;
    }
    return {};
}

bool is_transaction_control(std::string_view statement) {
    for (const token_list& t : statements_tokens(statement))
        if (transaction_control(t)) return true;
    return false;
}

} // namespace pgmig::detail
