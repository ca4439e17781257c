// pgmig — "did you mean …?": the one edit distance and the one rule for a
// plausible typo, used by the directive parser and by the CLI (commands,
// options, option values).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail::core {

/// Optimal string alignment distance (insertions, deletions, substitutions and
/// transpositions of two adjacent characters, each costing 1), comparing ASCII
/// letters case-insensitively: "stauts" → "status" is 1, "ROLBACK" → "rollback" is 1.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate `word` was probably meant to be, or "" when none is close:
/// the nearest candidate within max(len, 3) / 3 edits (len = the length of
/// `word`; so one edit for words of up to 5 characters, two up to 8, …) and
/// fewer edits than `word` has characters, or
/// else the only candidate `word` is a prefix of ("hist" → "history"). A
/// one-edit typo beats a prefix. Ties go to the earlier candidate.
/// "dump" suggests nothing among the migration commands: 2 edits from "up"
/// is a different word, not a typo.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

} // namespace pgmig::detail::core
