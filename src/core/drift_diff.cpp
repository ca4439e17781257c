// What changed in a drifted migration (see drift_diff.hpp).
#include "core/drift_diff.hpp"

#include <algorithm>

namespace pgmig::detail::core {

std::optional<std::string_view> up_sql_to_record(std::string_view up_sql) noexcept {
    if (up_sql.size() >= max_recorded_up_sql_bytes) return std::nullopt;
    return up_sql;
}

void describe_drift(drifted_migration& d, const recorded_up_sql& recorded, std::string_view current_up_sql,
                    bool code_migration, const diff_limits& limits) {
    d.diff.clear();
    d.text_note.clear();
    const std::string cannot = ", so what changed cannot be shown";
    if (code_migration) {
        d.text = drift_text::code_migration;
        d.text_note = "no text recorded (code migration): it is a C++ function, whose checksum string changed";
        return;
    }
    if (!recorded.text) {
        if (recorded.bytes) {
            d.text = drift_text::too_large;
            d.text_note = "the up SQL it was applied with was " + std::to_string(*recorded.bytes) +
                          " bytes, too large to be stored in the history (1 MiB or more: only its size is)" + cannot;
        } else {
            d.text = drift_text::not_recorded;
            d.text_note = "the history holds no text of the up SQL it was applied with (it was applied by an older "
                          "pgmig, before history shape 4)" + cannot;
        }
        return;
    }
    const std::string file = d.file.empty() ? "migration " + std::to_string(d.version) : d.file;
    text_diff td = unified_diff(*recorded.text, current_up_sql, file + " as applied", file + " now", limits);
    switch (td.result) {
    case text_diff::outcome::identical:
        d.text = drift_text::same_text;
        d.text_note = "the up SQL recorded when it was applied is the file's; only the recorded checksum differs";
        return;
    case text_diff::outcome::too_large:
        d.text = drift_text::diff_too_large;
        d.text_note = "not shown: " + td.summary;
        return;
    case text_diff::outcome::diff:
        d.text = drift_text::diff;
        d.diff = std::move(td.lines);
        return;
    }
}

std::vector<std::string> drift_detail_lines(const drifted_migration& d, std::size_t max_lines) {
    std::vector<std::string> out;
    if (d.text == drift_text::unread) return out;
    if (d.text != drift_text::diff) {
        out.push_back("what changed: " + d.text_note);
        return out;
    }
    out.push_back("what changed (- as applied, + now):");
    const std::size_t shown = std::min(max_lines, d.diff.size());
    out.insert(out.end(), d.diff.begin(), d.diff.begin() + static_cast<std::ptrdiff_t>(shown));
    if (shown < d.diff.size()) {
        const std::size_t more = d.diff.size() - shown;
        out.push_back("… " + std::to_string(more) + (more == 1 ? " more line" : " more lines") + " of the diff");
    }
    return out;
}

} // namespace pgmig::detail::core
