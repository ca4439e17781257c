// pgmig — what changed in a drifted migration: the up SQL the history
// recorded when it was applied (history shape 4: up_sql, up_sql_bytes)
// against the file's now, as a diff or the reason there is none; and the one
// rule of what the history records of an up SQL text. Pure.
#pragma once

#include "core/text_diff.hpp"

#include <pgmig/reconcile.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail::core {

/// An up SQL text of this many bytes or more is not stored in the history, only its size.
constexpr std::size_t max_recorded_up_sql_bytes = std::size_t{1} << 20;

/// The text a success up row stores for `up_sql` (the text its checksum
/// hashes): the text itself, or nothing when it is too large to store.
std::optional<std::string_view> up_sql_to_record(std::string_view up_sql) noexcept;

/// What the history holds of the up SQL a migration was applied with.
struct recorded_up_sql {
    std::optional<std::string> text;   ///< up_sql: NULL when too large, for a code migration, before shape 4
    std::optional<std::int64_t> bytes; ///< up_sql_bytes: NULL in rows written before shape 4
};

/// Fills d.text, d.diff and d.text_note from what was recorded and the file's
/// up SQL now (`code_migration`: the migration is a C++ function, no text).
void describe_drift(drifted_migration& d, const recorded_up_sql& recorded, std::string_view current_up_sql,
                    bool code_migration = false, const diff_limits& limits = {});

/// The diff lines an error message shows of each drifted migration, and
/// those status and verify show in their text (--json: every line).
constexpr std::size_t diff_lines_in_errors = 40;
constexpr std::size_t diff_lines_in_text = 400;

/// The lines that show d's change to people, at most `max_lines` of the diff
/// (then "… N more lines of the diff"): "what changed (- as applied, + now):"
/// and the diff, or one line "what changed: <why it is not shown>"; nothing
/// when d.text is unread.
std::vector<std::string> drift_detail_lines(const drifted_migration& d, std::size_t max_lines);

} // namespace pgmig::detail::core
