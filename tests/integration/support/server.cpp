#include "support/server.hpp"

#include <atomic>
#include <chrono>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

#ifndef PGMIG_TEST_STATE_DIR
#error "PGMIG_TEST_STATE_DIR must be defined (tests/integration/CMakeLists.txt)"
#endif

namespace pgmig_test {

using pgmig::detail::engine::connection_error;
using pgmig::detail::engine::db_error;
using pgmig::detail::engine::quote_ident;
using pgmig::detail::engine::quote_literal;

namespace {

// ------------------------------------------------------------------ text helpers

bool starts_with(const std::string& s, const char* prefix) {
    return s.rfind(prefix, 0) == 0;
}

bool is_url(const std::string& s) {
    return starts_with(s, "postgresql://") || starts_with(s, "postgres://");
}

std::string trim(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    std::size_t b = 0;
    while (b < s.size() && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    return s.substr(b);
}

std::string percent_encode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

std::string kv_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

// ------------------------------------------------------------------ URL form

struct url_parts {
    std::string scheme;    // "postgresql://"
    std::string userinfo;  // "user:password" (raw, still percent-encoded), without '@'
    bool has_userinfo = false;
    std::string hosts;     // "host:port[,host:port]"
    bool has_path = false;
    std::string path;      // without the leading '/' (raw)
    bool has_query = false;
    std::string query;     // without '?' (raw)
};

url_parts split_url(const std::string& url) {
    url_parts p;
    const std::size_t start = url.find("://") + 3;
    p.scheme = url.substr(0, start);
    // libpq: user info ends at the first '@' seen before any '/'.
    std::size_t host_start = start;
    for (std::size_t i = start; i < url.size() && url[i] != '/'; ++i) {
        if (url[i] == '@') {
            p.has_userinfo = true;
            p.userinfo = url.substr(start, i - start);
            host_start = i + 1;
            break;
        }
    }
    std::size_t host_end = url.find_first_of("/?", host_start);
    if (host_end == std::string::npos) host_end = url.size();
    p.hosts = url.substr(host_start, host_end - host_start);
    std::size_t pos = host_end;
    if (pos < url.size() && url[pos] == '/') {
        p.has_path = true;
        std::size_t q = url.find('?', pos);
        if (q == std::string::npos) q = url.size();
        p.path = url.substr(pos + 1, q - pos - 1);
        pos = q;
    }
    if (pos < url.size() && url[pos] == '?') {
        p.has_query = true;
        p.query = url.substr(pos + 1);
    }
    return p;
}

std::string join_url(const url_parts& p) {
    std::string out = p.scheme;
    if (p.has_userinfo) out += p.userinfo + "@";
    out += p.hosts;
    if (p.has_path) out += "/" + p.path;
    if (p.has_query) out += "?" + p.query;
    return out;
}

// Split a URL query into raw "key=value" items.
std::vector<std::string> split_query(const std::string& query) {
    std::vector<std::string> items;
    std::size_t b = 0;
    while (b <= query.size()) {
        std::size_t e = query.find('&', b);
        if (e == std::string::npos) e = query.size();
        items.push_back(query.substr(b, e - b));
        b = e + 1;
    }
    return items;
}

std::string join_query(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& it : items) {
        if (it.empty()) continue;
        if (!out.empty()) out += '&';
        out += it;
    }
    return out;
}

// Replace (or, when `add`, append) the query parameter `key`. Returns whether it was present.
bool set_query_param(url_parts& p, const std::string& key, const std::string& value, bool add) {
    auto items = split_query(p.has_query ? p.query : std::string());
    bool found = false;
    for (auto& it : items) {
        if (percent_decode(it.substr(0, it.find('='))) == key) {
            it = key + "=" + percent_encode(value);
            found = true;
        }
    }
    if (!found && add) items.push_back(key + "=" + percent_encode(value));
    std::string q = join_query(items);
    p.has_query = !q.empty();
    p.query = q;
    return found;
}

std::string get_query_param(const url_parts& p, const std::string& key) {
    if (!p.has_query) return {};
    for (const auto& it : split_query(p.query)) {
        const std::size_t eq = it.find('=');
        if (eq != std::string::npos && percent_decode(it.substr(0, eq)) == key)
            return percent_decode(it.substr(eq + 1));
    }
    return {};
}

// ------------------------------------------------------------------ key=value form

struct kv_item {
    std::string key;
    std::string value;        // unescaped
    std::size_t value_begin;  // raw span of the value in the conninfo (quotes included)
    std::size_t value_end;
};

std::vector<kv_item> parse_kv(const std::string& s) {
    std::vector<kv_item> out;
    std::size_t i = 0;
    auto skip_ws = [&] {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    };
    for (;;) {
        skip_ws();
        if (i >= s.size()) break;
        kv_item item;
        const std::size_t kb = i;
        while (i < s.size() && s[i] != '=' && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
        item.key = s.substr(kb, i - kb);
        skip_ws();
        if (i >= s.size() || s[i] != '=')
            throw std::invalid_argument("malformed conninfo: missing \"=\" after \"" + item.key + "\"");
        ++i;
        skip_ws();
        item.value_begin = i;
        if (i < s.size() && s[i] == '\'') {
            ++i;
            bool closed = false;
            while (i < s.size()) {
                if (s[i] == '\\' && i + 1 < s.size()) {
                    item.value += s[i + 1];
                    i += 2;
                } else if (s[i] == '\'') {
                    ++i;
                    closed = true;
                    break;
                } else {
                    item.value += s[i++];
                }
            }
            if (!closed) throw std::invalid_argument("malformed conninfo: unterminated quoted string");
        } else {
            while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) {
                if (s[i] == '\\' && i + 1 < s.size()) {
                    item.value += s[i + 1];
                    i += 2;
                } else {
                    item.value += s[i++];
                }
            }
        }
        item.value_end = i;
        out.push_back(std::move(item));
    }
    return out;
}

std::string kv_set(const std::string& conninfo, const std::string& key, const std::string& value) {
    const auto items = parse_kv(conninfo);
    std::string out = conninfo;
    bool found = false;
    // Replace from the back so that earlier spans stay valid.
    for (auto it = items.rbegin(); it != items.rend(); ++it) {
        if (it->key == key) {
            out.replace(it->value_begin, it->value_end - it->value_begin, kv_quote(value));
            found = true;
        }
    }
    if (!found) {
        out = trim(out);
        if (!out.empty()) out += ' ';
        out += key + "=" + kv_quote(value);
    }
    return out;
}

std::string read_first_line(const std::string& path) {
    std::ifstream in(path);
    if (!in) return {};
    std::string line;
    std::getline(in, line);
    return trim(line);
}

std::string shorten(const std::string& sql) {
    constexpr std::size_t max = 400;
    return sql.size() <= max ? sql : sql.substr(0, max) + "…";
}

std::atomic<unsigned> database_counter{0};

std::string make_database_name(const std::string& hint) {
    const std::string prefix = "pgmig_t_";
    const std::string suffix = "_" + std::to_string(static_cast<long>(::getpid())) + "_" +
                               std::to_string(++database_counter);
    std::string clean;
    for (unsigned char c : hint) {
        if (std::isalnum(c))
            clean += static_cast<char>(std::tolower(c));
        else if (clean.empty() || clean.back() != '_')
            clean += '_';
    }
    while (!clean.empty() && clean.back() == '_') clean.pop_back();
    while (!clean.empty() && clean.front() == '_') clean.erase(0, 1);
    if (clean.empty()) clean = "db";
    const std::size_t room = 63 - prefix.size() - suffix.size();
    if (clean.size() > room) clean.resize(room);
    return prefix + clean + suffix;
}

// The filter for "user" schemas, given the namespace alias.
std::string user_schema(const std::string& n) {
    return "(" + n + ".nspname NOT IN ('pg_catalog', 'information_schema') AND " + n +
           ".nspname !~ '^pg_(toast|temp_|toast_temp_)')";
}

} // namespace

// ------------------------------------------------------------------ public functions

std::string server_url() {
    if (const char* env = std::getenv("PGMIG_TEST_DB_URL"); env && *env) return env;
    const std::string file = std::string(PGMIG_TEST_STATE_DIR) + "/url";
    std::string url = read_first_line(file);
    if (url.empty())
        throw std::runtime_error(
            "no test PostgreSQL server: PGMIG_TEST_DB_URL is not set and " + file +
            " does not exist. Run the tests through ctest (the pg_start fixture starts a "
            "throwaway cluster), or run `scripts/pgtest start " PGMIG_TEST_STATE_DIR
            "` first, or set PGMIG_TEST_DB_URL.");
    return url;
}

std::string pgbouncer_url(const std::string& mode, const std::string& dbname) {
    if (const char* env = std::getenv("PGMIG_TEST_DB_URL"); env && *env) return {};
    const std::string file = std::string(PGMIG_TEST_STATE_DIR) + "/pgbouncer_" + mode + "_url";
    const std::string url = read_first_line(file);
    if (url.empty())
        throw std::runtime_error("no test PgBouncer: " + file +
                                 " does not exist. Run the tests through ctest (the pgbouncer_start fixture), or run "
                                 "`scripts/pgtest pgbouncer-start " PGMIG_TEST_STATE_DIR "` first.");
    return url_for_database(url, dbname);
}

namespace {
std::string pgtest_script() { return std::string(PGMIG_SOURCE_DIR) + "/scripts/pgtest"; }

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}
} // namespace

own_cluster::own_cluster(const std::string& extra_conf) {
    char tmpl[] = "/tmp/pgmig-owncluster.XXXXXX";
    const char* dir = ::mkdtemp(tmpl);
    if (dir == nullptr) throw std::runtime_error("mkdtemp failed");
    state_ = std::string(dir) + "/state";
    const std::string cmd = "PGMIG_PG_EXTRA_CONF=" + shell_quote(extra_conf) + " bash " +
                            shell_quote(pgtest_script()) + " start " + shell_quote(state_) + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("scripts/pgtest start " + state_ + " failed");
    url_ = read_first_line(state_ + "/url");
}

own_cluster::~own_cluster() {
    const std::string cmd = "bash " + shell_quote(pgtest_script()) + " stop " + shell_quote(state_) + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) std::cerr << "pgmig_test: stopping " << state_ << " failed\n";
    ::rmdir(state_.substr(0, state_.rfind('/')).c_str());
}

void own_cluster::restart(const std::string& mode) {
    const std::string cmd =
        "bash " + shell_quote(pgtest_script()) + " restart " + shell_quote(state_) + " " + mode + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("scripts/pgtest restart " + mode + " failed");
}

std::string url_for_database(const std::string& server, const std::string& dbname) {
    if (is_url(server)) {
        url_parts p = split_url(server);
        p.has_path = true;
        p.path = percent_encode(dbname);
        set_query_param(p, "dbname", dbname, /*add=*/false);
        return join_url(p);
    }
    return kv_set(server, "dbname", dbname);
}

std::string url_with_password(const std::string& url, const std::string& password) {
    if (is_url(url)) {
        url_parts p = split_url(url);
        if (set_query_param(p, "password", password, /*add=*/false)) return join_url(p);
        const std::string user =
            p.has_userinfo ? p.userinfo.substr(0, p.userinfo.find(':')) : std::string();
        p.has_userinfo = true;
        p.userinfo = user + ":" + percent_encode(password);
        return join_url(p);
    }
    return kv_set(url, "password", password);
}

std::string password_of(const std::string& url) {
    if (is_url(url)) {
        const url_parts p = split_url(url);
        std::string from_query = get_query_param(p, "password");
        if (!from_query.empty()) return from_query;
        if (p.has_userinfo) {
            const std::size_t colon = p.userinfo.find(':');
            if (colon != std::string::npos) return percent_decode(p.userinfo.substr(colon + 1));
        }
        return {};
    }
    std::string pw;
    for (const auto& item : parse_kv(url))
        if (item.key == "password") pw = item.value;
    return pw;
}

std::unique_ptr<db_connection> connect(const std::string& conninfo,
                                       const std::string& application_name) {
    return db_connection::open(conninfo, application_name);
}

pgmig::migration_set make_set(std::vector<std::pair<std::string, std::string>> files) {
    std::vector<pgmig::source_file> sources;
    sources.reserve(files.size());
    for (auto& f : files) sources.push_back(pgmig::source_file{std::move(f.first), std::move(f.second)});
    return pgmig::migration_set::from_files(std::move(sources));
}

// ------------------------------------------------------------------ scratch_database

scratch_database::scratch_database(std::string hint) : name_(make_database_name(hint)) {
    const std::string server = server_url();
    url_ = url_for_database(server, name_);
    auto admin = pgmig_test::connect(server, "pgmig_test_admin");
    const std::string create = "CREATE DATABASE " + quote_ident(name_) +
                               " TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'";
    try {
        admin->exec(create);
    } catch (const db_error& e) {
        if (e.sqlstate != "42P04") // duplicate_database: a leftover of an earlier run with our pid
            throw db_error("cannot create scratch database " + name_ + ": " + e.what(), e.sqlstate,
                           e.primary, e.line);
        admin->exec("DROP DATABASE IF EXISTS " + quote_ident(name_) + " WITH (FORCE)");
        admin->exec(create);
    }
}

scratch_database::~scratch_database() {
    conn_.reset();
    if (const char* keep = std::getenv("PGMIG_TEST_KEEP_DATABASES"); keep && *keep && *keep != '0') {
        std::cerr << "pgmig_test: keeping database " << name_ << " (PGMIG_TEST_KEEP_DATABASES)\n";
        return;
    }
    try {
        auto admin = pgmig_test::connect(server_url(), "pgmig_test_admin");
        admin->exec("DROP DATABASE IF EXISTS " + quote_ident(name_) + " WITH (FORCE)");
    } catch (const std::exception& e) {
        std::cerr << "pgmig_test: warning: could not drop scratch database " << name_ << ": "
                  << e.what() << "\n";
    }
}

db_connection& scratch_database::session() {
    if (!conn_) conn_ = pgmig_test::connect(url_, "pgmig_test");
    return *conn_;
}

std::unique_ptr<db_connection> scratch_database::connect(const std::string& application_name) const {
    return pgmig_test::connect(url_, application_name);
}

db_result scratch_database::query(const std::string& sql) {
    try {
        return session().query(sql);
    } catch (const db_error& e) {
        throw db_error(std::string(e.what()) + "\n  (in database " + name_ + ", SQL: " + shorten(sql) + ")",
                       e.sqlstate, e.primary, e.line);
    } catch (const connection_error& e) {
        conn_.reset(); // reconnect on next use
        throw connection_error(std::string(e.what()) + " (database " + name_ + ", SQL: " + shorten(sql) + ")",
                               e.permanent);
    }
}

void scratch_database::exec(const std::string& sql) {
    (void)query(sql);
}

std::string scratch_database::scalar(const std::string& sql) {
    const db_result r = query(sql);
    if (r.columns.empty())
        throw std::runtime_error("scalar(): the statement returned no result set (database " + name_ +
                                 ", SQL: " + shorten(sql) + ")");
    if (r.empty()) return {};
    return r.text(0, 0);
}

bool scratch_database::table_exists(const std::string& schema, const std::string& table) {
    return scalar("SELECT count(*) FROM pg_catalog.pg_class c "
                  "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                  "WHERE c.relkind IN ('r', 'p') AND n.nspname = " + quote_literal(schema) +
                  " AND c.relname = " + quote_literal(table)) != "0";
}

std::string scratch_database::catalog_fingerprint() {
    const std::string ns = user_schema("n");
    // Each query yields one text column; lines are sorted bytewise.
    const std::vector<std::pair<const char*, std::string>> sections = {
        {"schemas",
         "SELECT 'schema ' || n.nspname FROM pg_catalog.pg_namespace n WHERE " + ns},
        {"extensions",
         "SELECT 'extension ' || e.extname || ' ' || e.extversion || ' in ' || n.nspname "
         "FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace"},
        {"relations",
         "SELECT 'relation ' || n.nspname || '.' || c.relname || ' kind=' || c.relkind::text"
         " || ' persistence=' || c.relpersistence::text"
         " || CASE WHEN c.relispartition THEN ' partition ' || coalesce(pg_catalog.pg_get_expr(c.relpartbound, c.oid), '') ELSE '' END"
         " || CASE WHEN c.relrowsecurity THEN ' rls' ELSE '' END"
         " || coalesce(' options=' || array_to_string(c.reloptions, ','), '') "
         "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
         "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c') AND " + ns},
        {"columns",
         "SELECT 'column ' || n.nspname || '.' || c.relname || ' #'"
         " || row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) || ' ' || a.attname"
         " || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)"
         " || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END"
         " || coalesce(' default ' || pg_catalog.pg_get_expr(d.adbin, d.adrelid), '')"
         " || CASE WHEN a.attidentity <> '' THEN ' identity=' || a.attidentity::text ELSE '' END"
         " || CASE WHEN a.attgenerated <> '' THEN ' generated=' || a.attgenerated::text ELSE '' END "
         "FROM pg_catalog.pg_attribute a "
         "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
         "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
         "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
         "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c') AND " + ns},
        {"indexes",
         "SELECT 'index ' || pg_catalog.pg_get_indexdef(i.indexrelid)"
         " || CASE WHEN i.indisprimary THEN ' primary' ELSE '' END"
         " || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END "
         "FROM pg_catalog.pg_index i "
         "JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid "
         "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE " + ns},
        {"constraints",
         "SELECT 'constraint ' || n.nspname || '.' || coalesce(c.relname, t.typname, '-') || ' '"
         " || con.conname || ' ' || pg_catalog.pg_get_constraintdef(con.oid) "
         "FROM pg_catalog.pg_constraint con "
         "JOIN pg_catalog.pg_namespace n ON n.oid = con.connamespace "
         "LEFT JOIN pg_catalog.pg_class c ON c.oid = con.conrelid "
         "LEFT JOIN pg_catalog.pg_type t ON t.oid = con.contypid WHERE " + ns},
        {"views",
         "SELECT 'view ' || n.nspname || '.' || c.relname || ' ' || pg_catalog.pg_get_viewdef(c.oid, true) "
         "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
         "WHERE c.relkind IN ('v', 'm') AND " + ns},
        {"sequences",
         "SELECT 'sequence ' || n.nspname || '.' || c.relname || ' ' || s.seqtypid::regtype::text"
         " || ' start=' || s.seqstart || ' increment=' || s.seqincrement || ' min=' || s.seqmin"
         " || ' max=' || s.seqmax || ' cache=' || s.seqcache || ' cycle=' || s.seqcycle "
         "FROM pg_catalog.pg_sequence s JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid "
         "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE " + ns},
        {"functions",
         "SELECT 'function ' || n.nspname || '.' || p.proname || '('"
         " || pg_catalog.pg_get_function_identity_arguments(p.oid) || ') kind=' || p.prokind::text"
         " || ' returns ' || coalesce(pg_catalog.pg_get_function_result(p.oid), '-')"
         " || ' language=' || l.lanname || ' body=' || md5(coalesce(p.prosrc, '')) "
         "FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
         "JOIN pg_catalog.pg_language l ON l.oid = p.prolang WHERE " + ns},
        {"triggers",
         "SELECT 'trigger ' || pg_catalog.pg_get_triggerdef(tg.oid, true) || ' enabled=' || tg.tgenabled::text "
         "FROM pg_catalog.pg_trigger tg JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid "
         "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE NOT tg.tgisinternal AND " + ns},
        {"types",
         "SELECT 'enum ' || n.nspname || '.' || t.typname || ' ('"
         " || string_agg(e.enumlabel::text, ', ' ORDER BY e.enumsortorder) || ')' "
         "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
         "JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid WHERE " + ns + " GROUP BY n.nspname, t.typname "
         "UNION ALL "
         "SELECT 'domain ' || n.nspname || '.' || t.typname || ' ' || pg_catalog.format_type(t.typbasetype, t.typtypmod)"
         " || CASE WHEN t.typnotnull THEN ' not null' ELSE '' END || coalesce(' default ' || t.typdefault, '') "
         "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
         "WHERE t.typtype = 'd' AND " + ns},
    };
    std::ostringstream out;
    for (const auto& [title, sql] : sections) {
        const db_result r =
            query("SELECT line FROM (" + sql + ") AS s(line) ORDER BY line COLLATE \"C\"");
        out << "[" << title << "]\n";
        for (std::size_t i = 0; i < r.size(); ++i) out << r.text(i, 0) << "\n";
    }
    return out.str();
}

pgmig::options quiet_options(std::vector<std::string>* lines) {
    pgmig::options o;
    o.log = [lines](pgmig::log_level, const std::string& s) {
        if (lines) lines->push_back(s);
    };
    o.connect_timeout = std::chrono::seconds(5);
    return o;
}

void no_advisory_lock_left(scratch_database& db) {
    const std::string q = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                          "(SELECT oid FROM pg_database WHERE datname = current_database())";
    wait_until([&] { return db.scalar(q) == "0"; }, "no advisory lock is left in " + db.name());
}

} // namespace pgmig_test
