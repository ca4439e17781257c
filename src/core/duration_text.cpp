#include "core/duration_text.hpp"

namespace pgmig::detail {

std::string format_duration(std::chrono::milliseconds d) {
    const auto ms = d.count();
    if (ms < 1000) return std::to_string(ms) + "ms";
    if (ms < 60000) return std::to_string(ms / 1000) + "." + std::to_string((ms % 1000) / 100) + "s";
    return std::to_string(ms / 60000) + "m" + std::to_string((ms % 60000) / 1000) + "s";
}

} // namespace pgmig::detail
