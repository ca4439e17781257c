// pgmig — turning the refusals of a reconcile report into the error to throw.
#pragma once

#include <pgmig/error.hpp>
#include <pgmig/reconcile.hpp>

#include <optional>

namespace pgmig::detail::core {

/// The error for the problems of severity refusal in `r` (each listed with
/// its fix, a drift with what changed: core::drift_detail_lines, at most
/// diff_lines_in_errors of its diff), or nothing when none refuses. Code: failed_recorded when a failed
/// or interrupted run is among them, else drift when a drift is, else policy.
std::optional<error> refusal_error(const reconcile_report& r);

} // namespace pgmig::detail::core
