// pgmig — what kind of statement a SQL text is. See statement_kind.hpp.
#include "core/statement_kind.hpp"

#include "core/sql_lexer.hpp"
#include "core/sql_split.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

namespace pgmig::detail::core {
namespace {

// The significant tokens of one statement with helpers to read them. The
// tokens are read from the text as far as they are asked for: most statements
// are classified by their first few words, and a statement of many megabytes
// (seed data: INSERT ... VALUES of a million rows) is never tokenised whole.
class token_list {
public:
    explicit token_list(std::string_view sql) noexcept : s_(sql), lex_(sql) {}

    std::size_t size() const {
        while (read_one()) {
        }
        return t_.size();
    }
    std::string_view text(std::size_t i) const {
        return has(i) ? s_.substr(t_[i].begin, t_[i].end - t_[i].begin) : std::string_view{};
    }
    token_kind kind(std::size_t i) const { return has(i) ? t_[i].kind : token_kind::comment; }
    // Is token i the unquoted keyword `upper`?
    bool is(std::size_t i, std::string_view upper) const {
        return kind(i) == token_kind::word && keyword_equals(text(i), upper);
    }
    bool is_punct(std::size_t i, char c) const {
        return kind(i) == token_kind::punct && text(i).size() == 1 && text(i)[0] == c;
    }
    // Index of the first unquoted keyword `upper` at parenthesis depth 0 at or after `from`, or size().
    std::size_t find(std::string_view upper, std::size_t from) const {
        int depth = 0;
        for (std::size_t i = from; has(i); ++i) {
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
        while (has(i) && !is_punct(i, ')')) {
            std::string name = unquoted_lower(i);
            ++i;
            if (is_punct(i, '=')) ++i;
            std::string value;
            int depth = 0;
            bool first = true;
            while (has(i)) {
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
        return has(i) ? i + 1 : i;
    }

private:
    // Reads the next significant token; false at the end of the statement.
    bool read_one() const {
        token t;
        while (lex_.next(t))
            if (t.kind != token_kind::comment) {
                t_.push_back(t);
                return true;
            }
        return false;
    }
    // Is there a token i (reading up to it)?
    bool has(std::size_t i) const {
        while (t_.size() <= i)
            if (!read_one()) return false;
        return true;
    }

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
    mutable sql_lexer lex_;
    mutable std::vector<token> t_;
};

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

// Calls f(tokens) with the tokens of each statement of `sql` (the own lexer's
// split: no libpg_query, which may not know newer syntax) until f returns false.
template <typename F> void for_each_statement(std::string_view sql, F&& f) {
    for (const sql_span& span : split_sql_spans(sql))
        if (!f(token_list(sql.substr(span.begin, span.end - span.begin)))) return;
}

} // namespace

std::string non_transactional_statement(std::string_view statement) {
    std::string name;
    for_each_statement(statement, [&](const token_list& t) {
        name = classify(t);
        return name.empty();
    });
    return name;
}

bool is_transaction_control(std::string_view statement) {
    bool found = false;
    for_each_statement(statement, [&](const token_list& t) {
        found = transaction_control(t);
        return !found;
    });
    return found;
}

namespace {

// Reads the significant tokens of a text one at a time.
class token_reader {
public:
    explicit token_reader(std::string_view sql) noexcept : s_(sql), lex_(sql) { advance(); }

    bool at_end() const noexcept { return end_; }
    const token& current() const noexcept { return t_; }
    std::string_view text() const noexcept { return s_.substr(t_.begin, t_.end - t_.begin); }
    bool is_word(std::string_view upper) const noexcept {
        return !end_ && t_.kind == token_kind::word && keyword_equals(text(), upper);
    }
    bool is_punct(char c) const noexcept {
        return !end_ && t_.kind == token_kind::punct && t_.end - t_.begin == 1 && s_[t_.begin] == c;
    }
    /// One past the last byte of the token before the current one.
    std::size_t previous_end() const noexcept { return previous_end_; }
    void advance() {
        if (!end_) previous_end_ = t_.end;
        while (lex_.next(t_))
            if (!t_.is_comment()) return;
        end_ = true;
    }

private:
    std::string_view s_;
    sql_lexer lex_;
    token t_;
    bool end_ = false;
    std::size_t previous_end_ = 0;
};

// Skips a parenthesised group starting at '('; false when it does not close.
bool skip_group(token_reader& r) {
    int depth = 0;
    for (; !r.at_end(); r.advance()) {
        if (r.is_punct('(')) ++depth;
        else if (r.is_punct(')') && --depth == 0) {
            r.advance();
            return true;
        }
    }
    return false;
}

// A literal value: [+|-]... number|string, or NULL, TRUE, FALSE, DEFAULT.
bool literal_value(token_reader& r) {
    if (r.is_word("NULL") || r.is_word("TRUE") || r.is_word("FALSE") || r.is_word("DEFAULT")) {
        r.advance();
        return true;
    }
    while (r.is_punct('-') || r.is_punct('+')) r.advance();
    if (r.at_end()) return false;
    const token_kind k = r.current().kind;
    if (k != token_kind::number && k != token_kind::string && k != token_kind::dollar_string) return false;
    r.advance();
    return true;
}

// Reads a row starting at '(' when it holds only literal values (true, the
// reader after its ')'); otherwise false, the reader somewhere inside it.
bool literal_row(token_reader& r) {
    r.advance(); // '('
    if (r.is_punct(')')) return false; // () is no row
    while (true) {
        if (!literal_value(r)) return false;
        if (r.is_punct(')')) {
            r.advance();
            return true;
        }
        if (!r.is_punct(',')) return false;
        r.advance();
    }
}

} // namespace

std::vector<sql_span> literal_rows_after_first(std::string_view statement) {
    std::vector<sql_span> out;
    token_reader r(statement);
    // The first VALUES at parenthesis depth 0 that is followed by a row ("FOR
    // VALUES FROM (...)" of a partition is not).
    int depth = 0;
    while (!r.at_end()) {
        if (r.is_punct('(')) ++depth;
        else if (r.is_punct(')')) depth = depth > 0 ? depth - 1 : 0;
        else if (depth == 0 && r.is_word("VALUES")) {
            r.advance();
            if (r.is_punct('(')) break;
            continue;
        }
        r.advance();
    }
    if (r.at_end()) return out;
    if (!skip_group(r)) return out; // the first row stays as it is
    std::optional<sql_span> open;
    const auto close = [&] {
        if (open) out.push_back(*open);
        open.reset();
    };
    while (r.is_punct(',')) {
        const std::size_t comma = r.current().begin;
        r.advance();
        if (!r.is_punct('(')) break;
        token_reader probe = r;
        if (literal_row(probe) && (probe.at_end() || probe.is_punct(',') || probe.current().kind == token_kind::word)) {
            const std::size_t row_end = probe.previous_end();
            if (!open) open = sql_span{comma, row_end};
            else open->end = row_end;
            r = probe;
            continue;
        }
        close();
        if (!skip_group(r)) break;
    }
    close();
    return out;
}

} // namespace pgmig::detail::core
