// Internal helpers for keeping passwords out of every message.
#pragma once

#include <string>
#include <string_view>

namespace pgmig::detail {

/// The password a conninfo carries (URL userinfo, ?password=, or password=), "" if none.
std::string password_in(std::string_view conninfo);

/// `text` with every occurrence of the conninfo's password (if any, and at
/// least 1 character long) replaced by "*****". Use on any message that could
/// echo connection details (driver errors, server messages).
std::string scrub(std::string text, std::string_view conninfo);

} // namespace pgmig::detail
