// pgmig — the migration file-name convention. See names.hpp.
#include "core/names.hpp"

#include "core/text.hpp"

#include <algorithm>

namespace pgmig {
namespace detail::core {
namespace {

std::size_t count_digits(std::string_view s, std::size_t from) noexcept {
    std::size_t n = 0;
    while (from + n < s.size() && is_digit(s[from + n])) ++n;
    return n;
}

// At most 18 digits, so no overflow.
std::int64_t digits_value(std::string_view digits) noexcept {
    std::int64_t v = 0;
    for (char c : digits) v = v * 10 + (c - '0');
    return v;
}

std::string_view base_name(std::string_view name) noexcept {
    const std::size_t slash = name.find_last_of("/\\");
    return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

// Days since 1970-01-01 of a civil date (proleptic Gregorian), and back
// (Howard Hinnant's algorithms).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct civil_time {
    std::int64_t year = 1970;
    unsigned month = 1, day = 1, hour = 0, minute = 0, second = 0;
};

civil_time civil_from_time(std::time_t t) noexcept {
    const auto secs = static_cast<std::int64_t>(t);
    std::int64_t z = secs / 86400, rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        --z;
    }
    civil_time c;
    c.hour = static_cast<unsigned>(rem / 3600);
    c.minute = static_cast<unsigned>(rem / 60 % 60);
    c.second = static_cast<unsigned>(rem % 60);
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    c.day = doy - (153 * mp + 2) / 5 + 1;
    c.month = mp < 10 ? mp + 3 : mp - 9;
    c.year = static_cast<std::int64_t>(yoe) + era * 400 + (c.month <= 2);
    return c;
}

// "YYYYMMDD_HHMMSS" of a YYYYMMDDHHMMSS version.
std::string timestamp_prefix(std::int64_t version) {
    std::string digits = std::to_string(version);
    if (digits.size() < 14) digits.insert(0, 14 - digits.size(), '0');
    return digits.substr(0, digits.size() - 6) + "_" + digits.substr(digits.size() - 6);
}

} // namespace

bool is_candidate_sql(std::string_view name) noexcept {
    const std::string_view base = base_name(name);
    return !base.empty() && base.front() != '.' && iends_with(base, ".sql");
}

name_info classify_name(std::string_view name) noexcept {
    name_info info;
    if (!is_candidate_sql(name)) return info;
    const std::string_view base = base_name(name);
    info.kind = name_kind::invalid;
    info.problem = name_problem::no_convention;

    const bool up = iends_with(base, ".up.sql");
    const bool down = !up && iends_with(base, ".down.sql");
    if (up || down) {
        const std::string_view stem = base.substr(0, base.size() - (up ? 7 : 9));
        info.stem = stem;
        const std::size_t n = count_digits(stem, 0);
        if (n == 0 || n >= stem.size() || stem[n] != '_') return info;
        if (n > max_version_digits) {
            info.problem = name_problem::version_too_long;
            return info;
        }
        std::int64_t version = digits_value(stem.substr(0, n));
        std::string_view description = stem.substr(n + 1);
        // YYYYMMDD_HHMMSS_description.up.sql: the version is the whole timestamp,
        // as for single files (otherwise two migrations of one day would collide).
        bool timestamp = false;
        if (n == 8 && count_digits(description, 0) == 6 && description.size() >= 7 && description[6] == '_') {
            version = version * 1000000 + digits_value(description.substr(0, 6));
            description = description.substr(7);
            timestamp = true;
        }
        if (description.empty()) {
            info.problem = name_problem::no_description;
            return info;
        }
        info.kind = up ? name_kind::paired_up : name_kind::paired_down;
        info.problem = name_problem::none;
        info.version = version;
        info.description = description;
        info.version_digits = n;
        info.timestamp_version = timestamp;
        return info;
    }

    const std::string_view stem = base.substr(0, base.size() - 4);
    info.stem = stem;
    if (count_digits(stem, 0) == 8 && stem.size() >= 15 && stem[8] == '_' && count_digits(stem, 9) == 6 &&
        (stem.size() == 15 || stem[15] == '_')) {
        if (stem.size() <= 16) {
            info.problem = name_problem::no_description;
            return info;
        }
        const std::int64_t version = digits_value(stem.substr(0, 8)) * 1000000 + digits_value(stem.substr(9, 6));
        info.kind = name_kind::single;
        info.problem = name_problem::none;
        info.version = version;
        info.description = stem.substr(16);
        info.version_digits = 8;
        info.timestamp_version = true;
    }
    return info;
}

std::string name_problem_text(const name_info& info) {
    switch (info.problem) {
    case name_problem::version_too_long:
        return "version has more than 18 digits; it must fit a 64-bit integer, shorten it";
    case name_problem::no_description:
        return "file name has no description after the version; add one, e.g. 20240101_120000_create_users.sql "
               "or 000001_create_users.up.sql";
    case name_problem::none:
    case name_problem::no_convention:
        break;
    }
    std::string text =
        "not a migration file name; name it YYYYMMDD_HHMMSS_description.sql (one file with -- DIRECTION: up/down "
        "sections) or NNN_description.up.sql with an optional NNN_description.down.sql (paired files)";
    const std::size_t n = count_digits(info.stem, 0);
    if (n > 0 && n < info.stem.size() && info.stem[n] == '_' && n + 1 < info.stem.size())
        text += ", e.g. '" + std::string(info.stem) + ".up.sql'";
    return text;
}

// ------------------------------------------------------------------ new names

std::string sanitize_name(std::string_view description) {
    std::string out;
    bool pending_separator = false;
    for (const char c : description) {
        if (is_alnum(c)) {
            if (pending_separator && !out.empty()) out += '_';
            pending_separator = false;
            out += ascii_lower(c);
        } else {
            pending_separator = true;
        }
    }
    return out;
}

std::string utc_stamp(std::time_t t) { return timestamp_prefix(timestamp_version(t)); }

std::int64_t timestamp_version(std::time_t t) {
    const civil_time c = civil_from_time(t);
    return ((((c.year * 100 + c.month) * 100 + c.day) * 100 + c.hour) * 100 + c.minute) * 100 + c.second;
}

std::optional<std::time_t> version_time(std::int64_t version) {
    if (version < 19000101000000LL || version > 99991231235959LL) return std::nullopt;
    const auto second = static_cast<unsigned>(version % 100), minute = static_cast<unsigned>(version / 100 % 100),
               hour = static_cast<unsigned>(version / 10000 % 100), day = static_cast<unsigned>(version / 1000000 % 100),
               month = static_cast<unsigned>(version / 100000000 % 100);
    const std::int64_t year = version / 10000000000LL;
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return std::nullopt;
    return static_cast<std::time_t>(days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second);
}

existing_migrations survey(const std::vector<std::string>& names) {
    existing_migrations out;
    bool newest_paired = false;
    for (const std::string& name : names) {
        const name_info info = classify_name(name);
        if (!info.is_migration()) continue;
        const bool paired = info.kind != name_kind::single;
        if (!out.newest_file.empty() &&
            (info.version < out.newest_version || (info.version == out.newest_version && (newest_paired || !paired))))
            continue;
        out.newest_version = info.version;
        out.newest_file = name;
        out.format = paired ? migration_format::paired_files : migration_format::single_file;
        out.timestamp_versions = info.timestamp_version;
        out.version_digits = info.version_digits;
        newest_paired = paired;
    }
    return out;
}

std::optional<std::int64_t> next_version(bool timestamp_versions, std::int64_t newest, std::time_t now) {
    if (!timestamp_versions) return newest + 1;
    const std::int64_t v = timestamp_version(now);
    if (v > newest) return v;
    const std::optional<std::time_t> newest_time = version_time(newest);
    if (!newest_time) return std::nullopt;
    return timestamp_version(*newest_time + 1);
}

std::vector<std::string> new_file_names(migration_format format, bool timestamp_versions, std::size_t digits,
                                        std::int64_t version, std::string_view description) {
    std::string prefix;
    if (timestamp_versions) {
        prefix = timestamp_prefix(version);
    } else {
        prefix = std::to_string(version);
        if (prefix.size() < digits) prefix.insert(0, digits - prefix.size(), '0');
    }
    const std::string stem = prefix + "_" + std::string(description);
    if (format == migration_format::single_file) return {stem + ".sql"};
    return {stem + ".up.sql", stem + ".down.sql"};
}

} // namespace detail::core

bool looks_like_migration_file(std::string_view name) noexcept { return detail::core::classify_name(name).is_migration(); }

} // namespace pgmig
