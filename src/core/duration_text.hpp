// pgmig — durations as messages show them ("800ms", "2.5s", "5m0s").
#pragma once

#include <chrono>
#include <string>

namespace pgmig::detail {

/// "800ms" below a second, "2.5s" (tenths) below a minute, else "5m0s".
std::string format_duration(std::chrono::milliseconds d);

} // namespace pgmig::detail
