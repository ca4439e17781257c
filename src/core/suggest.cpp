// pgmig — edit distance and typo suggestions. See suggest.hpp.
#include "core/suggest.hpp"

#include "core/text.hpp"

#include <algorithm>

namespace pgmig::detail::core {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Three rows of the dynamic-programming table: the current one and the two
    // before it (a transposition looks two rows back).
    const std::size_t m = b.size();
    std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
    for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        const char ai = ascii_lower(a[i - 1]);
        for (std::size_t j = 1; j <= m; ++j) {
            const char bj = ascii_lower(b[j - 1]);
            const std::size_t cost = ai == bj ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && ai == ascii_lower(b[j - 2]) && ascii_lower(a[i - 2]) == bj)
                current[j] = std::min(current[j], before[j - 2] + 1);
        }
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return previous[m];
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
    if (word.empty()) return {};
    const std::string* nearest = nullptr;
    std::size_t nearest_distance = 0;
    const std::string* prefixed = nullptr;
    bool ambiguous_prefix = false;
    for (const std::string& c : candidates) {
        const std::size_t d = edit_distance(word, c);
        if (nearest == nullptr || d < nearest_distance) {
            nearest = &c;
            nearest_distance = d;
        }
        if (istarts_with(c, word)) {
            ambiguous_prefix = prefixed != nullptr;
            if (prefixed == nullptr) prefixed = &c;
        }
    }
    if (ambiguous_prefix) prefixed = nullptr;
    const std::size_t limit = std::max<std::size_t>(word.size(), 3) / 3;
    // Changing every character is not a typo ("x" is not "a").
    const bool typo = nearest != nullptr && nearest_distance <= limit && nearest_distance < word.size();
    if (typo && (nearest_distance <= 1 || prefixed == nullptr))
        return *nearest;
    return prefixed != nullptr ? *prefixed : std::string();
}

} // namespace pgmig::detail::core
