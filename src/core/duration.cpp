// pgmig — parsing and formatting durations. See duration.hpp.
#include "core/duration.hpp"

#include "core/text.hpp"

#include <cstdint>

namespace pgmig::detail::core {
namespace {

constexpr std::size_t max_integer_digits = 12;
constexpr std::size_t max_fraction_digits = 9;

struct unit {
    std::string_view name;
    std::int64_t ms;
};

// PostgreSQL's time units (but "us") and "m" for minutes.
constexpr unit units[] = {{"ms", 1},      {"s", 1000},           {"m", 60 * 1000},
                          {"min", 60 * 1000}, {"h", 60 * 60 * 1000}, {"d", 24 * 60 * 60 * 1000}};

std::string not_a_duration(std::string_view text) {
    return "'" + std::string(text) + "' is not a duration; write a number and a unit, e.g. 500ms, 10s, 2min or 1h "
           "(units: ms, s, m or min, h, d)";
}

std::string too_long(std::string_view text) {
    return "'" + std::string(text) + "' is too long; durations are at most 100 years";
}

} // namespace

parsed_duration parse_duration(std::string_view text) {
    parsed_duration out;
    const std::string_view t = trim(text);
    if (t.empty()) {
        out.problem = "no duration given; write a number and a unit, e.g. 500ms, 10s or 2min";
        return out;
    }
    std::size_t i = 0;
    while (i < t.size() && is_digit(t[i])) ++i;
    const std::string_view integer = t.substr(0, i);
    std::string_view fraction;
    if (i < t.size() && t[i] == '.') {
        const std::size_t begin = ++i;
        while (i < t.size() && is_digit(t[i])) ++i;
        fraction = t.substr(begin, i - begin);
    }
    if ((integer.empty() && fraction.empty()) || integer.size() > max_integer_digits ||
        fraction.size() > max_fraction_digits) {
        out.problem = not_a_duration(t);
        return out;
    }
    const std::string_view unit_text = ltrim(t.substr(i));
    if (unit_text.empty()) {
        if (integer.find_first_not_of('0') == std::string_view::npos &&
            fraction.find_first_not_of('0') == std::string_view::npos) {
            out.value = std::chrono::milliseconds(0);
            return out;
        }
        out.problem = "'" + std::string(t) + "' has no unit: write " + std::string(t) + "ms or " + std::string(t) + "s";
        return out;
    }
    std::int64_t factor = 0;
    for (const unit& u : units)
        if (iequals(unit_text, u.name)) factor = u.ms;
    if (factor == 0) {
        out.problem = not_a_duration(t);
        return out;
    }

    // value = (integer + fraction) * factor, in integer arithmetic: at most
    // 12 integer digits times a day's milliseconds (8.64e7) can exceed int64,
    // so compare against the limit before multiplying.
    std::int64_t whole = 0;
    for (const char c : integer) whole = whole * 10 + (c - '0');
    const std::int64_t limit = max_duration.count();
    if (whole > limit / factor) {
        out.problem = too_long(t);
        out.too_long = true;
        return out;
    }
    std::int64_t ms = whole * factor;
    if (!fraction.empty()) {
        // fraction * factor / 10^digits, rounded half up; factor <= 8.64e7 and
        // fraction < 10^9, so the product fits in 64 bits.
        std::int64_t numerator = 0, denominator = 1;
        for (const char c : fraction) {
            numerator = numerator * 10 + (c - '0');
            denominator *= 10;
        }
        ms += (numerator * factor + denominator / 2) / denominator;
    }
    if (ms > limit) {
        out.problem = too_long(t);
        out.too_long = true;
        return out;
    }
    out.value = std::chrono::milliseconds(ms);
    return out;
}

std::string format_duration(std::chrono::milliseconds d) {
    const auto ms = d.count();
    if (ms < 1000) return std::to_string(ms) + "ms";
    if (ms < 60000) return std::to_string(ms / 1000) + "." + std::to_string((ms % 1000) / 100) + "s";
    return std::to_string(ms / 60000) + "m" + std::to_string((ms % 60000) / 1000) + "s";
}

} // namespace pgmig::detail::core
