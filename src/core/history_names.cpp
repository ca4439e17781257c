// pgmig — stable names of the history enums (stored in the history table and
// shown in --json output; never change an existing spelling).
#include <pgmig/history.hpp>

namespace pgmig {

const char* to_string(direction d) noexcept {
    switch (d) {
    case direction::up: return "up";
    case direction::down: return "down";
    }
    return "unknown";
}

const char* to_string(row_status s) noexcept {
    switch (s) {
    case row_status::success: return "success";
    case row_status::failed: return "failed";
    case row_status::running: return "running";
    case row_status::reverted: return "reverted";
    case row_status::repaired: return "repaired";
    }
    return "unknown";
}

} // namespace pgmig
