// pgmig — lint rules on ALTER TABLE's column subcommands and partitions:
// add-column-not-null-without-default, add-column-volatile-default,
// add-column-generated-stored, change-column-type, set-not-null,
// ban-drop-not-null, require-concurrent-partition-detach. The other
// subcommands go to their families (constraints, drop, transaction).
#pragma once

#include "lint/section_context.hpp"

namespace pgmig::detail::lint {

/// ALTER TABLE, subcommand by subcommand.
void alter_table(section_context& ctx, int stmt, const json& body);

} // namespace pgmig::detail::lint
