// pgmig — the values of the admin CLI's options (--lock-timeout, --history-table,
// --to, --steps, …), parsed into their types; a bad value is error(usage)
// naming the option.
#pragma once

#include <pgmig/history.hpp>
#include <pgmig/startup.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace pgmig::detail::cli {

/// "" when `value` is empty or one of `allowed`, else the usage message for
/// `option`, with a suggestion for a typo: "--drift: 'warm' is not one of
/// refuse or warn; did you mean 'warn'?".
std::string one_of(const std::string& option, const std::string& value, const std::vector<std::string>& allowed);

/// core/duration.hpp's parse_duration for option `option`. Throws error(usage).
std::chrono::milliseconds parse_duration(const std::string& option, const std::string& text);
/// "schema.table" or "table" (schema public), the value of `option`. Throws error(usage).
history_table_name parse_history_table(const std::string& text, const std::string& option = "--history-table");
/// A migration version (digits only; 0 is a version too). Throws error(usage).
std::int64_t parse_version(const std::string& option, const std::string& text);
/// --steps: a positive count (at most 6 digits). Throws error(usage).
int parse_steps(const std::string& text);
/// --phase: pre-deploy, post-deploy or all; "" is the default, pre-deploy (what a boot applies). Throws error(usage).
phase_selection parse_phase(const std::string& text);

} // namespace pgmig::detail::cli
