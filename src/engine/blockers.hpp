// pgmig — naming the sessions that hold the locks a failed migration statement waited for.
#pragma once

#include "engine/db.hpp"

#include <string>

namespace pgmig::detail::engine {

/// After a statement of `sql` failed with lock_not_available (55P03) and its
/// transaction was rolled back: the other sessions that hold granted locks on
/// the relations `sql` names (found with libpg_query; when it names none, the
/// sessions holding strong locks — SHARE and above — on any relation of this
/// database). One entry per session: "pid 123 (application_name 'x', state
/// 'idle in transaction', query started 2026-01-01 10:00:00 UTC, holds
/// AccessExclusiveLock on t): LOCK TABLE t IN ACCESS EXCLUSIVE MODE" (query cut
/// at 80 characters). "" when none is found or the lookup itself fails.
std::string describe_lock_blockers(db_connection& c, const std::string& sql);

} // namespace pgmig::detail::engine
