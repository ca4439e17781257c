// pgmig — check-rollback: does each pending migration's down restore the schema its up changed?
#pragma once

#include "engine/db.hpp"

#include <pgmig/migration.hpp>
#include <pgmig/startup.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace pgmig::detail::engine {

/// Result of checking one migration's down against its up.
struct rollback_check {
    std::int64_t version = 0;
    std::string name, file;
    std::string status;             ///< "ok", "differs", "skipped", "failed"
    std::string reason;             ///< why skipped / what failed ("" for ok, differs)
    std::vector<std::string> diff;  ///< "- line" / "+ line" (differs)
};

/// For each migration (in order), inside ONE transaction that is always rolled
/// back: snapshot the schema, run up, run down, snapshot again and compare;
/// then undo the down so that the next migration starts from the schema after
/// this one's up. Migrations whose up or down cannot run in the transaction
/// (no-transaction, transaction control, not reversible) are skipped; when an
/// up cannot be applied, the later ones are skipped too. Writes nothing that
/// persists (no history rows).
std::vector<rollback_check> check_rollbacks(db_connection& c, const std::vector<const migration*>& migrations,
                                            const options& opts);

} // namespace pgmig::detail::engine
