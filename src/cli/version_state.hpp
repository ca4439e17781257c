// pgmig — the recorded version a command read or left: the newest applied
// migration's version, or none when nothing is applied. Version 0 is a version
// like any other (diesel's initial setup), so "nothing applied" is said apart.
#pragma once

#include <pgmig/reconcile.hpp>

#include <cstdint>
#include <optional>

namespace pgmig::detail::cli {

struct version_state {
    std::optional<std::int64_t> newest; ///< none: no migration is applied
};

/// The version state of `r`.
inline version_state version_of(const reconcile_report& r) {
    return r.applied.empty() ? version_state{} : version_state{r.newest_applied};
}

} // namespace pgmig::detail::cli
