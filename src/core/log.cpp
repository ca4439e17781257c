#include <pgmig/log.hpp>

#include <cstdio>
#include <mutex>

namespace pgmig {

const char* to_string(log_level l) noexcept {
    switch (l) {
    case log_level::debug: return "debug";
    case log_level::info: return "info";
    case log_level::warning: return "warning";
    case log_level::error: return "error";
    }
    return "info";
}

logger stderr_logger(log_level min_level) {
    return [min_level](log_level level, const std::string& message) {
        if (static_cast<int>(level) < static_cast<int>(min_level)) return;
        static std::mutex m;
        std::lock_guard<std::mutex> g(m);
        std::fprintf(stderr, "pgmig: %s: %s\n", to_string(level), message.c_str());
        std::fflush(stderr);
    };
}

} // namespace pgmig
