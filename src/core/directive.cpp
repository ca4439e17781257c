// pgmig — `-- pgmig:` directive lines. See directive.hpp.
#include "core/directive.hpp"

#include "core/text.hpp"

#include <pgmig/startup.hpp>

namespace pgmig::detail::core {

std::optional<std::string_view> keyword_comment(std::string_view line, std::string_view keyword) noexcept {
    std::string_view s = trim(line);
    if (s.substr(0, 2) != "--") return std::nullopt;
    s = ltrim(s.substr(2));
    if (!istarts_with(s, keyword)) return std::nullopt;
    s = ltrim(s.substr(keyword.size()));
    if (s.empty() || s.front() != ':') return std::nullopt;
    return s.substr(1);
}

std::optional<directive_line> parse_directive(std::string_view line) noexcept {
    const std::optional<std::string_view> rest = keyword_comment(line, "pgmig");
    if (!rest) return std::nullopt;
    const std::string_view s = ltrim(*rest);
    std::size_t end = 0;
    while (end < s.size() && !is_blank(s[end])) ++end;
    return directive_line{s.substr(0, end), trim(s.substr(end))};
}

const std::vector<std::string>& directive_names() {
    static const std::vector<std::string> names = {"no-transaction", "lock-timeout", "phase", "batch", "allow"};
    return names;
}

bool has_no_transaction_directive(std::string_view sql) noexcept {
    std::size_t pos = 0;
    while (pos <= sql.size()) {
        std::size_t eol = sql.find_first_of("\r\n", pos);
        if (eol == std::string_view::npos) eol = sql.size();
        const auto d = parse_directive(sql.substr(pos, eol - pos));
        if (d && iequals(d->name, "no-transaction")) return true;
        pos = eol + 1;
    }
    return false;
}

std::optional<deploy_phase> deploy_phase_named(std::string_view text) noexcept {
    for (const deploy_phase p : {deploy_phase::pre_deploy, deploy_phase::post_deploy})
        if (iequals(text, to_string(p))) return p;
    return std::nullopt;
}

std::optional<phase_selection> phase_selection_named(std::string_view text) noexcept {
    for (const phase_selection p : {phase_selection::pre_deploy, phase_selection::post_deploy, phase_selection::all})
        if (iequals(text, to_string(p))) return p;
    return std::nullopt;
}

bool selects(phase_selection phases, deploy_phase p) noexcept {
    switch (phases) {
    case phase_selection::pre_deploy: return p == deploy_phase::pre_deploy;
    case phase_selection::post_deploy: return p == deploy_phase::post_deploy;
    case phase_selection::all: return true;
    }
    return false;
}

} // namespace pgmig::detail::core
