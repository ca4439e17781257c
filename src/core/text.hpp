// pgmig — small ASCII text helpers shared by the parser, lint, the engine and the CLI.
//
// Everything here is locale-independent: the migration-file format, SQL
// keywords and pgmig's own options are ASCII, and <cctype> would make
// results depend on the process locale (and is undefined for negative chars).
#pragma once

#include <string>
#include <string_view>

namespace pgmig::detail::core {

constexpr char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr char ascii_upper(char c) noexcept { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_alnum(char c) noexcept { return is_alpha(c) || is_digit(c); }

/// Horizontal whitespace: space, tab, form feed, vertical tab. The parser's
/// blank set (its lines never hold '\n', and '\r' is gone after normalisation).
constexpr bool is_blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }
/// Any whitespace: the blanks plus '\n' and '\r' (C's isspace in the "C" locale).
constexpr bool is_space(char c) noexcept { return is_blank(c) || c == '\n' || c == '\r'; }

/// `s` in ASCII lower case.
std::string lower(std::string_view s);
/// `s` in ASCII upper case.
std::string upper(std::string_view s);

/// ASCII case-insensitive comparisons.
bool iequals(std::string_view a, std::string_view b) noexcept;
bool istarts_with(std::string_view s, std::string_view prefix) noexcept;
bool iends_with(std::string_view s, std::string_view suffix) noexcept;
bool icontains(std::string_view haystack, std::string_view needle) noexcept;

/// `s` without leading / trailing / both characters for which `strip` is true
/// (default: the blanks, see is_blank).
std::string_view ltrim(std::string_view s, bool (*strip)(char) noexcept = is_blank) noexcept;
std::string_view rtrim(std::string_view s, bool (*strip)(char) noexcept = is_blank) noexcept;
std::string_view trim(std::string_view s, bool (*strip)(char) noexcept = is_blank) noexcept;

/// Non-empty and only '0'..'9'.
bool all_digits(std::string_view s) noexcept;

} // namespace pgmig::detail::core
