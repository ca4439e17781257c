// A fresh temporary directory for a test (unit or integration), removed with
// everything in it when the test is done.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace pgmig_test {

struct temp_dir {
    std::filesystem::path path;
    temp_dir();
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    /// Writes `content` to `name` (relative to path; parent directories created).
    void write(const std::string& name, const std::string& content) const;
    std::string read(const std::string& name) const;
    /// The names of the files directly in path, sorted.
    std::vector<std::string> files() const;
};

} // namespace pgmig_test
