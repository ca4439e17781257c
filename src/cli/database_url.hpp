// pgmig — where the admin CLI's connection string comes from: --db, then the
// environment's DB_URL, then its DATABASE_URL (the convention of dbmate, sqlx,
// Prisma, Rails, Heroku), then DB_URL and DATABASE_URL in ./.env. The first
// place that names one decides; an empty one there is a usage error, never a
// fallback to the next place or a connection attempt to nothing.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail::cli {

/// KEY=VALUE lines; `#` comments (whole lines, and after an unquoted value
/// preceded by whitespace); optional single or double quotes; an `export `
/// prefix is tolerated. Later keys win. Lines that are not assignments are skipped.
std::map<std::string, std::string> parse_dotenv(std::string_view text);

/// The variables read, in order (DB_URL before DATABASE_URL).
const std::vector<std::string>& database_url_variables();

/// Where the connection string came from.
enum class conninfo_source { none, flag, environment, dotenv };

struct resolved_conninfo {
    std::string conninfo;                        ///< as found (may be blank: see require_conninfo)
    conninfo_source source = conninfo_source::none;
    std::string variable;                        ///< DB_URL or DATABASE_URL (environment, dotenv)
};

/// "--db", "DB_URL", "DATABASE_URL in ./.env", "none".
std::string describe(const resolved_conninfo& r);

/// Reads an environment variable: nullptr when it is not set.
using getenv_function = std::function<const char*(const char* name)>;

/// The first of: --db when given (`flag_given`), each of
/// database_url_variables() that `getenv` has, each of them in the file
/// `dotenv_path` when it exists. Nothing found: source none.
resolved_conninfo resolve_conninfo(bool flag_given, const std::string& flag_value, const getenv_function& getenv,
                                   const std::string& dotenv_path);

/// Every connection string any of those places holds (to mask their passwords
/// in everything printed, whichever one is used).
std::vector<std::string> connection_strings(const getenv_function& getenv, const std::string& dotenv_path);

/// The connection string of `r`; throws error(usage) when there is none or it is blank.
const std::string& require_conninfo(const resolved_conninfo& r);

} // namespace pgmig::detail::cli
