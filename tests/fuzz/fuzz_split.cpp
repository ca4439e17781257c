// libFuzzer target for the SQL statement splitter (src/core/sql_split.cpp).
//
// Every input is used twice:
//  1. as SQL text, raw;
//  2. as a sequence of choices for a small generator of SQL that PostgreSQL
//     lexes (strings of every kind, dollar quotes, comments, continued
//     literals, BEGIN ATOMIC bodies, rules, CRLF, ...), which knows where each
//     statement starts and ends: random bytes alone seldom make SQL that
//     libpg_query parses, generated SQL mostly does.
// For each text it checks:
//   * no crash, no sanitizer report, no exception;
//   * lexer statements: non-empty, in input order, not overlapping, `text`
//     equal to input.substr(offset, text.size()), not starting with
//     whitespace, `line` equal to line_of_offset(input, offset);
//   * re-splitting one statement's text gives that statement back;
//   * when libpg_query parses the text, the parser path and the lexer path
//     give identical statements, and split_sql() returns them;
//   * for generated SQL, the lexer finds exactly the generated statements;
//   * the classifiers run on every statement and on the whole text.
// Build and run: see tests/fuzz/CMakeLists.txt.
#include "core/sql_split.hpp"
#include "core/statement_kind.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using pgmig::detail::core::sql_statement;

void print(const char* title, const std::vector<sql_statement>& statements) {
    std::fprintf(stderr, "%s (%zu):\n", title, statements.size());
    for (const sql_statement& s : statements)
        std::fprintf(stderr, "  offset %zu line %d: [%s]\n", s.offset, s.line, s.text.c_str());
}

[[noreturn]] void fail(const char* what, std::string_view input) {
    std::fprintf(stderr, "fuzz_split: %s\ninput (%zu bytes): [%.*s]\n", what, input.size(),
                 static_cast<int>(input.size()), input.data());
    std::abort();
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

void check_statements(std::string_view input, const std::vector<sql_statement>& statements) {
    std::size_t previous_end = 0;
    for (const sql_statement& s : statements) {
        if (s.text.empty()) fail("empty statement", input);
        if (s.offset < previous_end) fail("statements overlap or are out of order", input);
        if (s.offset > input.size() || s.text.size() > input.size() - s.offset) fail("statement out of range", input);
        if (input.substr(s.offset, s.text.size()) != s.text) fail("text differs from input at offset", input);
        if (is_space(s.text.front())) fail("text starts with whitespace", input);
        if (s.line != pgmig::detail::core::line_of_offset(input, s.offset)) fail("wrong line", input);
        previous_end = s.offset + s.text.size();
    }
}

// How many texts were checked and how many of them libpg_query parsed
// (printed at exit when PGMIG_FUZZ_STATS is set).
struct statistics {
    unsigned long texts[2] = {0, 0};
    unsigned long parsed[2] = {0, 0};
    statistics() {
        if (std::getenv("PGMIG_FUZZ_STATS") != nullptr) std::atexit(&statistics::report);
    }
    static void report();
};
statistics stats;
void statistics::report() {
    std::fprintf(stderr, "fuzz_split: raw texts %lu (libpg_query parsed %lu), generated texts %lu (parsed %lu)\n",
                 stats.texts[0], stats.parsed[0], stats.texts[1], stats.parsed[1]);
}

// Returns the lexer's statements after checking every invariant above.
// `kind`: 0 raw input, 1 generated.
std::vector<sql_statement> check_text(std::string_view input, int kind) {
    ++stats.texts[kind];
    const std::vector<sql_statement> lexed = pgmig::detail::core::split_sql_lexer(input);
    check_statements(input, lexed);

    for (const sql_statement& s : lexed) {
        const auto again = pgmig::detail::core::split_sql_lexer(s.text);
        if (again.size() != 1 || again[0].text != s.text || again[0].offset != 0)
            fail("re-splitting a statement does not give it back", input);
        (void)pgmig::detail::core::non_transactional_statement(s.text);
        (void)pgmig::detail::core::is_transaction_control(s.text);
    }
    (void)pgmig::detail::core::non_transactional_statement(input);
    (void)pgmig::detail::core::is_transaction_control(input);

    const auto parsed = pgmig::detail::core::split_sql_parser(input);
    if (parsed) {
        ++stats.parsed[kind];
        check_statements(input, *parsed);
        if (*parsed != lexed) {
            print("libpg_query", *parsed);
            print("lexer", lexed);
            fail("libpg_query and the lexer disagree", input);
        }
    }
    if (pgmig::detail::core::split_sql(input) != (parsed ? *parsed : lexed)) fail("split_sql differs", input);
    return lexed;
}

// ---------------------------------------------------------------- generator

class choices {
public:
    choices(const std::uint8_t* data, std::size_t size) : d_(data), n_(size) {}
    bool exhausted() const { return i_ >= n_; }
    std::size_t pick(std::size_t k) { return k == 0 ? 0 : (i_ < n_ ? d_[i_++] : 0) % k; }
    template <std::size_t N> const char* one_of(const char* const (&options)[N]) { return options[pick(N)]; }

private:
    const std::uint8_t* d_;
    std::size_t n_;
    std::size_t i_ = 0;
};

class generator {
public:
    explicit generator(choices& c) : c_(c) {}

    struct result {
        std::string text;
        std::vector<std::pair<std::size_t, std::size_t>> statements; // offset, length
    };

    result run() {
        result r;
        out_ = &r.text;
        separator(false);
        for (int count = 0; count < 5 && !c_.exhausted(); ++count) {
            const std::size_t begin = out_->size();
            statement_start_ = true;
            statement(0);
            r.statements.emplace_back(begin, out_->size() - begin);
            if (c_.exhausted() && c_.pick(2) == 0) break; // psql-style last statement without ';'
            separator(false);
            *out_ += ';';
            for (std::size_t extra = c_.pick(4); extra == 3; extra = c_.pick(4)) {
                separator(false);
                *out_ += ';';
            }
            separator(false);
        }
        return r;
    }

private:
    // Whitespace and comments between tokens (at least a space when `required`).
    void separator(bool required) {
        static const char* const options[] = {
            "", " ", "  ", "\n", "\r\n", "\r", "\t", "\n\n",
            " -- comment; 'quote $$ /* \n", "\r\n-- crlf comment\r\n", "--\n",
            "/* c; ' \" $$ */", "/* a /* nested; */ b */", " /**/ ", "/*\n multi;\n line\n*/\n",
        };
        const char* s = c_.one_of(options);
        if (required && *s == '\0') s = " ";
        // "-" followed by "--" would be a comment eating the operator.
        if (*s == '-' && !out_->empty() && out_->back() == '-') *out_ += ' ';
        *out_ += s;
    }
    // Before a token: nothing at the start of a statement, else a separator.
    void gap() {
        if (statement_start_) statement_start_ = false;
        else separator(true);
    }
    void token(std::string_view t) {
        gap();
        *out_ += t;
    }

    // Text made of pieces that are safe in every literal kind once escaped.
    std::string text_pieces() {
        static const char* const pieces[] = {
            "a", "Z", ";", " ", "'", "\"", "$", "$$", "$a$", "$b$", "--", "/*", "*/", "(", ")",
            "\n", "\r\n", "é", "END", "BEGIN ATOMIC", "\\", "0", "E'", "x",
        };
        std::string s;
        for (std::size_t n = c_.pick(6); n > 0; --n) s += c_.one_of(pieces);
        return s;
    }

    static std::string replace_all(std::string s, std::string_view from, std::string_view to) {
        std::string r;
        for (std::size_t i = 0; i < s.size();) {
            if (s.compare(i, from.size(), from) == 0) {
                r += to;
                i += from.size();
            } else {
                r += s[i++];
            }
        }
        return r;
    }

    std::string plain_string() { return "'" + replace_all(text_pieces(), "'", "''") + "'"; }
    std::string e_string() {
        std::string s = replace_all(text_pieces(), "\\", "\\\\");
        s = replace_all(s, "'", c_.pick(2) == 0 ? "\\'" : "''");
        return (c_.pick(2) == 0 ? "E'" : "e'") + s + "'";
    }

    // A string constant of any kind (what AS and DO take).
    void string_literal() {
        gap();
        switch (c_.pick(16)) {
        case 0: case 1: case 2: *out_ += plain_string(); break;
        case 3: case 4: *out_ += e_string(); break;
        case 5: *out_ += "U&'" + replace_all(replace_all(text_pieces(), "\\", ""), "'", "''") + "'"; break;
        case 6: *out_ += c_.one_of({"N'n;'", "n'''x'"}); break;
        case 7: case 8: case 9: case 10: {
            static const char* const tags[] = {"", "", "a", "tag", "_x", "T1", "é"};
            const std::string delimiter = std::string("$") + c_.one_of(tags) + "$";
            std::string body = text_pieces();
            if ((body + delimiter).find(delimiter) != body.size()) body = "x";
            *out_ += delimiter + body + delimiter;
            break;
        }
        case 11: case 12: // continued literal: the second part is lexed as the first
            *out_ += plain_string();
            *out_ += c_.one_of({"\n", " \r\n\t", "\n\n  ", "\r", "\n-- comment\n", " -- comment\n"});
            *out_ += plain_string();
            break;
        case 13: // continued E'' literal: backslash escapes go on in the second part
            *out_ += e_string();
            *out_ += c_.one_of({"\n", "\r\n", "  \n  ", "\n-- c ' ;\n"});
            *out_ += "'" + replace_all(replace_all(text_pieces(), "\\", "\\\\"), "'", "\\'") + "'";
            break;
        case 14: *out_ += "'C:\\dir\\'"; break;
        default: *out_ += plain_string(); break;
        }
    }

    void literal() {
        switch (c_.pick(8)) {
        case 0: token(c_.one_of({"B'0101'", "b''", "X'1F'", "x'ab'"})); break;
        case 1: token(c_.one_of({"1", "1.5", ".5e3", "0", "42", "1e-3"})); break;
        case 2: token(c_.one_of({"$1", "$2", "$10"})); break;
        case 3: token(c_.one_of({"TRUE", "NULL", "CURRENT_DATE"})); break;
        default: string_literal(); break;
        }
    }

    void identifier() {
        switch (c_.pick(4)) {
        case 0: token("\"" + replace_all(text_pieces() + "q", "\"", "\"\"") + "\""); break;
        case 1: token("U&\"" + replace_all(replace_all(text_pieces() + "q", "\\", ""), "\"", "\"\"") + "\""); break;
        default: token(c_.one_of({"a", "t1", "x$y", "col$$", "naïve", "a$b$c", "_x", "e", "u", "x"})); break;
        }
    }

    void expression(int depth) {
        const std::size_t k = depth > 3 ? 2 : 8;
        switch (c_.pick(k)) {
        case 0: literal(); break;
        case 1: identifier(); break;
        case 2:
            token("(");
            expression(depth + 1);
            token(")");
            break;
        case 3:
        case 4:
            expression(depth + 1);
            token(c_.one_of({"+", "-", "||", "*", "/", "=", "<>", "<=", "~~"}));
            expression(depth + 1);
            break;
        case 5:
            token("CASE");
            token("WHEN");
            expression(depth + 1);
            token("THEN");
            expression(depth + 1);
            if (c_.pick(2) == 0) {
                token("ELSE");
                expression(depth + 1);
            }
            token(c_.one_of({"END", "end", "End"}));
            break;
        case 6:
            identifier();
            token(".");
            token(c_.one_of({"end", "case", "begin", "b"}));
            break;
        default:
            token(c_.one_of({"lower", "coalesce", "begin"}));
            token("(");
            expression(depth + 1);
            token(")");
            break;
        }
    }

    void select(int depth) {
        token(c_.one_of({"SELECT", "select", "Select"}));
        for (std::size_t n = 1 + c_.pick(3); n > 0; --n) {
            expression(depth);
            if (c_.pick(3) == 0) {
                if (c_.pick(3) != 0) token(c_.one_of({"AS", "as"})); // else a bare label
                token(c_.one_of({"end", "case", "x", "\"a;b\"", "begin", "END", "atomic"}));
            }
            if (n > 1) token(",");
        }
        if (c_.pick(3) == 0) {
            token("FROM");
            identifier();
        }
    }

    void inner_statements(int depth) {
        for (std::size_t n = c_.pick(4); n > 0; --n) {
            if (c_.pick(3) == 0) {
                token("INSERT INTO");
                identifier();
                token("VALUES (");
                expression(depth);
                token(")");
            } else {
                select(depth);
            }
            token(";");
        }
    }

    void statement(int depth) {
        switch (c_.pick(24)) {
        case 0: case 1: case 2: case 3: case 4:
            select(depth);
            break;
        case 5: case 6:
            token("INSERT INTO");
            identifier();
            token("VALUES (");
            expression(depth);
            token(",");
            expression(depth);
            token(")");
            break;
        case 7:
            token("COMMENT ON TABLE");
            identifier();
            token("IS");
            string_literal();
            break;
        case 8: case 9: case 10:
            token(c_.one_of({"CREATE FUNCTION", "create or replace function", "CREATE\tOR REPLACE FUNCTION"}));
            identifier();
            token("() RETURNS int LANGUAGE sql");
            token(c_.one_of({"BEGIN ATOMIC", "begin atomic", "BEGIN /* c */ ATOMIC", "BEGIN\n-- c\nATOMIC"}));
            inner_statements(depth + 1);
            token("END");
            break;
        case 11: case 12:
            token("CREATE PROCEDURE");
            identifier();
            token("() LANGUAGE sql BEGIN ATOMIC");
            inner_statements(depth + 1);
            token("end");
            break;
        case 13: case 14:
            token("CREATE FUNCTION");
            identifier();
            token("() RETURNS int LANGUAGE plpgsql AS");
            string_literal();
            break;
        case 15: case 16:
            token("DO");
            string_literal();
            break;
        case 17: case 18:
            token("CREATE RULE r AS ON INSERT TO t DO ALSO (");
            inner_statements(depth + 1);
            select(depth + 1);
            token(")");
            break;
        case 19:
            token(c_.one_of({"CREATE INDEX CONCURRENTLY", "create unique index", "CREATE INDEX \"concurrently\"",
                             "create index concurrently if not exists"}));
            identifier();
            token("ON");
            identifier();
            token("(");
            identifier();
            token(")");
            break;
        case 20:
            token(c_.one_of({"DROP INDEX CONCURRENTLY", "REINDEX (CONCURRENTLY false) TABLE", "REINDEX TABLE CONCURRENTLY",
                             "VACUUM", "CLUSTER", "DROP DATABASE", "ALTER SYSTEM RESET"}));
            identifier();
            break;
        case 21:
            token(c_.one_of({"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT a", "VACUUM", "END", "CLUSTER",
                             "ALTER SYSTEM SET a = 1", "DISCARD ALL", "START TRANSACTION", "ABORT", "RELEASE a",
                             "PREPARE TRANSACTION 'x'", "COMMIT PREPARED 'x'", "ROLLBACK AND CHAIN"}));
            break;
        case 22:
            token(c_.one_of({"SELECT 1_000", "SELECT 0x1F",
                             "MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE RETURNING *", "SELECT a IS JSON"}));
            break;
        default:
            token("WITH w AS (");
            select(depth + 1);
            token(")");
            select(depth);
            break;
        }
    }

    choices& c_;
    std::string* out_ = nullptr;
    bool statement_start_ = false;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    check_text(std::string_view(reinterpret_cast<const char*>(data), size), 0);

    choices c(data, size);
    const generator::result g = generator(c).run();
    const std::vector<sql_statement> lexed = check_text(g.text, 1);
    bool same = lexed.size() == g.statements.size();
    for (std::size_t i = 0; same && i < lexed.size(); ++i)
        same = lexed[i].offset == g.statements[i].first && lexed[i].text.size() == g.statements[i].second;
    if (!same) {
        std::fprintf(stderr, "generated statements (%zu):\n", g.statements.size());
        for (const auto& [offset, length] : g.statements)
            std::fprintf(stderr, "  offset %zu: [%s]\n", offset, g.text.substr(offset, length).c_str());
        print("lexer", lexed);
        fail("the lexer does not find the generated statements", g.text);
    }
    return 0;
}
