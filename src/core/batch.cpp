// pgmig — `-- pgmig:batch` directives. See batch.hpp.
#include "core/batch.hpp"

#include "core/directive.hpp"
#include "core/duration.hpp"
#include "core/text.hpp"

namespace pgmig::detail::core {

namespace {

std::string_view next_word(std::string_view& s) {
    s = ltrim(s);
    std::size_t end = 0;
    while (end < s.size() && !is_blank(s[end])) ++end;
    const std::string_view w = s.substr(0, end);
    s = s.substr(end);
    return w;
}

} // namespace

parsed_batch parse_batch_args(std::string_view args) {
    batch_spec spec;
    bool pause_seen = false;
    std::string_view rest = args;
    for (std::string_view word = next_word(rest); !word.empty(); word = next_word(rest)) {
        const bool pause = iequals(word, "pause");
        if (!pause && !iequals(word, "timeout"))
            return {std::nullopt, "unknown pgmig:batch argument '" + std::string(word) +
                                      "'; write -- pgmig:batch, -- pgmig:batch pause 50ms or "
                                      "-- pgmig:batch timeout 30s (a statement timeout per batch)"};
        if (pause ? pause_seen : spec.statement_timeout.has_value())
            return {std::nullopt, "second '" + std::string(word) + "' in pgmig:batch; keep one"};
        const std::string_view value = next_word(rest);
        const parsed_duration d = parse_duration(value);
        if (!d.value)
            return {std::nullopt, "invalid duration '" + std::string(value) + "' after '" + std::string(word) +
                                      "' in pgmig:batch; " + (d.too_long ? std::string("it is too long") : d.problem)};
        if (pause) {
            spec.pause = *d.value;
            pause_seen = true;
        } else {
            spec.statement_timeout = *d.value;
        }
    }
    return {spec, {}};
}

std::vector<batch_marker> batch_markers(std::string_view sql, const std::vector<sql_span>& statements) {
    std::vector<batch_marker> out;
    std::size_t next = 0; // the first statement that starts after `pos`
    std::size_t pos = 0;
    int line_no = 0;
    while (pos < sql.size()) {
        std::size_t eol = sql.find('\n', pos);
        if (eol == std::string_view::npos) eol = sql.size();
        ++line_no;
        while (next < statements.size() && statements[next].end <= pos) ++next;
        // A comment line inside a statement's text is not a directive on a statement.
        const bool inside = next < statements.size() && statements[next].begin < pos;
        if (!inside) {
            const auto d = parse_directive(sql.substr(pos, eol - pos));
            if (d && iequals(d->name, "batch")) {
                batch_marker m;
                m.line = line_no;
                if (next < statements.size()) m.statement = next;
                m.parsed = parse_batch_args(d->args);
                out.push_back(std::move(m));
            }
        }
        pos = eol + 1;
    }
    return out;
}

std::vector<std::optional<batch_spec>> batch_specs(std::string_view sql, const std::vector<sql_statement>& statements) {
    std::vector<std::optional<batch_spec>> out(statements.size());
    if (!icontains(sql, "batch")) return out; // the common case: nothing to look for
    std::vector<sql_span> spans;
    spans.reserve(statements.size());
    for (const sql_statement& st : statements) spans.push_back({st.offset, st.offset + st.text.size()});
    for (const batch_marker& m : batch_markers(sql, spans))
        if (m.statement && m.parsed.spec) out[*m.statement] = m.parsed.spec;
    return out;
}

std::vector<batch_misplaced> misplaced_batches(std::string_view sql, bool no_transaction) {
    std::vector<batch_misplaced> out;
    if (!icontains(sql, "batch")) return out;
    const std::vector<sql_span> spans = split_sql_spans(sql);
    std::optional<std::size_t> last;
    for (const batch_marker& b : batch_markers(sql, spans)) {
        if (!no_transaction) {
            out.push_back({b.line, "pgmig:batch in a part that runs in one transaction; each batch commits on its own, "
                                   "so the part needs a line -- pgmig:no-transaction"});
        } else if (!b.statement) {
            out.push_back({b.line, "pgmig:batch with no statement after it; put it on the line before the statement "
                                   "it repeats"});
        } else if (last == b.statement) {
            out.push_back({b.line, "second pgmig:batch on one statement; keep one"});
        } else {
            const sql_span& st = spans[*b.statement];
            if (!is_batchable_statement(sql.substr(st.begin, st.end - st.begin)))
                out.push_back({b.line, "pgmig:batch on a statement that changes no rows; it repeats an UPDATE, DELETE, "
                                       "INSERT or MERGE that bounds its own batch (… WHERE id IN (SELECT id … LIMIT "
                                       "10000)) until it affects none"});
        }
        last = b.statement;
    }
    return out;
}

bool is_batchable_statement(std::string_view statement) noexcept {
    std::string_view s = ltrim(statement, is_space);
    while (!s.empty() && s.front() == '(') s = ltrim(s.substr(1), is_space);
    std::size_t end = 0;
    while (end < s.size() && (is_alpha(s[end]) || s[end] == '_')) ++end;
    const std::string_view word = s.substr(0, end);
    for (const char* w : {"update", "delete", "insert", "merge", "with"})
        if (iequals(word, w)) return true;
    return false;
}

} // namespace pgmig::detail::core
