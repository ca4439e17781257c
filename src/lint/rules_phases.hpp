// pgmig — lint rules on deploy phases (docs/zero-downtime.md): the post-deploy
// phase as the fix on the findings of statements that break the release still
// serving traffic during a pre-deploy migration; post-deploy-adds-schema (what
// the new release needs at startup must not wait for the post-deploy step);
// batch-not-bounded (a -- pgmig:batch statement must bound its own batch).
#pragma once

#include "lint/section_context.hpp"

namespace pgmig::detail::lint {

/// A finding of `r` just made in section `in`: when `r` breaks the running
/// release and the migration is pre-deploy, the finding names the post-deploy
/// phase as the fix.
void phase_advice(const section_input& in, rule r, lint_finding& f);

/// Every statement: what a post-deploy migration adds; whether a batch is bounded.
void phases(section_context& ctx, int stmt, std::string_view type, const json& body);

} // namespace pgmig::detail::lint
