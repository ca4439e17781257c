// pgmig — `new` (aliases `generate`, `create`; the standalone `pgmig` only):
// create the next migration file(s) following the directory's convention.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

namespace pgmig::detail::cli {

struct command_env;

enum class new_format { timestamp, paired };
const char* to_string(new_format f) noexcept;

struct new_request {
    std::string directory;
    std::string name;                  ///< as given; sanitised by create_migration (names.hpp)
    std::optional<new_format> format;  ///< --format; required to match a non-empty directory
    std::time_t now = 0;               ///< UTC time for timestamp versions
};

struct new_result {
    std::string directory;             ///< as requested
    new_format format = new_format::timestamp;
    std::int64_t version = 0;
    std::string name;                  ///< sanitised
    std::vector<std::string> paths;    ///< created files (up first)
    bool created_directory = false;
};

/// Creates the next migration file(s) following the directory's convention
/// (creating the directory when missing). Never overwrites. Throws error(usage)
/// for a bad name or a --format that contradicts the directory,
/// error(invalid_migration) when the directory cannot be read or written.
new_result create_migration(const new_request& request);

int run_new(command_env& env, std::optional<new_result>& out);

} // namespace pgmig::detail::cli
