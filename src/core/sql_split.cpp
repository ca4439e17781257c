// pgmig — splitting PostgreSQL SQL text into statements. See sql_split.hpp.
#include "core/sql_split.hpp"
#include "core/sql_lexer.hpp"
#include "core/text.hpp"

#include <pg_query.h>

#include <algorithm>
#include <array>
#include <utility>

namespace pgmig::detail::core {

bool operator==(const sql_statement& a, const sql_statement& b) noexcept {
    return a.offset == b.offset && a.line == b.line && a.text == b.text;
}

bool operator!=(const sql_statement& a, const sql_statement& b) noexcept { return !(a == b); }

namespace {

bool is_significant(const token& t) noexcept { return t.kind != token_kind::comment; }

// ------------------------------------------------------------------ splitting

using range = sql_span;

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
    sql_lexer lex(sql);
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
    sql_lexer lex(part);
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

std::vector<sql_span> split_sql_spans(std::string_view sql) { return lexer_ranges(sql); }

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
    // libpg_query's parser builds the whole parse tree of the text to find where
    // its statements end: some ten times the size of the text (a 45 MB seed file
    // took over 1 GB). Above parser_split_limit the own lexer splits (the same
    // result, see the header), and memory stays proportional to the statements.
    if (sql.size() > parser_split_limit) return split_sql_lexer(sql);
    if (auto parsed = split_sql_parser(sql)) return std::move(*parsed);
    return split_sql_lexer(sql);
}

} // namespace pgmig::detail::core
