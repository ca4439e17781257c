// pgmig — durations: the one parser (migration directives and CLI options mean
// the same by the same text) and the one formatter for messages.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace pgmig::detail::core {

/// The longest duration pgmig accepts anywhere (a deadline computed from it
/// cannot overflow a clock).
constexpr std::chrono::milliseconds max_duration = std::chrono::hours(24 * 365 * 100);

/// A parsed duration, or why the text is not one.
struct parsed_duration {
    std::optional<std::chrono::milliseconds> value;
    /// When `value` is empty: what is wrong and how to write it, e.g.
    /// "'500' has no unit: write 500ms or 500s". A sentence fragment for the
    /// caller to prefix with what was being parsed.
    std::string problem;
    bool too_long = false; ///< the text is a duration, longer than max_duration
};

/// A number with a unit: "500ms", "10s", "1.5s", "2min" or "2m", "1h", "1d";
/// units in any case, blanks around the text and before the unit allowed,
/// decimals rounded to the nearest millisecond, at most 12 digits before the
/// point. A bare number is refused (milliseconds or seconds?), except 0,
/// which means the same in every unit.
parsed_duration parse_duration(std::string_view text);

/// For messages: "250ms", "1.5s" (tenths, rounded down), "2m5s".
std::string format_duration(std::chrono::milliseconds d);

} // namespace pgmig::detail::core
