// pgmig — a line diff of two texts as a unified diff (Myers' O(ND) algorithm),
// bounded in time and size: beyond the limits it gives up and says why.
// Used for drift (core/drift_diff: the up SQL recorded when a migration was
// applied against its file now). Pure.
//
// (core/suggest is the one edit distance of words; engine/schema_snapshot
// compares sorted sets of lines, not sequences.)
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail::core {

/// How far the diff goes before it gives up (time O((N + M) · D), memory O(D²)).
struct diff_limits {
    /// Lines removed plus lines added (D): more, and no diff is made.
    std::size_t max_changed_lines = 1000;
    /// Lines of both texts together, after their common first and last lines:
    /// more, and no diff is made.
    std::size_t max_compared_lines = 20000;
    /// Unchanged lines shown around each change (hunks closer than twice this merge).
    std::size_t context = 3;
};

struct text_diff {
    enum class outcome {
        identical, ///< the texts are the same (after normalisation): no lines
        diff,      ///< `lines` holds the unified diff
        too_large  ///< beyond the limits: no lines, `summary` says why
    };
    outcome result = outcome::identical;
    /// "--- <before label>", "+++ <after label>", then hunks: "@@ -a,b +c,d @@",
    /// " unchanged", "-removed", "+added", and "\ No newline at end of file"
    /// after a last line without one (as GNU diff -u writes them).
    std::vector<std::string> lines;
    std::size_t removed = 0; ///< lines (diff)
    std::size_t added = 0;   ///< lines (diff)
    std::string summary;     ///< too_large: for people, e.g. "more than 1000 lines changed"
};

/// The unified diff of `before` → `after`, both normalised first as the
/// checksum normalises SQL (no UTF-8 BOM, CRLF and CR as LF), so a file that
/// only changed its line endings is identical.
text_diff unified_diff(std::string_view before, std::string_view after, const std::string& before_label,
                       const std::string& after_label, const diff_limits& limits = {});

} // namespace pgmig::detail::core
