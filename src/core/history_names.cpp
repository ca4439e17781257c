// pgmig — stable names of the history enums (stored in the history table and
// shown in --json output; never change an existing spelling).
#include <pgmig/history.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/startup.hpp>

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

const char* to_string(deploy_phase p) noexcept {
    switch (p) {
    case deploy_phase::pre_deploy: return "pre-deploy";
    case deploy_phase::post_deploy: return "post-deploy";
    }
    return "unknown";
}

const char* to_string(phase_selection p) noexcept {
    switch (p) {
    case phase_selection::pre_deploy: return "pre-deploy";
    case phase_selection::post_deploy: return "post-deploy";
    case phase_selection::all: return "all";
    }
    return "unknown";
}

} // namespace pgmig
