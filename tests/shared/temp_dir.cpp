// A fresh temporary directory for a test (see temp_dir.hpp).
#include "shared/temp_dir.hpp"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <random>
#include <sstream>
#include <system_error>

namespace fs = std::filesystem;

namespace pgmig_test {

temp_dir::temp_dir() {
    static std::atomic<int> n{0};
    std::random_device rd;
    path = fs::temp_directory_path() / ("pgmig-test-" + std::to_string(rd()) + "-" + std::to_string(n++));
    fs::create_directories(path);
}

temp_dir::~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
}

void temp_dir::write(const std::string& name, const std::string& content) const {
    fs::create_directories((path / name).parent_path());
    std::ofstream(path / name, std::ios::binary) << content;
}

std::string temp_dir::read(const std::string& name) const {
    std::ifstream f(path / name, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

std::vector<std::string> temp_dir::files() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(path)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace pgmig_test
