// Pure helpers of the admin CLI: .env, durations, `new`, confirmation.
#include "cli/cli_internal.hpp"
#include "core/duration.hpp"
#include "core/names.hpp"
#include "core/text.hpp"

#include <pgmig/migration.hpp>

#include <algorithm>
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
using pgmig::detail::is_space;
using pgmig::detail::trim;
using pgmig::detail::lower;


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
        line = trim(line, is_space);
        if (line.empty() || line.front() == '#') continue;
        if (line.size() > 7 && line.substr(0, 7) == "export " ) line = trim(line.substr(7), is_space);
        const std::size_t eq = line.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string key(trim(line.substr(0, eq), is_space));
        if (key.empty() || key.find_first_of(" \t") != std::string::npos) continue;
        std::string_view raw = trim(line.substr(eq + 1), is_space);
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
            value = std::string(trim(raw.substr(0, hash), is_space));
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
    const pgmig::detail::parsed_duration parsed = pgmig::detail::parse_duration(text);
    if (!parsed.value) throw usage(option + ": " + parsed.problem);
    return *parsed.value;
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

std::int64_t parse_version(const std::string& option, const std::string& text) {
    if (!all_digits(text) || text.size() > 18)
        throw usage(option + ": '" + text + "' is not a migration version (digits only, e.g. 20240101120000 or 3)");
    return std::stoll(text);
}

// ------------------------------------------------------------------ `new`

const char* to_string(new_format f) noexcept { return f == new_format::paired ? "paired" : "timestamp"; }

namespace {

using pgmig::detail::existing_migrations;
using pgmig::detail::new_file_names;
using pgmig::detail::next_version;
using pgmig::detail::sanitize_name;
using pgmig::detail::survey;

new_format format_of(migration_format f) noexcept {
    return f == migration_format::paired_files ? new_format::paired : new_format::timestamp;
}

migration_format file_format(new_format f) noexcept {
    return f == new_format::paired ? migration_format::paired_files : migration_format::single_file;
}

void write_new_file(const fs::path& p, const std::string& content) {
    std::ofstream f(p, std::ios::binary | std::ios::out);
    f << content;
    f.close();
    if (!f) throw error(error_code::invalid_migration, "cannot write " + p.string());
}

} // namespace

new_result create_migration(const new_request& request) {
    new_result r;
    r.name = sanitize_name(request.name);
    if (r.name.empty())
        throw usage("new: the name '" + request.name +
                    "' has no letters or digits; give the migration a name, e.g. `new add_user_status`");
    const fs::path dir(request.directory.empty() ? "." : request.directory);
    std::error_code ec;
    std::vector<std::string> listed;
    if (fs::exists(dir, ec)) {
        if (!fs::is_directory(dir, ec))
            throw error(error_code::invalid_migration, dir.string() + " is not a directory");
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            if (!it->is_regular_file(ec)) continue;
            listed.push_back(it->path().filename().string());
        }
        if (ec) throw error(error_code::invalid_migration, "cannot read the directory " + dir.string() + ": " + ec.message());
    }
    const existing_migrations existing = survey(listed);
    if (!existing.newest_file.empty()) {
        const new_format found = format_of(existing.format);
        if (request.format && *request.format != found)
            throw usage("new: --format " + std::string(to_string(*request.format)) + " contradicts " + dir.string() +
                        ", which uses " + (found == new_format::paired ? "paired .up.sql/.down.sql files" : "timestamped single files") +
                        " (e.g. " + existing.newest_file + "); drop --format to follow the directory's convention");
        r.format = found;
    } else {
        r.format = request.format.value_or(new_format::timestamp);
    }

    const bool timestamp_versions = r.format == new_format::timestamp || existing.timestamp_versions;
    const std::optional<std::int64_t> version =
        next_version(timestamp_versions, existing.newest_version, request.now);
    if (!version)
        throw usage("new: the newest version in " + dir.string() + " (" + std::to_string(existing.newest_version) +
                    ") is not a timestamp; cannot choose a newer timestamp version");
    r.version = *version;
    const std::vector<std::string> files = new_file_names(file_format(r.format), timestamp_versions,
                                                                 existing.version_digits, r.version, r.name);

    std::vector<std::pair<fs::path, std::string>> to_write;
    if (r.format == new_format::timestamp) {
        to_write.emplace_back(dir / files[0],
                              "-- DIRECTION: up\n"
                              "-- " + r.name + ": write the change here. It runs in one transaction together with its\n"
                              "-- history row (add -- pgmig:no-transaction for statements that cannot).\n"
                              "\n\n"
                              "-- DIRECTION: down\n"
                              "-- Write the SQL that undoes the up section here, or delete this section if the\n"
                              "-- change cannot be undone (rollback then refuses this migration).\n"
                              "\n");
    } else {
        to_write.emplace_back(dir / files[0], "-- " + r.name + ": write the change here. It runs in one transaction together\n"
                                              "-- with its history row (add -- pgmig:no-transaction for statements that cannot).\n\n");
        to_write.emplace_back(dir / files[1], "-- " + r.name + ": write the SQL that undoes " + files[0] +
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
    return lower(trim(line, is_space)) == "yes" ? confirmation::confirmed : confirmation::declined;
}

} // namespace pgmig::cli::detail
