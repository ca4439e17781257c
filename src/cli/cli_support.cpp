// Pure helpers of the admin CLI: .env, durations, `new`, confirmation.
#include "cli/cli_internal.hpp"
#include "core/text.hpp"

#include <pgmig/migration.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <istream>
#include <ostream>
#include <sstream>
#include <system_error>

namespace pgmig::cli::detail {

namespace fs = std::filesystem;

namespace {

using pgmig::detail::all_digits;
using pgmig::detail::lower;

std::string_view trim(std::string_view s) noexcept { return pgmig::detail::trim(s, pgmig::detail::is_space); }

error usage(const std::string& msg) { return error(error_code::usage, msg); }

} // namespace

// ------------------------------------------------------------------ .env

std::map<std::string, std::string> parse_dotenv(std::string_view text) {
    std::map<std::string, std::string> out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t nl = text.find('\n', pos);
        std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
        if (pos == 1 && line.size() >= 3 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
        line = trim(line);
        if (line.empty() || line.front() == '#') continue;
        if (line.size() > 7 && line.substr(0, 7) == "export " ) line = trim(line.substr(7));
        const std::size_t eq = line.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string key(trim(line.substr(0, eq)));
        if (key.empty() || key.find_first_of(" \t") != std::string::npos) continue;
        std::string_view raw = trim(line.substr(eq + 1));
        std::string value;
        if (!raw.empty() && (raw.front() == '"' || raw.front() == '\'')) {
            const char q = raw.front();
            std::size_t i = 1;
            for (; i < raw.size() && raw[i] != q; ++i) {
                if (q == '"' && raw[i] == '\\' && i + 1 < raw.size()) {
                    const char n = raw[++i];
                    value += n == 'n' ? '\n' : n == 't' ? '\t' : n;
                } else {
                    value += raw[i];
                }
            }
        } else {
            // Unquoted: a " #" starts a comment.
            std::size_t hash = std::string_view::npos;
            for (std::size_t i = 1; i < raw.size(); ++i)
                if (raw[i] == '#' && (raw[i - 1] == ' ' || raw[i - 1] == '\t')) {
                    hash = i;
                    break;
                }
            value = std::string(trim(raw.substr(0, hash)));
        }
        out[key] = value;
    }
    return out;
}

const char* to_string(conninfo_source s) noexcept {
    switch (s) {
    case conninfo_source::none: return "none";
    case conninfo_source::flag: return "--db";
    case conninfo_source::environment: return "DB_URL";
    case conninfo_source::dotenv: return ".env";
    }
    return "none";
}

resolved_conninfo resolve_conninfo(const std::string& flag_value, const char* env_db_url,
                                   const std::string& dotenv_path) {
    if (!flag_value.empty()) return {flag_value, conninfo_source::flag};
    if (env_db_url != nullptr && *env_db_url != '\0') return {env_db_url, conninfo_source::environment};
    std::error_code ec;
    if (!dotenv_path.empty() && fs::is_regular_file(dotenv_path, ec)) {
        std::ifstream f(dotenv_path, std::ios::binary);
        std::ostringstream ss;
        ss << f.rdbuf();
        const auto vars = parse_dotenv(ss.str());
        const auto it = vars.find("DB_URL");
        if (it != vars.end() && !it->second.empty()) return {it->second, conninfo_source::dotenv};
    }
    return {};
}

// ------------------------------------------------------------------ small parsers

std::chrono::milliseconds parse_duration(const std::string& option, const std::string& text) {
    const std::string t(trim(text));
    std::size_t i = 0;
    while (i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == '.')) ++i;
    const std::string number = t.substr(0, i), unit = lower(t.substr(i));
    double value = 0;
    bool ok = !number.empty() && std::count(number.begin(), number.end(), '.') <= 1 && number != ".";
    if (ok) value = std::stod(number);
    double factor = 0;
    if (unit.empty() || unit == "s") factor = 1000;
    else if (unit == "ms") factor = 1;
    else if (unit == "m" || unit == "min") factor = 60000;
    else if (unit == "h") factor = 3600000;
    if (!ok || factor == 0)
        throw usage(option + ": '" + text + "' is not a duration; use e.g. 500ms, 30s, 5m or 1h (a plain number means seconds)");
    return std::chrono::milliseconds(static_cast<std::int64_t>(value * factor + 0.5));
}

history_table_name parse_history_table(const std::string& text) {
    history_table_name t;
    const std::size_t dot = text.find('.');
    if (dot == std::string::npos) {
        t.table = text;
    } else {
        t.schema = text.substr(0, dot);
        t.table = text.substr(dot + 1);
    }
    if (t.schema.empty() || t.table.empty() || t.table.find('.') != std::string::npos)
        throw usage("--history-table: '" + text + "' is not a table name; use schema.table or table (schema public)");
    return t;
}

std::int64_t parse_version(const std::string& option, const std::string& text, bool allow_zero) {
    if (!all_digits(text) || text.size() > 18)
        throw usage(option + ": '" + text + "' is not a migration version (digits only, e.g. 20240101120000 or 3)");
    const std::int64_t v = std::stoll(text);
    if (v == 0 && !allow_zero) throw usage(option + ": versions start at 1");
    return v;
}

// ------------------------------------------------------------------ `new`

std::string sanitize_name(std::string_view name) {
    std::string out;
    bool pending_sep = false;
    for (char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) && c < 128) {
            if (pending_sep && !out.empty()) out += '_';
            pending_sep = false;
            out += static_cast<char>(std::tolower(c));
        } else {
            pending_sep = true;
        }
    }
    return out;
}

const char* to_string(new_format f) noexcept { return f == new_format::paired ? "paired" : "timestamp"; }

namespace {

// Days since 1970-01-01 of a civil date (proleptic Gregorian), and back.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

std::string two(unsigned v) { return (v < 10 ? "0" : "") + std::to_string(v); }

/// Seconds since the epoch of a YYYYMMDDHHMMSS version; nullopt when it is not a timestamp.
std::optional<std::int64_t> version_time(std::int64_t v) {
    if (v < 19000101000000LL || v > 99991231235959LL) return std::nullopt;
    const auto sec = static_cast<unsigned>(v % 100), min = static_cast<unsigned>(v / 100 % 100),
               hour = static_cast<unsigned>(v / 10000 % 100), day = static_cast<unsigned>(v / 1000000 % 100),
               month = static_cast<unsigned>(v / 100000000 % 100);
    const std::int64_t year = v / 10000000000LL;
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 59) return std::nullopt;
    return days_from_civil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
}

struct existing_file {
    std::string name;
    std::int64_t version = 0;
    bool paired = false;
    bool timestamp_name = false; ///< YYYYMMDD_HHMMSS_ prefix
    std::size_t digits = 0;      ///< width of the leading number
};

std::optional<existing_file> classify(const std::string& name) {
    if (!looks_like_migration_file(name)) return std::nullopt;
    existing_file f;
    f.name = name;
    const std::string l = lower(name);
    f.paired = l.size() > 7 && (l.rfind(".up.sql") == l.size() - 7 ||
                                (l.size() > 9 && l.rfind(".down.sql") == l.size() - 9));
    std::size_t n = 0;
    while (n < name.size() && std::isdigit(static_cast<unsigned char>(name[n]))) ++n;
    if (n == 0 || n > 18) return std::nullopt;
    f.digits = n;
    f.version = std::stoll(name.substr(0, n));
    if (n == 8 && name.size() > 16 && name[8] == '_') {
        std::size_t k = 9;
        while (k < name.size() && std::isdigit(static_cast<unsigned char>(name[k]))) ++k;
        if (k == 15 && name[15] == '_') {
            f.timestamp_name = true;
            f.version = f.version * 1000000 + std::stoll(name.substr(9, 6));
        }
    }
    return f;
}

void write_new_file(const fs::path& p, const std::string& content) {
    std::ofstream f(p, std::ios::binary | std::ios::out);
    f << content;
    f.close();
    if (!f) throw error(error_code::invalid_migration, "cannot write " + p.string());
}

} // namespace

std::string utc_stamp(std::time_t t) {
    const std::int64_t secs = static_cast<std::int64_t>(t);
    std::int64_t days = secs / 86400, rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    std::int64_t y = 0;
    unsigned m = 0, d = 0;
    civil_from_days(days, y, m, d);
    return std::to_string(y) + two(m) + two(d) + "_" + two(static_cast<unsigned>(rem / 3600)) +
           two(static_cast<unsigned>(rem / 60 % 60)) + two(static_cast<unsigned>(rem % 60));
}

new_result create_migration(const new_request& request) {
    new_result r;
    r.name = sanitize_name(request.name);
    if (r.name.empty())
        throw usage("new: the name '" + request.name +
                    "' has no letters or digits; give the migration a name, e.g. `new add_user_status`");
    const fs::path dir(request.directory.empty() ? "." : request.directory);
    std::error_code ec;
    std::vector<existing_file> files;
    if (fs::exists(dir, ec)) {
        if (!fs::is_directory(dir, ec))
            throw error(error_code::invalid_migration, dir.string() + " is not a directory");
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            if (!it->is_regular_file(ec)) continue;
            if (auto f = classify(it->path().filename().string())) files.push_back(*f);
        }
        if (ec) throw error(error_code::invalid_migration, "cannot read the directory " + dir.string() + ": " + ec.message());
    }
    const existing_file* newest = nullptr;
    std::int64_t max_version = 0;
    for (const existing_file& f : files) {
        if (newest == nullptr || f.version > newest->version || (f.version == newest->version && f.paired))
            newest = &f;
        max_version = std::max(max_version, f.version);
    }
    if (newest != nullptr) {
        const new_format found = newest->paired ? new_format::paired : new_format::timestamp;
        if (request.format && *request.format != found)
            throw usage("new: --format " + std::string(to_string(*request.format)) + " contradicts " + dir.string() +
                        ", which uses " + (found == new_format::paired ? "paired .up.sql/.down.sql files" : "timestamped single files") +
                        " (e.g. " + newest->name + "); drop --format to follow the directory's convention");
        r.format = found;
    } else {
        r.format = request.format.value_or(new_format::timestamp);
    }

    std::vector<std::pair<fs::path, std::string>> to_write;
    const bool timestamp_version = r.format == new_format::timestamp || (newest != nullptr && newest->timestamp_name);
    std::string prefix;
    if (timestamp_version) {
        std::int64_t t = static_cast<std::int64_t>(request.now);
        std::string stamp = utc_stamp(request.now);
        std::int64_t v = std::stoll(stamp.substr(0, 8)) * 1000000 + std::stoll(stamp.substr(9));
        if (v <= max_version) {
            // Two migrations in one second, or a clock behind the newest file: one second after the newest.
            if (auto newest_t = version_time(max_version)) {
                t = *newest_t + 1;
                stamp = utc_stamp(static_cast<std::time_t>(t));
                v = std::stoll(stamp.substr(0, 8)) * 1000000 + std::stoll(stamp.substr(9));
            } else {
                throw usage("new: the newest version in " + dir.string() + " (" + std::to_string(max_version) +
                            ") is not a timestamp; cannot choose a newer timestamp version");
            }
        }
        r.version = v;
        prefix = stamp;
    } else {
        r.version = max_version + 1;
        std::size_t width = newest != nullptr ? newest->digits : 6;
        std::string digits = std::to_string(r.version);
        if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
        prefix = digits;
    }

    if (r.format == new_format::timestamp) {
        const std::string file = prefix + "_" + r.name + ".sql";
        to_write.emplace_back(dir / file,
                              "-- DIRECTION: up\n"
                              "-- " + r.name + ": write the change here. It runs in one transaction together with its\n"
                              "-- history row (add -- pgmig:no-transaction for statements that cannot).\n"
                              "\n\n"
                              "-- DIRECTION: down\n"
                              "-- Write the SQL that undoes the up section here, or delete this section if the\n"
                              "-- change cannot be undone (rollback then refuses this migration).\n"
                              "\n");
    } else {
        const std::string up = prefix + "_" + r.name + ".up.sql";
        const std::string down = prefix + "_" + r.name + ".down.sql";
        to_write.emplace_back(dir / up, "-- " + r.name + ": write the change here. It runs in one transaction together\n"
                                        "-- with its history row (add -- pgmig:no-transaction for statements that cannot).\n\n");
        to_write.emplace_back(dir / down, "-- " + r.name + ": write the SQL that undoes " + up +
                                              " here, or delete this\n-- file if the change cannot be undone.\n\n");
    }
    for (const auto& w : to_write)
        if (fs::exists(w.first, ec))
            throw usage("new: " + w.first.string() + " already exists; pgmig never overwrites a migration");
    if (!fs::exists(dir, ec)) {
        fs::create_directories(dir, ec);
        if (ec) throw error(error_code::invalid_migration, "cannot create the directory " + dir.string() + ": " + ec.message());
        r.created_directory = true;
    }
    for (const auto& w : to_write) {
        write_new_file(w.first, w.second);
        r.paths.push_back(w.first.string());
    }
    return r;
}

// ------------------------------------------------------------------ confirmation

confirmation confirm(std::istream& in, std::ostream& err, bool stdin_is_terminal, bool assume_yes,
                     const std::string& what) {
    if (assume_yes) return confirmation::assumed_yes;
    if (!stdin_is_terminal) return confirmation::no_terminal;
    err << what;
    if (!what.empty() && what.back() != '\n') err << '\n';
    err << "Type 'yes' to continue: " << std::flush;
    std::string line;
    if (!std::getline(in, line)) {
        err << '\n';
        return confirmation::declined;
    }
    return lower(trim(line)) == "yes" ? confirmation::confirmed : confirmation::declined;
}

} // namespace pgmig::cli::detail
