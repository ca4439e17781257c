// pgmig — connection strings: parsed the way libpq parses them, so that
// parameters can be looked up and added, and so that a password is masked by
// its place in the string and scrubbed from messages as a whole token.
//
// Two forms, as libpq has them:
//   postgresql://[user[:password]@][host][:port][,host[:port]…][/dbname][?key=value&…]
//   (also postgres://; every part percent-encoded)
//   key=value key='quoted \' value' …   (backslash escapes the next character)
#pragma once

#include <pgmig/conninfo.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail::core {

/// Bytes [offset, offset + size) of the connection string.
struct text_span {
    std::size_t offset = 0;
    std::size_t size = 0;
    std::size_t end() const noexcept { return offset + size; }
};

/// One parameter. URL parts get libpq's names: user, password, host, port
/// (one entry per host of a list), dbname; query parameters keep theirs.
struct conninfo_param {
    std::string key;   ///< decoded
    std::string value; ///< decoded (URL) or unquoted and unescaped (key=value)
    text_span raw;     ///< the value as written (quotes included)
    text_span raw_key; ///< the key as written; empty for URL parts
};

struct parsed_conninfo {
    bool url = false;
    std::vector<conninfo_param> params; ///< in the order written
    /// Why libpq would refuse the string's syntax, e.g. `missing "=" after "x"`;
    /// "" when it parses. `params` then hold what was read before the problem.
    std::string error;
    /// The text from this offset on could not be read (the string's size when it parses).
    std::size_t parsed_to = 0;
    /// URL: the part that could not be percent-decoded, when that is the error.
    text_span error_part;
    /// URL: offset of the '?' that starts the query; npos when there is none.
    std::size_t query = std::string_view::npos;

    /// Is `key` set (by a URL part or a parameter)?
    bool has(std::string_view key) const noexcept;
};

/// Parses a connection string with libpq's rules (a URL takes the first '@'
/// before the first '/' as the end of its user information, as libpq does).
parsed_conninfo parse_conninfo(std::string_view conninfo);

/// `conninfo` with `key` set to `value` appended: a percent-encoded query
/// parameter of a URL, a quoted key=value otherwise.
std::string add_param(std::string_view conninfo, std::string_view key, std::string_view value);

/// `conninfo` with `key` set to `value`, every other parameter as written:
/// each place that sets `key` gets the new value (a URL's path for dbname, a
/// query parameter, a key=value pair), and when none does, it is added (a
/// URL's path for dbname, add_param() otherwise). A string that does not
/// parse gets add_param() (libpq takes the last of two values).
std::string set_param(std::string_view conninfo, std::string_view key, std::string_view value);

/// Every form in which the connection string's passwords could appear in a
/// message: as decoded and as written, percent-encoded and JSON-escaped (the
/// password of the URL's user information, password= and sslpassword=
/// values, and, for a URL whose user information holds an unencoded '@' or
/// '/', the parts libpq reads from what the user meant as the password).
/// Longest first; empty when the string carries no password.
std::vector<std::string> secret_tokens(std::string_view conninfo);

/// `text` with every occurrence of a token replaced by "*****", where it stands
/// as a whole: not when a letter, digit, '_' or non-ASCII byte continues the
/// token's own word on either side (a password "pg" leaves "pgmig" alone).
/// `tokens` longest first (as secret_tokens() returns them).
std::string scrub(std::string text, const std::vector<std::string>& tokens);

/// scrub(text, secret_tokens(conninfo)): for messages that could echo the
/// connection string's password (driver errors, server messages).
std::string scrub(std::string text, std::string_view conninfo);

} // namespace pgmig::detail::core
