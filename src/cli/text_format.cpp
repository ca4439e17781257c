#include "cli/text_format.hpp"

#include <cstdio>

namespace pgmig::detail::cli {

namespace {

/// One decimal below 10 (dropping ".0"), whole numbers above.
std::string scaled(double v) {
    char buf[32];
    if (v < 9.95) {
        std::snprintf(buf, sizeof buf, "%.1f", v);
        std::string s = buf;
        if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
        return s;
    }
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
}

} // namespace

std::string human_rows(std::int64_t rows) {
    const double v = static_cast<double>(rows);
    if (rows < 1000) return "~" + std::to_string(rows) + (rows == 1 ? " row" : " rows");
    if (v < 999500.0) return "~" + scaled(v / 1e3) + " k rows";
    if (v < 999500000.0) return "~" + scaled(v / 1e6) + " M rows";
    return "~" + scaled(v / 1e9) + " G rows";
}

std::string human_bytes(std::int64_t bytes) {
    if (bytes < 1024) return std::to_string(bytes) + " bytes";
    const char* units[] = {"kB", "MB", "GB", "TB", "PB"};
    double v = static_cast<double>(bytes) / 1024.0;
    std::size_t u = 0;
    while (v >= 1023.5 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1024.0;
        ++u;
    }
    return scaled(v) + " " + units[u];
}

} // namespace pgmig::detail::cli
