// pgmig — the SHA-256 behind checksums and the advisory lock key (internal).
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace pgmig {
class migration_set;
}

namespace pgmig::detail::core {

using sha256_digest = std::array<unsigned char, 32>;

/// normalize_sql_text() in place: a file's bytes become its SQL text without a
/// second buffer (a seed file of many megabytes is held once while it loads).
void normalize_sql_text_in_place(std::string& text);

/// SHA-256 of `data` (OpenSSL EVP). Throws pgmig::error if OpenSSL fails.
sha256_digest sha256(std::string_view data);

/// The set's digest: the hex SHA-256 of its "<version> <checksum>" pairs in
/// version order, joined by ','. The boot's probe compares it with the same
/// digest the server computes over the history (engine/history.cpp), and
/// pgmig::testing names its template databases after it.
std::string set_digest(const migration_set& set);

} // namespace pgmig::detail::core
