// pgmig — printing connection strings safely.
#pragma once

#include <string>
#include <string_view>

namespace pgmig {

/// The connection string with its passwords replaced by "*****", for
/// postgresql:// URLs (the user information's password, ?password= and
/// ?sslpassword=) and key=value strings (password=, sslpassword=). The
/// string is parsed, not searched: nothing else changes. In a URL whose
/// password holds an unencoded '@', everything up to the last '@' counts as
/// the password. A key=value string that cannot be parsed shows the
/// parameters before the problem and "*****" for the rest.
std::string mask_password(std::string_view conninfo);

} // namespace pgmig
