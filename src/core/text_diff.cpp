// Unified line diffs (see text_diff.hpp).
#include "core/text_diff.hpp"

#include <pgmig/migration.hpp> // normalize_sql_text

#include <algorithm>
#include <cstdint>
#include <unordered_map>

namespace pgmig::detail::core {

namespace {

/// A text as lines: each line's text (without its '\n') and an id equal for
/// equal lines of both texts (a last line without '\n' differs from the same
/// text with one).
struct lines_of {
    std::vector<std::string_view> text;
    std::vector<int> id;
    bool last_has_newline = true;
};

class interner {
public:
    int operator()(std::string_view line, bool newline) {
        const auto it = ids_.emplace(line, static_cast<int>(ids_.size())).first;
        return it->second * 2 + (newline ? 0 : 1);
    }

private:
    std::unordered_map<std::string_view, int> ids_;
};

lines_of split(std::string_view s, interner& intern) {
    lines_of out;
    std::size_t start = 0;
    while (start < s.size()) {
        const std::size_t nl = s.find('\n', start);
        const bool newline = nl != std::string_view::npos;
        const std::string_view line = s.substr(start, (newline ? nl : s.size()) - start);
        out.text.push_back(line);
        out.id.push_back(intern(line, newline));
        if (!newline) out.last_has_newline = false;
        start = newline ? nl + 1 : s.size();
    }
    return out;
}

enum class op_kind { same, removed, added };
struct op {
    op_kind kind;
    std::size_t a; ///< index in before (same, removed)
    std::size_t b; ///< index in after (same, added)
};

/// Myers' greedy shortest edit script of a[a0, a1) → b[b0, b1), at most
/// `max_d` edits; false when it needs more. Appends to `out` in order.
bool myers(const std::vector<int>& a, std::size_t a0, std::size_t a1, const std::vector<int>& b, std::size_t b0,
           std::size_t b1, std::size_t max_d, std::vector<op>& out) {
    const std::int64_t n = static_cast<std::int64_t>(a1 - a0), m = static_cast<std::int64_t>(b1 - b0);
    const std::int64_t limit = std::min<std::int64_t>(static_cast<std::int64_t>(max_d), n + m);
    const std::int64_t offset = limit + 1;
    std::vector<std::int64_t> v(static_cast<std::size_t>(2 * offset + 1), 0);
    // trace[d][k + d]: the furthest x on diagonal k after d edits.
    std::vector<std::vector<std::int64_t>> trace;
    const auto same = [&](std::int64_t x, std::int64_t y) {
        return a[a0 + static_cast<std::size_t>(x)] == b[b0 + static_cast<std::size_t>(y)];
    };
    std::int64_t found = -1;
    for (std::int64_t d = 0; d <= limit && found < 0; ++d) {
        for (std::int64_t k = -d; k <= d; k += 2) {
            std::int64_t x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1]
                                                                                         : v[offset + k - 1] + 1;
            std::int64_t y = x - k;
            while (x < n && y < m && same(x, y)) ++x, ++y;
            v[offset + k] = x;
            if (x >= n && y >= m) found = d;
        }
        trace.emplace_back(v.begin() + (offset - d), v.begin() + (offset + d + 1));
    }
    if (found < 0) return false;
    // Back from (n, m): each step of d is one edit after a run of equal lines.
    std::vector<op> rev;
    std::int64_t x = n, y = m;
    for (std::int64_t d = found; d > 0; --d) {
        const std::vector<std::int64_t>& prev = trace[static_cast<std::size_t>(d - 1)];
        const auto at = [&](std::int64_t k) { return prev[static_cast<std::size_t>(k + d - 1)]; };
        const std::int64_t k = x - y;
        const bool down = k == -d || (k != d && at(k - 1) < at(k + 1)); // an added line
        const std::int64_t pk = down ? k + 1 : k - 1;
        const std::int64_t px = at(pk), py = px - pk;
        const std::int64_t sx = down ? px : px + 1; // where the run of equal lines starts
        while (x > sx) {
            --x, --y;
            rev.push_back({op_kind::same, a0 + static_cast<std::size_t>(x), b0 + static_cast<std::size_t>(y)});
        }
        if (down) rev.push_back({op_kind::added, a0 + static_cast<std::size_t>(px), b0 + static_cast<std::size_t>(py)});
        else rev.push_back({op_kind::removed, a0 + static_cast<std::size_t>(px), b0 + static_cast<std::size_t>(py)});
        x = px, y = py;
    }
    while (x > 0) {
        --x, --y;
        rev.push_back({op_kind::same, a0 + static_cast<std::size_t>(x), b0 + static_cast<std::size_t>(y)});
    }
    out.insert(out.end(), rev.rbegin(), rev.rend());
    return true;
}

/// "-3,2", "-3" (one line), "-2,0" (none: the line before), as diff -u writes ranges.
std::string range(char sign, std::size_t first, std::size_t count) {
    std::string r(1, sign);
    if (count == 0) return r + std::to_string(first) + ",0"; // `first` is 0-based: the 1-based line before
    r += std::to_string(first + 1);
    if (count != 1) r += "," + std::to_string(count);
    return r;
}

std::string lines_text(std::size_t n) { return std::to_string(n) + (n == 1 ? " line" : " lines"); }

} // namespace

text_diff unified_diff(std::string_view before_raw, std::string_view after_raw, const std::string& before_label,
                       const std::string& after_label, const diff_limits& limits) {
    const std::string before = normalize_sql_text(before_raw), after = normalize_sql_text(after_raw);
    text_diff out;
    if (before == after) return out;
    interner intern;
    const lines_of a = split(before, intern), b = split(after, intern);

    // The common first and last lines are equal without a search.
    std::size_t head = 0;
    while (head < a.id.size() && head < b.id.size() && a.id[head] == b.id[head]) ++head;
    std::size_t tail = 0;
    while (tail < a.id.size() - head && tail < b.id.size() - head &&
           a.id[a.id.size() - 1 - tail] == b.id[b.id.size() - 1 - tail])
        ++tail;
    const std::size_t a_mid = a.id.size() - head - tail, b_mid = b.id.size() - head - tail;
    const std::string sizes = " (" + lines_text(a.id.size()) + " before, " + lines_text(b.id.size()) + " now)";
    if (a_mid + b_mid > limits.max_compared_lines) {
        out.result = text_diff::outcome::too_large;
        out.summary = "the texts differ over " + lines_text(a_mid + b_mid) + ", more than the " +
                      std::to_string(limits.max_compared_lines) + " a diff compares" + sizes;
        return out;
    }
    std::vector<op> ops;
    ops.reserve(a.id.size() + b_mid);
    for (std::size_t i = 0; i < head; ++i) ops.push_back({op_kind::same, i, i});
    if (!myers(a.id, head, head + a_mid, b.id, head, head + b_mid, limits.max_changed_lines, ops)) {
        out.result = text_diff::outcome::too_large;
        out.summary = "more than " + std::to_string(limits.max_changed_lines) +
                      " lines were removed or added, too many to show" + sizes;
        return out;
    }
    for (std::size_t i = 0; i < tail; ++i) ops.push_back({op_kind::same, head + a_mid + i, head + b_mid + i});

    out.result = text_diff::outcome::diff;
    out.lines.push_back("--- " + before_label);
    out.lines.push_back("+++ " + after_label);
    const std::size_t ctx = limits.context;
    std::size_t i = 0;
    while (i < ops.size()) {
        // The next change; the hunk starts `ctx` equal lines before it.
        while (i < ops.size() && ops[i].kind == op_kind::same) ++i;
        if (i == ops.size()) break;
        const std::size_t start = i >= ctx ? i - ctx : 0;
        // Extend over changes closer than 2·ctx equal lines apart.
        std::size_t end = i; // one past the last change
        for (std::size_t j = i; j < ops.size();) {
            if (ops[j].kind != op_kind::same) {
                end = ++j;
                continue;
            }
            std::size_t run = j;
            while (run < ops.size() && ops[run].kind == op_kind::same) ++run;
            if (run == ops.size() || run - j > 2 * ctx) break;
            j = run;
        }
        const std::size_t stop = std::min(ops.size(), end + ctx);
        std::size_t a_count = 0, b_count = 0;
        for (std::size_t j = start; j < stop; ++j) {
            if (ops[j].kind != op_kind::added) ++a_count;
            if (ops[j].kind != op_kind::removed) ++b_count;
        }
        // An op's index on the side it does not touch is where it sits there (the lines before it),
        // which is what an empty range names.
        out.lines.push_back("@@ " + range('-', ops[start].a, a_count) + " " + range('+', ops[start].b, b_count) + " @@");
        for (std::size_t j = start; j < stop; ++j) {
            const op& o = ops[j];
            const bool from_a = o.kind != op_kind::added;
            const lines_of& src = from_a ? a : b;
            const std::size_t index = from_a ? o.a : o.b;
            const char mark = o.kind == op_kind::same ? ' ' : o.kind == op_kind::removed ? '-' : '+';
            out.lines.push_back(mark + std::string(src.text[index]));
            if (o.kind == op_kind::removed) ++out.removed;
            if (o.kind == op_kind::added) ++out.added;
            // (An unchanged line without a newline is the last line of both texts: one note.)
            if (index + 1 == src.text.size() && !src.last_has_newline) out.lines.push_back("\\ No newline at end of file");
        }
        i = stop;
    }
    return out;
}

} // namespace pgmig::detail::core
