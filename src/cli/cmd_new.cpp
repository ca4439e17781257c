// `new` (see cmd_new.hpp).
#include "cli/cmd_new.hpp"
#include "cli/environment.hpp"
#include "core/names.hpp"

#include <pgmig/error.hpp>
#include <pgmig/migration.hpp>

#include <filesystem>
#include <fstream>
#include <system_error>

namespace pgmig::detail::cli {

namespace fs = std::filesystem;

const char* to_string(new_format f) noexcept { return f == new_format::paired ? "paired" : "timestamp"; }

namespace {

using core::existing_migrations;
using core::new_file_names;
using core::next_version;
using core::sanitize_name;
using core::survey;

error usage(const std::string& msg) { return error(error_code::usage, msg); }

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
    r.directory = request.directory;
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

int run_new(command_env& env, std::optional<new_result>& out) {
    new_request req;
    req.directory = env.args.migrations_dir;
    for (std::size_t i = 0; i < env.args.name_words.size(); ++i) req.name += (i ? " " : "") + env.args.name_words[i];
    if (!env.args.format.empty()) req.format = env.args.format == "paired" ? new_format::paired : new_format::timestamp;
    req.now = std::time(nullptr);
    out = create_migration(req);
    return 0;
}

} // namespace pgmig::detail::cli
