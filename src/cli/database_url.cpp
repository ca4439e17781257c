// Where the admin CLI's connection string comes from (see database_url.hpp).
#include "cli/database_url.hpp"
#include "core/text.hpp"

#include <pgmig/error.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace pgmig::detail::cli {

namespace fs = std::filesystem;

using core::is_space;
using core::trim;

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

const std::vector<std::string>& database_url_variables() {
    static const std::vector<std::string> names = {"DB_URL", "DATABASE_URL"};
    return names;
}

std::string describe(const resolved_conninfo& r) {
    switch (r.source) {
    case conninfo_source::none: return "none";
    case conninfo_source::flag: return "--db";
    case conninfo_source::environment: return r.variable;
    case conninfo_source::dotenv: return r.variable + " in ./.env";
    }
    return "none";
}

namespace {

/// The variables of the file `path` (none when it does not exist).
std::map<std::string, std::string> dotenv_file(const std::string& path) {
    std::error_code ec;
    if (path.empty() || !fs::is_regular_file(path, ec)) return {};
    std::ifstream f(path, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return parse_dotenv(ss.str());
}

/// Every place in order, with what it holds (nullptr: nothing there).
template <class Visit>
void each_place(const getenv_function& getenv, const std::string& dotenv_path, const Visit& visit) {
    for (const std::string& name : database_url_variables())
        if (visit(conninfo_source::environment, name, getenv ? getenv(name.c_str()) : nullptr)) return;
    const auto vars = dotenv_file(dotenv_path);
    for (const std::string& name : database_url_variables()) {
        const auto it = vars.find(name);
        if (visit(conninfo_source::dotenv, name, it == vars.end() ? nullptr : it->second.c_str())) return;
    }
}

} // namespace

resolved_conninfo resolve_conninfo(bool flag_given, const std::string& flag_value, const getenv_function& getenv,
                                   const std::string& dotenv_path) {
    if (flag_given) return {flag_value, conninfo_source::flag, ""};
    resolved_conninfo found;
    each_place(getenv, dotenv_path, [&](conninfo_source source, const std::string& name, const char* value) {
        if (value == nullptr) return false;
        found = {value, source, name};
        return true;
    });
    return found;
}

std::vector<std::string> connection_strings(const getenv_function& getenv, const std::string& dotenv_path) {
    std::vector<std::string> out;
    each_place(getenv, dotenv_path, [&](conninfo_source, const std::string&, const char* value) {
        if (value != nullptr && *value != '\0') out.emplace_back(value);
        return false;
    });
    return out;
}

const std::string& require_conninfo(const resolved_conninfo& r) {
    if (r.source == conninfo_source::none)
        throw error(error_code::usage,
                    "no database given: pass --db URL, or set DB_URL (or DATABASE_URL) in the environment or in "
                    "./.env (e.g. DB_URL=postgresql://user@localhost/app)");
    if (trim(r.conninfo, is_space).empty())
        throw error(error_code::usage, "no database given: " + describe(r) +
                                           " is empty; set DB_URL or pass --db URL");
    return r.conninfo;
}

} // namespace pgmig::detail::cli
