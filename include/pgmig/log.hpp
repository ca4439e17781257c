// pgmig — log levels and the logger that receives pgmig's messages.
#pragma once

#include <functional>
#include <string>

namespace pgmig {

enum class log_level { debug, info, warning, error };
const char* to_string(log_level l) noexcept;

/// Receives every message pgmig logs. Messages never contain a password.
using logger = std::function<void(log_level, const std::string&)>;

/// A logger writing "pgmig: <level>: <message>" lines to stderr, dropping
/// messages below `min_level`. This is the default.
logger stderr_logger(log_level min_level = log_level::info);

} // namespace pgmig
