// pgmig — the migration file-name convention, in one place: reading a name
// (the parser, the set), and making one (`pgmig new`).
//
//   YYYYMMDD_HHMMSS_description.sql          one file, -- DIRECTION: up|down sections;
//                                            the version is the timestamp, YYYYMMDDHHMMSS
//   NNN_description.up.sql / .down.sql       paired files; the version is NNN (1 to 18
//                                            digits), or YYYYMMDDHHMMSS for a
//                                            YYYYMMDD_HHMMSS_ prefix
//
// Hand-written scanning (no std::regex): a service with a thousand migrations
// classifies them at every boot.
#pragma once

#include <pgmig/migration.hpp>

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail::core {

/// Longest version: 18 digits always fit a signed 64-bit integer.
constexpr std::size_t max_version_digits = 18;
/// Width of the first sequence version in a directory without migrations ("000001").
constexpr std::size_t default_version_digits = 6;

enum class name_kind { not_migration, single, paired_up, paired_down, invalid };
enum class name_problem { none, no_convention, no_description, version_too_long };

/// What a file name says. Views point into the name given to classify_name().
struct name_info {
    name_kind kind = name_kind::not_migration;
    name_problem problem = name_problem::none; ///< why it is invalid
    std::int64_t version = 0;
    std::string_view description;    ///< from the file name
    std::string_view stem;           ///< base name without .sql / .up.sql / .down.sql
    std::size_t version_digits = 0;  ///< width of the leading number ("0007_a.up.sql": 4)
    bool timestamp_version = false;  ///< the version is a YYYYMMDD_HHMMSS prefix

    /// single, paired_up or paired_down.
    bool is_migration() const noexcept {
        return kind == name_kind::single || kind == name_kind::paired_up || kind == name_kind::paired_down;
    }
};

/// The names the set looks at at all: visible (no leading '.') and ending in
/// .sql in any case. Others (README.md, .gitkeep, .#x.sql) are never read.
bool is_candidate_sql(std::string_view name) noexcept;

/// Classifies a base name (a directory part, '/' or '\\', is ignored).
/// A candidate (see is_candidate_sql) that follows neither convention is
/// `invalid`, with the problem set.
name_info classify_name(std::string_view name) noexcept;

/// The message for an invalid name: what is wrong and how to name the file.
std::string name_problem_text(const name_info& info);

// ------------------------------------------------------------------ new names

/// A description for a file name: ASCII letters and digits lower-cased, every
/// run of other characters one '_', none at either end.
/// "Add user-status!" → "add_user_status"; "" when nothing is left.
std::string sanitize_name(std::string_view description);

/// "YYYYMMDD_HHMMSS" of a UTC time.
std::string utc_stamp(std::time_t t);

/// The version YYYYMMDDHHMMSS of a UTC time (20240305060708).
std::int64_t timestamp_version(std::time_t t);

/// The UTC time of a YYYYMMDDHHMMSS version (years 1900 to 9999); nullopt when
/// the version is not such a timestamp.
std::optional<std::time_t> version_time(std::int64_t version);

/// What the migration files already in a directory say about the next one.
struct existing_migrations {
    std::int64_t newest_version = 0;  ///< highest version, 0 when there is none
    std::string newest_file;          ///< a file of that version (a paired one on a tie); "" when none
    migration_format format = migration_format::single_file; ///< newest_file's convention
    bool timestamp_versions = false;  ///< newest_file's version is a YYYYMMDD_HHMMSS timestamp
    std::size_t version_digits = default_version_digits; ///< width of newest_file's version
};

/// Surveys the file names of a directory; names that are not migrations are ignored.
existing_migrations survey(const std::vector<std::string>& names);

/// The version of a new migration. Timestamp versions: the UTC time `now`, or
/// one second after `newest` when `now` is not later (two migrations in one
/// second, a clock behind); nullopt when that is needed and `newest` is not a
/// timestamp. Sequence versions: newest + 1.
std::optional<std::int64_t> next_version(bool timestamp_versions, std::int64_t newest, std::time_t now);

/// The file names of a new migration, the up file first:
/// "<version>_<description>.sql", or "<version>_<description>.up.sql" and
/// "….down.sql". The version is written YYYYMMDD_HHMMSS for timestamp
/// versions, else zero-padded to `digits`.
std::vector<std::string> new_file_names(migration_format format, bool timestamp_versions, std::size_t digits,
                                        std::int64_t version, std::string_view description);

} // namespace pgmig::detail::core
