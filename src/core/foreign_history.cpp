// Other tools' history tables and import's pure logic (see foreign_history.hpp).
#include "core/foreign_history.hpp"
#include "core/admin_command.hpp"
#include "core/checksum.hpp"
#include "core/text.hpp"

#include <pgmig/error.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <map>
#include <set>

namespace pgmig::detail::core {

// ------------------------------------------------------------------ the tools

const std::vector<foreign_tool_info>& foreign_tools() {
    using fc = foreign_checksum;
    // Shapes as each tool creates its table on PostgreSQL (docs/cli.md, "import", cites the sources).
    static const std::vector<foreign_tool_info> tools = {
        {foreign_tool::golang_migrate, "golang-migrate", "public", "schema_migrations", "golang-migrate's",
         {{"version", "bigint"}, {"dirty", "boolean"}}, fc::none, false, true},
        {foreign_tool::goose, "goose", "public", "goose_db_version", "goose's",
         {{"id", "integer"}, {"version_id", "bigint"}, {"is_applied", "boolean"}}, fc::none},
        {foreign_tool::dbmate, "dbmate", "public", "schema_migrations", "a Rails or dbmate",
         {{"version", "character varying"}}, fc::none},
        {foreign_tool::sqlx, "sqlx", "public", "_sqlx_migrations", "sqlx's",
         {{"version", "bigint"}, {"description", "text"}, {"success", "boolean"}, {"checksum", "bytea"}}, fc::sha384},
        {foreign_tool::flyway, "flyway", "public", "flyway_schema_history", "Flyway's",
         {{"installed_rank", "integer"},
          {"version", "character varying"},
          {"description", "character varying"},
          {"type", "character varying"},
          {"checksum", "integer"},
          {"success", "boolean"}},
         fc::crc32_lines},
        {foreign_tool::sqitch, "sqitch", "sqitch", "changes", "sqitch's",
         {{"change_id", "text"}, {"change", "text"}, {"project", "text"}, {"script_hash", "text"}}, fc::sha1, true},
    };
    return tools;
}

const foreign_tool_info* find_foreign_tool(std::string_view name) {
    const std::string n = lower(trim(name));
    for (const foreign_tool_info& t : foreign_tools())
        if (n == t.name) return &t;
    if (n == "migrate" || n == "golang_migrate") return &foreign_tools().front();
    return nullptr;
}

std::string foreign_tool_names() {
    std::string out;
    for (const foreign_tool_info& t : foreign_tools()) out += (out.empty() ? "" : ", ") + std::string(t.name);
    return out;
}

bool has_shape_of(const foreign_tool_info& tool, const std::vector<std::pair<std::string, std::string>>& columns) {
    return std::all_of(tool.columns.begin(), tool.columns.end(), [&](const auto& want) {
        return std::any_of(columns.begin(), columns.end(), [&](const auto& have) {
            return have.first == want.first && have.second.rfind(want.second, 0) == 0;
        });
    });
}

const foreign_tool_info* recognise_foreign_table(const std::vector<std::pair<std::string, std::string>>& columns) {
    const auto has = [&](const char* name) {
        return std::any_of(columns.begin(), columns.end(), [&](const auto& c) { return c.first == name; });
    };
    for (const foreign_tool_info& t : foreign_tools()) {
        if (!has_shape_of(t, columns)) continue;
        // dbmate's one column is also part of other shapes: only a table without theirs is dbmate's.
        if (t.tool == foreign_tool::dbmate && (has("installed_rank") || has("dirty"))) continue;
        return &t;
    }
    return nullptr;
}

std::string foreign_select_sql(const foreign_tool_info& tool, const std::string& t) {
    switch (tool.tool) {
    case foreign_tool::golang_migrate:
        return "SELECT 0, version::text, '', '', CASE WHEN dirty THEN 'dirty' ELSE 'applied' END, '', '' FROM " + t;
    case foreign_tool::goose:
        return "SELECT id::bigint, version_id::text, '', coalesce(tstamp::text, ''), "
               "CASE WHEN is_applied THEN 'applied' ELSE 'rolled_back' END, '', '' FROM " + t + " ORDER BY 1";
    case foreign_tool::dbmate:
        return "SELECT 0, version::text, '', '', 'applied', '', '' FROM " + t + " ORDER BY 2";
    case foreign_tool::sqlx:
        return "SELECT version, version::text, description, installed_on::text, "
               "CASE WHEN success THEN 'applied' ELSE 'failed' END, encode(checksum, 'hex'), '' FROM " + t +
               " ORDER BY 1";
    case foreign_tool::flyway:
        return "SELECT installed_rank::bigint, coalesce(version, ''), description, coalesce(installed_on::text, ''), "
               "CASE WHEN NOT success THEN 'failed' WHEN type LIKE 'UNDO%' THEN 'rolled_back' "
               "WHEN type = 'DELETE' THEN 'deleted' ELSE 'applied' END, coalesce(checksum::text, ''), type FROM " + t +
               " ORDER BY 1";
    case foreign_tool::sqitch:
        return "SELECT row_number() OVER (ORDER BY committed_at, change_id), change, change_id, committed_at::text, "
               "'applied', coalesce(script_hash, ''), project FROM " + t + " ORDER BY 1";
    }
    return {};
}

// ------------------------------------------------------------------ checksums

std::int32_t flyway_crc32(std::string_view text) {
    // java.io.BufferedReader.readLine() ends a line at \n, \r or \r\n and drops the break;
    // Flyway feeds each line's bytes (the first one without a UTF-8 BOM) to one CRC32.
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::uint32_t crc = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size() && text[i] != '\n' && text[i] != '\r') continue;
        crc = crc32(text.substr(start, i - start), crc);
        start = i + 1;
    }
    return static_cast<std::int32_t>(crc);
}

std::string foreign_checksum_of(const foreign_tool_info& tool, const migration& m) {
    // Only a paired file's .up.sql is, whole, the file the tool read. pgmig holds
    // it with LF line breaks and no BOM: a file the tool read with CRLF hashes
    // differently (Flyway's line-based CRC32 does not care).
    if (m.format != migration_format::paired_files) return {};
    switch (tool.checksum) {
    case foreign_checksum::none: return {};
    case foreign_checksum::sha384: return hex_digest(digest_algorithm::sha384, m.up_sql);
    case foreign_checksum::sha1: return hex_digest(digest_algorithm::sha1, m.up_sql);
    case foreign_checksum::crc32_lines: return std::to_string(flyway_crc32(m.up_sql));
    }
    return {};
}

const char* to_string(checksum_verdict v) noexcept {
    switch (v) {
    case checksum_verdict::matches: return "matches";
    case checksum_verdict::differs: return "differs";
    case checksum_verdict::not_recorded: return "not_recorded";
    case checksum_verdict::not_comparable: return "not_comparable";
    }
    return "not_recorded";
}

// ------------------------------------------------------------------ import

namespace {

/// A version as a tool spells it ("00003", "20240101120000"): digits only, within int64.
std::optional<std::int64_t> integer_version(const std::string& s) {
    if (s.empty() || s.size() > 19 || !all_digits(s)) return std::nullopt;
    errno = 0;
    const long long v = std::strtoll(s.c_str(), nullptr, 10);
    if (errno == ERANGE) return std::nullopt;
    return static_cast<std::int64_t>(v);
}

std::string list_of(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& i : items) out += "\n  - " + i;
    return out;
}

[[noreturn]] void refuse(error_code code, const std::string& head, const std::vector<std::string>& items,
                         const std::string& fix) {
    throw error(code, head + ":" + list_of(items) + "\n" + fix + " Nothing was written; " +
                          "the other tool's table is never changed.");
}

/// A row that maps to a migration of the set.
struct mapped {
    const migration* m = nullptr;
    const foreign_row* row = nullptr;
};

} // namespace

std::string import_table_conflict(const import_request& req, const options& opts) {
    if (req.table.schema != opts.history_table.schema || req.table.table != opts.history_table.table) return {};
    return std::string(req.tool->name) + "'s history is " + req.table.qualified() +
           ", the table pgmig's history is configured to be: pgmig never writes to another tool's table. Keep "
           "pgmig's history in a table of its own, e.g. --history-table " + opts.history_table.schema +
           ".pgmig_migrations (and the same options.history_table in the service), or point import at the "
           "tool's table with --from-table schema.table; nothing was changed";
}

import_plan plan_import(const db_state& s, const migration_set& set, const options& opts, const import_request& req,
                        const std::vector<foreign_row>& rows) {
    const foreign_tool_info& tool = *req.tool;
    const std::string who = tool.name;
    const std::string where = req.table.qualified();
    if (s.table_exists && !s.rows.empty())
        throw error(error_code::policy,
                    opts.history_table.qualified() + " already has " + std::to_string(s.rows.size()) +
                        (s.rows.size() == 1 ? " row" : " rows") +
                        "; import is for a database pgmig has not migrated yet. Nothing was written. See " +
                        command_hint(opts.admin_command, "status") + "; to set the recorded state deliberately use " +
                        command_hint(opts.admin_command, "force V") + ".");

    import_plan plan;
    plan.report.tool = who;
    plan.report.table = req.table;
    plan.report.rows = rows.size();
    plan.book.command = "import";
    plan.book.create_history_table = !s.table_exists;

    // The latest row of each version (goose and Flyway append a row per apply and rollback).
    std::vector<const foreign_row*> latest;
    {
        std::map<std::string, std::size_t> at;
        for (const foreign_row& r : rows) {
            std::string key = r.key;
            if (key.empty()) key = "\x01" + std::to_string(latest.size()); // no version (Flyway's markers): each its own
            else if (!tool.by_name) // "00003" and "3" are one version
                if (const auto v = integer_version(r.key)) key = std::to_string(*v);
            const auto [it, fresh] = at.emplace(key, latest.size());
            if (fresh) latest.push_back(&r);
            else latest[it->second] = &r;
        }
    }

    std::vector<std::string> failed, rolled_back, unmapped, unknown;
    std::vector<mapped> found;
    std::optional<std::int64_t> newest_implied; // golang-migrate's version; a Flyway baseline
    std::set<std::string> projects;
    for (const foreign_row* r : latest) {
        const std::string at = r->applied_at.empty() ? "" : " (" + r->applied_at + ")";
        if (tool.tool == foreign_tool::flyway && r->key.empty()) { // the schema marker, a repeatable migration
            plan.report.skipped.push_back(r->kind == "SCHEMA"
                                              ? "installed_rank " + std::to_string(r->order) +
                                                    ": Flyway's schema marker (" + r->name + ")"
                                              : "repeatable migration \"" + r->name +
                                                    "\": pgmig has no repeatable migrations, so it is not imported");
            continue;
        }
        if (tool.tool == foreign_tool::goose && r->key == "0" && r->state == "applied") {
            plan.report.skipped.push_back("version_id 0: the row goose writes when it creates its table");
            continue;
        }
        if (r->state == "dirty") {
            failed.push_back("version " + r->key + " is dirty (dirty = true): its migration failed part-way");
            continue;
        }
        if (r->state == "failed") {
            failed.push_back("version " + r->key + (r->name.empty() ? "" : " " + r->name) + at +
                             " failed (success = false)");
            continue;
        }
        if (r->state == "rolled_back") {
            rolled_back.push_back("version " + r->key + at + ": its latest row records a rollback" +
                                  (tool.tool == foreign_tool::goose ? " (is_applied = false)" : " (" + r->kind + ")"));
            continue;
        }
        if (r->state == "deleted") continue; // Flyway's repair marked the version deleted: not applied
        if (tool.by_name) {
            projects.insert(r->kind);
            const migration* hit = nullptr;
            int hits = 0;
            for (const migration& m : set)
                if (m.name == r->key) {
                    hit = &m;
                    ++hits;
                }
            if (hits == 1) found.push_back({hit, r});
            else if (hits == 0)
                unknown.push_back("change " + r->key + at + ": no migration is named " + r->key);
            else
                unknown.push_back("change " + r->key + ": " + std::to_string(hits) + " migrations are named " + r->key);
            continue;
        }
        const std::optional<std::int64_t> v = integer_version(r->key);
        if (!v) {
            unmapped.push_back("version " + r->key + (r->name.empty() ? "" : " " + r->name) +
                               ": not an integer (pgmig's versions are the integer prefix of the file name)");
            continue;
        }
        if (tool.newest_only || r->kind == "BASELINE") {
            newest_implied = std::max(newest_implied.value_or(*v), *v);
            if (r->kind == "BASELINE") continue; // a baseline is no migration of its own
        }
        const migration* m = set.find(*v);
        if (m == nullptr) {
            unknown.push_back("version " + r->key + (r->name.empty() ? "" : " " + r->name) + at +
                              ": no migration file has version " + std::to_string(*v));
            continue;
        }
        found.push_back({m, r});
    }

    if (tool.newest_only && rows.size() > 1)
        throw error(error_code::policy, where + " has " + std::to_string(rows.size()) +
                                            " rows; golang-migrate keeps exactly one (the current version). "
                                            "Nothing was written; the other tool's table is never changed.");
    if (!failed.empty())
        refuse(error_code::failed_recorded, who + " records a migration that did not complete in " + where, failed,
               "The database may be half-changed. Finish or undo that migration by hand, then make " + who +
                   "'s record clean" +
                   (tool.tool == foreign_tool::golang_migrate ? " (migrate force V)"
                    : tool.tool == foreign_tool::flyway       ? " (flyway repair)"
                                                              : " (delete the failed row)") +
                   ", and import again.");
    if (!rolled_back.empty())
        refuse(error_code::policy, who + " records migrations as rolled back in " + where, rolled_back,
               "pgmig imports applied migrations only, and a version rolled back below newer applied ones is a gap "
               "it cannot record. Bring " + who + "'s history to a clean state first (apply them again with " + who +
                   ", or roll back the newer ones too), then import.");
    if (projects.size() > 1) {
        std::vector<std::string> names(projects.begin(), projects.end());
        refuse(error_code::policy, where + " holds changes of " + std::to_string(names.size()) + " sqitch projects",
               names, "pgmig imports one project into one history; import from a registry of one project.");
    }
    std::vector<std::string> bad = unmapped;
    bad.insert(bad.end(), unknown.begin(), unknown.end());
    if (!bad.empty())
        refuse(error_code::policy, who + "'s history does not match the migration files", bad,
               "Every migration " + who + " applied needs its file, with the same version" +
                   (tool.by_name ? std::string(" (a sqitch change maps to the migration named after it)") : "") +
                   ". Add the missing files (their SQL as it was applied), or rename the files to the versions " +
                   who + " recorded.");

    // What is recorded: the rows found, and (golang-migrate, a Flyway baseline) every version below the newest.
    std::map<std::int64_t, imported_version> out;
    for (const mapped& f : found) {
        imported_version& iv = out[f.m->version];
        iv.version = f.m->version;
        iv.name = f.m->name;
        iv.file = f.m->file;
        iv.recorded = f.row->key;
        iv.applied_at = f.row->applied_at;
        iv.recorded_checksum = f.row->checksum;
        if (tool.checksum == foreign_checksum::none || f.row->checksum.empty()) {
            iv.checksum = checksum_verdict::not_recorded;
        } else {
            iv.file_checksum = foreign_checksum_of(tool, *f.m);
            iv.checksum = iv.file_checksum.empty()                     ? checksum_verdict::not_comparable
                          : iequals(iv.file_checksum, iv.recorded_checksum) ? checksum_verdict::matches
                                                                       : checksum_verdict::differs;
        }
    }
    if (newest_implied)
        for (const migration& m : set) {
            if (m.version > *newest_implied) break;
            if (out.count(m.version)) continue;
            imported_version& iv = out[m.version];
            iv.version = m.version;
            iv.name = m.name;
            iv.file = m.file;
            iv.implied = true;
        }

    std::vector<std::string> differs;
    for (const auto& [v, iv] : out)
        if (iv.checksum == checksum_verdict::differs)
            differs.push_back(std::to_string(v) + " " + iv.name + " (" + iv.file + "): " + who + " recorded " +
                              iv.recorded_checksum + ", the file's is " + iv.file_checksum);
    if (!differs.empty() && !req.accept_checksums)
        refuse(error_code::drift, "migration files changed since " + who + " applied them", differs,
               "Restore the files as they were applied, or, if the database has what the files say now, import "
               "anyway with --accept-checksums (pgmig records the files' checksums).");

    for (const auto& [v, iv] : out) {
        const migration& m = *set.find(v);
        mark_applied(plan.book, m);
        std::string how = iv.implied ? "older than " + who + "'s version " + std::to_string(*newest_implied)
                                     : who + " " + (tool.by_name ? "change " : "version ") + iv.recorded +
                                           (iv.applied_at.empty() ? "" : ", applied " + iv.applied_at);
        if (iv.checksum == checksum_verdict::matches) how += ", checksum matches";
        if (iv.checksum == checksum_verdict::differs) how += ", checksum differs (accepted)";
        plan.book.changes.back().detail = "record " + std::to_string(v) + " " + m.name + " as applied (" + how + ")";
        plan.report.versions.push_back(iv);
    }
    for (const migration& m : set)
        if (!out.count(m.version)) plan.report.pending.push_back(m.version);
    return plan;
}

} // namespace pgmig::detail::core
