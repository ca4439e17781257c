// pgmig — lint internals: SQL text positions, comments, suppression
// directives, and parsing with libpg_query.
#include "lint/lint_sql.hpp"

#include "core/directive.hpp"
#include "core/sql_lexer.hpp"
#include "core/sql_split.hpp"
#include "core/statement_kind.hpp"
#include "core/text.hpp"

#include <pg_query.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <iterator>
#include <utility>

namespace pgmig::detail::lint {
namespace {

using core::is_space;
using core::trim;

// Byte offset of the 1-based character position `cursor` (PostgreSQL counts characters).
std::size_t char_to_byte(std::string_view text, int cursor) noexcept {
    if (cursor <= 1) return 0;
    int chars = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto u = static_cast<unsigned char>(text[i]);
        if ((u & 0xC0) != 0x80) {
            if (chars == cursor - 1) return i;
            ++chars;
        }
    }
    return text.size();
}

// The parser's message on one line: "at or near" may quote several lines of SQL.
std::string one_line(std::string_view message, std::size_t max_bytes = 160) {
    std::string out;
    bool space = false;
    for (const char c : message) {
        if (is_space(c)) {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    if (out.size() > max_bytes) {
        std::size_t cut = max_bytes;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
        out = out.substr(0, cut) + "\xE2\x80\xA6";
    }
    return out;
}

// First byte in [from, to) that is not whitespace, inside a comment or a ';'; `to` when none.
std::size_t first_code(const sql_text& text, std::size_t from, std::size_t to) {
    std::size_t pos = from;
    while (true) {
        pos = text.skip_blank(pos, to);
        if (pos >= to || text.text()[pos] != ';') return pos;
        ++pos;
    }
}

struct raw_statement {
    std::size_t location = 0;
    std::size_t length = 0;
};

// Fills begin/end/stop/lines of a statement whose raw span is [location, location + length).
void place(const sql_text& text, parsed_statement& st, std::size_t location, std::size_t length) {
    const std::size_t size = text.text().size();
    location = std::min(location, size);
    std::size_t limit = length == 0 ? size : std::min(size, location + length);
    st.begin = text.skip_blank(location, limit);
    if (st.begin == limit) st.begin = location; // nothing but comments: keep the raw start
    st.end = text.code_end(st.begin, limit);
    if (st.end < st.begin) st.end = st.begin;
    const std::size_t after = text.skip_blank(limit, size);
    if (after < size && text.text()[after] == ';')
        st.stop = after;
    else
        st.stop = st.end > st.begin ? st.end - 1 : st.begin;
    st.first_line = text.line_of(st.begin);
    st.last_line = text.line_of(st.stop);
}

// Where the bytes of the parser's input are in the section: the input is a
// range of the section with some literal VALUES rows left out (see
// parse_range); positions after a left-out range move by its length.
class position_map {
public:
    explicit position_map(std::size_t from) noexcept : from_(from) {}

    /// Input bytes [at, at + length) of the section were left out before input byte `at`.
    void left_out(std::size_t at, std::size_t length) {
        removed_ += length;
        cuts_.push_back({at, removed_});
    }
    bool identity() const noexcept { return cuts_.empty(); }

    /// The section byte of input byte `pos`.
    std::size_t operator()(std::size_t pos) const noexcept {
        auto it = std::upper_bound(cuts_.begin(), cuts_.end(), pos,
                                   [](std::size_t p, const cut& c) { return p < c.at; });
        return from_ + pos + (it == cuts_.begin() ? 0 : std::prev(it)->removed);
    }

private:
    struct cut {
        std::size_t at;      ///< input byte where text was left out
        std::size_t removed; ///< bytes left out up to here
    };
    std::size_t from_;
    std::size_t removed_ = 0;
    std::vector<cut> cuts_;
};

// Parses `sql`, the input bytes from `base` on (see position_map). On success
// appends every statement and returns true; on failure sets message and the
// error's input byte position and returns false.
bool parse_piece(const sql_text& text, const std::string& sql, std::size_t base, const position_map& map,
                 std::vector<parsed_statement>& out, std::string& message, std::size_t& error_pos) {
    PgQueryParseResult result = pg_query_parse(sql.c_str());
    if (result.error != nullptr) {
        message = one_line(result.error->message != nullptr ? result.error->message : "syntax error");
        error_pos = base + char_to_byte(sql, result.error->cursorpos);
        pg_query_free_parse_result(result);
        return false;
    }
    nlohmann::json tree;
    try {
        const char* json_text = result.parse_tree != nullptr ? result.parse_tree : "{}";
        if (map.identity()) {
            tree = nlohmann::json::parse(json_text);
        } else {
            // Every "location" in the tree (bytes of `sql`) becomes a byte of the section.
            bool location = false;
            tree = nlohmann::json::parse(json_text, [&](int, nlohmann::json::parse_event_t event, nlohmann::json& v) {
                if (event == nlohmann::json::parse_event_t::key) {
                    location = v == "location";
                } else if (event == nlohmann::json::parse_event_t::value && location) {
                    if (v.is_number_integer() && v.get<std::int64_t>() >= 0)
                        v = static_cast<std::int64_t>(map(base + v.get<std::size_t>()) - map(base));
                    location = false;
                }
                return true;
            });
        }
    } catch (const std::exception& e) {
        pg_query_free_parse_result(result);
        message = std::string("libpg_query returned an unreadable parse tree: ") + e.what();
        error_pos = base;
        return false;
    }
    pg_query_free_parse_result(result);

    std::vector<parsed_statement> parsed;
    const auto stmts = tree.find("stmts");
    if (stmts != tree.end() && stmts->is_array()) {
        for (auto& entry : *stmts) {
            if (!entry.is_object()) continue;
            auto node = entry.find("stmt");
            if (node == entry.end() || !node->is_object()) continue;
            const std::size_t loc = std::min(
                sql.size(), static_cast<std::size_t>(std::max<std::int64_t>(entry.value("stmt_location", std::int64_t{0}), 0)));
            const std::int64_t len = entry.value("stmt_len", std::int64_t{0});
            // stmt_len 0 means "to the end of the text" (the last statement without ';').
            const std::size_t length =
                len > 0 ? std::min(static_cast<std::size_t>(len), sql.size() - loc) : sql.size() - loc;
            parsed_statement st;
            st.node = std::move(*node);
            const std::size_t begin = map(base + loc);
            place(text, st, begin, map(base + loc + length) - begin);
            st.base = map(base); // the tree's locations were made relative to it above
            parsed.push_back(std::move(st));
        }
    }
    for (auto& st : parsed) out.push_back(std::move(st));
    return true;
}

parsed_statement failed_statement(const sql_text& text, std::size_t location, std::size_t length, std::string message,
                                  std::size_t error_pos) {
    parsed_statement st;
    place(text, st, location, length);
    st.failure = std::make_unique<parse_failure>(parse_failure{std::move(message), text.line_of(error_pos), error_pos});
    return st;
}

} // namespace

// ------------------------------------------------------------------ tokens

std::vector<comment_span> find_comments(std::string_view s) {
    std::vector<comment_span> out;
    core::sql_lexer lex(s);
    core::token t;
    while (lex.next(t))
        if (t.is_comment()) out.push_back({t.begin, t.end, s[t.begin] == '-'});
    return out;
}

// ------------------------------------------------------------------ sql_text

sql_text::sql_text(std::string_view text, int first_line) : text_(text), first_line_(first_line) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text_.size(); ++i)
        if (text_[i] == '\n') line_starts_.push_back(i + 1);
    comments_ = find_comments(text_);
}

int sql_text::line_of(std::size_t pos) const noexcept {
    pos = std::min(pos, text_.size());
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), pos);
    return first_line_ + static_cast<int>(it - line_starts_.begin()) - 1;
}

int sql_text::column_of(std::size_t pos) const noexcept {
    pos = std::min(pos, text_.size());
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), pos);
    int column = 1;
    for (std::size_t i = *(it - 1); i < pos; ++i)
        if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
    return column;
}

bool sql_text::spells(const core::token& token, std::string_view word) const noexcept {
    const std::string_view t = std::string_view(text_).substr(token.begin, token.end - token.begin);
    if (token.kind == core::token_kind::quoted_identifier) {
        if (t.size() < 2 || t.front() != '"') return false; // U&"…" is not matched
        // "a""b" spells a"b.
        std::size_t w = 0;
        for (std::size_t i = 1; i + 1 < t.size(); ++i) {
            if (t[i] == '"') ++i;
            if (w >= word.size() || word[w] != t[i]) return false;
            ++w;
        }
        return w == word.size();
    }
    if (token.kind != core::token_kind::word && token.kind != core::token_kind::punct) return false;
    return core::iequals(t, word);
}

std::optional<std::size_t> sql_text::find(std::size_t begin, std::size_t end, std::string_view pattern,
                                          std::string_view name) const {
    struct element {
        std::string_view word;
        bool optional = false;
        bool any = false;
    };
    std::vector<element> elements;
    for (std::size_t start = 0; start < pattern.size();) {
        std::size_t space = pattern.find(' ', start);
        if (space == std::string_view::npos) space = pattern.size();
        std::string_view w = pattern.substr(start, space - start);
        element e;
        if (w.size() > 1 && w.back() == '?') {
            e.optional = true;
            w.remove_suffix(1);
        }
        e.any = w == "*";
        e.word = w == "{}" ? name : w;
        if (!w.empty()) elements.push_back(e);
        start = space + 1;
    }
    // The code tokens of [begin, end), lexed on demand: the section's tokens are
    // not kept (a seed file has some ten million of them), and `begin` is where
    // a token starts (a statement's or a clause's first byte).
    std::vector<core::token> code;
    begin = std::min(begin, text_.size());
    core::sql_lexer lex(std::string_view(text_).substr(begin));
    for (core::token t; lex.next(t);) {
        t.begin += begin;
        t.end += begin;
        if (t.end > end) break; // the tokens after it end later still
        if (!t.is_comment()) code.push_back(t);
    }
    // Backtracking match of elements[e…] at code[c…].
    const auto match = [&](auto&& self, std::size_t e, std::size_t c) -> bool {
        if (e == elements.size()) return true;
        const element& el = elements[e];
        if (c < code.size() && (el.any || spells(code[c], el.word)) && self(self, e + 1, c + 1)) return true;
        return el.optional && self(self, e + 1, c);
    };
    for (std::size_t c = 0; c < code.size(); ++c)
        if (match(match, 0, c)) return code[c].begin;
    return std::nullopt;
}

const comment_span* sql_text::comment_at(std::size_t pos) const noexcept {
    // The last comment starting at or before pos.
    auto it = std::upper_bound(comments_.begin(), comments_.end(), pos,
                               [](std::size_t p, const comment_span& c) { return p < c.begin; });
    if (it == comments_.begin()) return nullptr;
    --it;
    return pos < it->end ? &*it : nullptr;
}

std::size_t sql_text::skip_blank(std::size_t pos, std::size_t limit) const noexcept {
    limit = std::min(limit, text_.size());
    while (pos < limit) {
        if (is_space(text_[pos])) {
            ++pos;
            continue;
        }
        const comment_span* c = comment_at(pos);
        if (c == nullptr) return pos;
        pos = c->end;
    }
    return limit;
}

std::size_t sql_text::code_end(std::size_t begin, std::size_t end) const noexcept {
    end = std::min(end, text_.size());
    std::size_t pos = end;
    while (pos > begin) {
        const std::size_t at = pos - 1;
        if (is_space(text_[at])) {
            pos = at;
            continue;
        }
        const comment_span* c = comment_at(at);
        if (c == nullptr) return pos;
        pos = std::max(begin, c->begin);
    }
    return begin;
}

std::string sql_text::line_from(std::size_t pos, std::size_t max_bytes) const {
    pos = std::min(pos, text_.size());
    std::size_t end = text_.find('\n', pos);
    if (end == std::string::npos) end = text_.size();
    std::string_view line = trim(std::string_view(text_).substr(pos, end - pos), is_space);
    if (line.size() <= max_bytes) return std::string(line);
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    return std::string(line.substr(0, cut)) + "\xE2\x80\xA6"; // …
}

// ------------------------------------------------------------------ directives

std::vector<allow_directive> find_allow_directives(const sql_text& text) {
    std::vector<allow_directive> out;
    const std::string_view all(text.text());
    for (const comment_span& c : text.comments()) {
        if (!c.line_comment) continue;
        const auto directive = core::parse_directive(all.substr(c.begin, c.end - c.begin));
        if (!directive || !core::iequals(directive->name, "allow")) continue; // e.g. pgmig:allowed
        const std::string_view s = directive->args;

        allow_directive d;
        d.pos = c.begin;
        d.line = text.line_of(c.begin);
        d.comment = std::string(trim(all.substr(c.begin, c.end - c.begin), is_space));
        std::size_t word_end = 0;
        while (word_end < s.size() && !is_space(s[word_end])) ++word_end;
        const std::string_view ids = s.substr(0, word_end);
        d.reason = std::string(trim(s.substr(word_end), is_space));
        std::size_t start = 0;
        while (start <= ids.size()) {
            std::size_t comma = ids.find(',', start);
            if (comma == std::string_view::npos) comma = ids.size();
            std::string id = core::lower(trim(ids.substr(start, comma - start), is_space));
            if (!id.empty()) d.rules.push_back(std::move(id));
            start = comma + 1;
        }
        out.push_back(std::move(d));
    }
    return out;
}

// ------------------------------------------------------------------ parsing

namespace {

// Parses the statements of text[from, to) (whole statements) and appends them.
// The literal rows of VALUES lists after the first are left out of the copy the
// parser reads (see core::literal_rows_after_first; position_map puts the
// positions back): a seed of a million rows parses as one row.
void parse_range(const sql_text& text, const std::vector<core::sql_span>& spans, std::size_t from, std::size_t to,
                 std::vector<parsed_statement>& out) {
    const std::string_view all(text.text());
    position_map map(from);
    std::string sql;
    std::size_t copied = from; // section bytes [from, copied) are in `sql` or left out
    for (const core::sql_span& st : spans) {
        for (const core::sql_span& rows : core::literal_rows_after_first(all.substr(st.begin, st.end - st.begin))) {
            const std::size_t cut = st.begin + rows.begin;
            if (sql.empty()) sql.reserve(to - from - (rows.end - rows.begin));
            sql.append(all.substr(copied, cut - copied));
            map.left_out(sql.size(), rows.end - rows.begin);
            copied = st.begin + rows.end;
        }
    }
    sql.append(all.substr(copied, to - copied));

    std::string message;
    std::size_t error_pos = 0;
    const std::size_t first = out.size();
    if (parse_piece(text, sql, 0, map, out, message, error_pos)) return;
    out.resize(first);

    // The range does not parse: split it with the scanner and parse each
    // statement alone, so only the statements the parser rejects go unchecked.
    PgQuerySplitResult split = pg_query_split_with_scanner(sql.c_str());
    if (split.error != nullptr) {
        pg_query_free_split_result(split);
        out.push_back(failed_statement(text, from, to - from, message, map(error_pos)));
        return;
    }
    std::vector<raw_statement> pieces;
    for (int i = 0; i < split.n_stmts; ++i) {
        const PgQuerySplitStmt* p = split.stmts[i];
        if (p == nullptr || p->stmt_location < 0 || p->stmt_len < 0) continue;
        pieces.push_back({static_cast<std::size_t>(p->stmt_location), static_cast<std::size_t>(p->stmt_len)});
    }
    pg_query_free_split_result(split);
    if (pieces.empty()) {
        out.push_back(failed_statement(text, from, to - from, message, map(error_pos)));
        return;
    }
    // The scanner silently leaves out some text (e.g. a statement that starts with
    // a misspelt keyword): code between its pieces becomes a region of its own.
    // Pieces and regions are bytes of `sql`.
    std::sort(pieces.begin(), pieces.end(),
              [](const raw_statement& a, const raw_statement& b) { return a.location < b.location; });
    std::vector<raw_statement> regions;
    std::size_t covered = 0;
    const auto add_gap = [&](std::size_t gap_from, std::size_t gap_to) {
        // first_code() reads the section: gaps hold no left-out rows (those are inside statements).
        const std::size_t code = first_code(text, map(gap_from), map(gap_to));
        if (code < map(gap_to)) {
            const std::size_t at = gap_from + (code - map(gap_from));
            regions.push_back({at, gap_to - at});
        }
    };
    for (const raw_statement& piece : pieces) {
        if (piece.location >= sql.size() || piece.location < covered) continue;
        const std::size_t length = piece.length == 0 ? sql.size() - piece.location
                                                     : std::min(piece.length, sql.size() - piece.location);
        add_gap(covered, piece.location);
        regions.push_back({piece.location, length});
        covered = piece.location + length;
    }
    add_gap(covered, sql.size());

    for (const raw_statement& region : regions) {
        const std::string part = sql.substr(region.location, region.length);
        std::string part_message;
        std::size_t part_error = 0;
        if (!parse_piece(text, part, region.location, map, out, part_message, part_error)) {
            const std::size_t begin = map(region.location);
            out.push_back(failed_statement(text, begin, map(region.location + region.length) - begin,
                                           std::move(part_message), map(part_error)));
        }
    }
}

} // namespace

statement_reader::statement_reader(const sql_text& text)
    : text_(text), spans_(core::split_sql_spans(text.text())) {}

bool statement_reader::next(std::vector<parsed_statement>& out) {
    const std::size_t size = text_.text().size();
    if (done_) return false;
    if (spans_.empty()) { // nothing but comments and whitespace
        done_ = true;
        parse_range(text_, spans_, 0, size, out);
        return true;
    }
    // Whole statements, about batch_bytes of text (at least one statement); the
    // batch runs to where the next one starts, so each statement's ';' and the
    // comments after it stay with it.
    const std::size_t first = next_;
    std::size_t last = first + 1;
    while (last < spans_.size() && spans_[last].end - from_ <= batch_bytes) ++last;
    const std::size_t to = last < spans_.size() ? spans_[last].begin : size;
    const std::vector<core::sql_span> batch(spans_.begin() + static_cast<std::ptrdiff_t>(first),
                                              spans_.begin() + static_cast<std::ptrdiff_t>(last));
    parse_range(text_, batch, from_, to, out);
    next_ = last;
    from_ = to;
    done_ = last == spans_.size();
    return true;
}

std::vector<parsed_statement> parse_statements(const sql_text& text) {
    std::vector<parsed_statement> out;
    statement_reader reader(text);
    while (reader.next(out)) {
    }
    return out;
}

} // namespace pgmig::detail::lint
