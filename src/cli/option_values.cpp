// The values of the admin CLI's options (see option_values.hpp).
#include "cli/option_values.hpp"
#include "core/directive.hpp"
#include "core/duration.hpp"
#include "core/suggest.hpp"
#include "core/text.hpp"

#include <pgmig/error.hpp>

#include <algorithm>

namespace pgmig::detail::cli {

namespace {

error usage(const std::string& msg) { return error(error_code::usage, msg); }

} // namespace

std::string one_of(const std::string& option, const std::string& value, const std::vector<std::string>& allowed) {
    if (value.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return {};
    std::string list;
    for (std::size_t i = 0; i < allowed.size(); ++i)
        list += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + allowed[i];
    std::string msg = option + ": '" + value + "' is not one of " + list;
    const std::string best = core::closest(value, allowed);
    if (!best.empty()) msg += "; did you mean '" + best + "'?";
    return msg;
}

std::chrono::milliseconds parse_duration(const std::string& option, const std::string& text) {
    const core::parsed_duration parsed = core::parse_duration(text);
    if (!parsed.value) throw usage(option + ": " + parsed.problem);
    return *parsed.value;
}

history_table_name parse_history_table(const std::string& text, const std::string& option) {
    history_table_name t;
    const std::size_t dot = text.find('.');
    if (dot == std::string::npos) {
        t.table = text;
    } else {
        t.schema = text.substr(0, dot);
        t.table = text.substr(dot + 1);
    }
    if (t.schema.empty() || t.table.empty() || t.table.find('.') != std::string::npos)
        throw usage(option + ": '" + text + "' is not a table name; use schema.table or table (schema public)");
    return t;
}

std::int64_t parse_version(const std::string& option, const std::string& text) {
    if (!core::all_digits(text) || text.size() > 18)
        throw usage(option + ": '" + text + "' is not a migration version (digits only, e.g. 20240101120000 or 3)");
    return std::stoll(text);
}

int parse_steps(const std::string& text) {
    if (text.empty() || text.size() > 6 || !core::all_digits(text) || std::stoi(text) < 1)
        throw usage("--steps: '" + text + "' is not a positive number");
    return std::stoi(text);
}

phase_selection parse_phase(const std::string& text) {
    if (text.empty()) return phase_selection::pre_deploy;
    if (const auto p = core::phase_selection_named(text)) return *p;
    throw usage("--phase: '" + text + "' is not a phase; use pre-deploy (the default: what a boot applies), "
                "post-deploy (the step after every replica runs the new release) or all");
}

} // namespace pgmig::detail::cli
