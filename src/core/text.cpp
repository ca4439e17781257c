// pgmig — small ASCII text helpers. See text.hpp.
#include "core/text.hpp"

namespace pgmig::detail::core {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = ascii_upper(c);
    return out;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool iends_with(std::string_view s, std::string_view suffix) noexcept {
    return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

bool icontains(std::string_view haystack, std::string_view needle) noexcept {
    if (needle.size() > haystack.size()) return false;
    for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i)
        if (iequals(haystack.substr(i, needle.size()), needle)) return true;
    return false;
}

std::string_view ltrim(std::string_view s, bool (*strip)(char) noexcept) noexcept {
    std::size_t i = 0;
    while (i < s.size() && strip(s[i])) ++i;
    return s.substr(i);
}

std::string_view rtrim(std::string_view s, bool (*strip)(char) noexcept) noexcept {
    std::size_t n = s.size();
    while (n > 0 && strip(s[n - 1])) --n;
    return s.substr(0, n);
}

std::string_view trim(std::string_view s, bool (*strip)(char) noexcept) noexcept {
    return rtrim(ltrim(s, strip), strip);
}

bool all_digits(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_digit(c)) return false;
    return true;
}

} // namespace pgmig::detail::core
