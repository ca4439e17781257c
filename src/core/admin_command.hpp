// pgmig — how the running front end spells its admin commands, for the fix
// hints in messages ("run `pgmig repair`", "run `myapp db repair`").
#pragma once

#include <string>
#include <string_view>

namespace pgmig::detail::core {

/// A command as the front end invoked as `prefix` spells it, quoted for a
/// message: ("pgmig", "repair") → "`pgmig repair`", ("myapp db", "baseline
/// --version V") → "`myapp db baseline --version V`", ("", "status") → "`status`".
std::string command_hint(std::string_view prefix, std::string_view command);

/// The admin-command prefix of a service that did not configure one
/// (options::admin_command): "<program> db", <program> being the base name of
/// the running executable (/proc/self/exe on Linux), "myapp db" where it
/// cannot be found.
std::string default_admin_command();

/// `configured` when it is not empty, else default_admin_command().
std::string admin_command_or_default(const std::string& configured);

} // namespace pgmig::detail::core
