// pgmig — quantities as the CLI's text output shows them.
#pragma once

#include <cstdint>
#include <string>

namespace pgmig::detail::cli {

/// "~50 k rows", "~12 M rows", "~830 rows".
std::string human_rows(std::int64_t rows);
/// "512 bytes", "3.1 MB", "12 GB" (1024-based).
std::string human_bytes(std::int64_t bytes);

} // namespace pgmig::detail::cli
