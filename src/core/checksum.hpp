// pgmig — the SHA-256 behind checksums and the advisory lock key, and the
// digests other tools record (internal).
#pragma once

#include <array>
#include <cstdint>
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

/// The algorithm prefix of a C++ migration's checksum (pgmig::code_checksum()):
/// the history row of a code migration says so by its checksum alone.
inline constexpr std::string_view code_checksum_prefix = "code-sha256:";
/// Was `recorded` (a history row's checksum) made by code_checksum()?
inline bool is_code_checksum(std::string_view recorded) noexcept {
    return recorded.substr(0, code_checksum_prefix.size()) == code_checksum_prefix;
}

/// SHA-256 of `data` (OpenSSL EVP). Throws pgmig::error if OpenSSL fails.
sha256_digest sha256(std::string_view data);

/// The digests other tools record (import compares them): SHA-1 (sqitch), SHA-384 (sqlx).
enum class digest_algorithm { sha1, sha384 };
/// Lowercase hex of `algorithm`(`data`) (OpenSSL EVP). Throws pgmig::error if OpenSSL fails.
std::string hex_digest(digest_algorithm algorithm, std::string_view data);
/// CRC-32 (IEEE 802.3, as zlib and java.util.zip.CRC32 compute it) of `data`,
/// continuing from `crc` (0 to start).
std::uint32_t crc32(std::string_view data, std::uint32_t crc = 0) noexcept;

/// The set's digest: the hex SHA-256 of its "<version> <checksum>" pairs in
/// version order, joined by ','. The boot's probe compares it with the same
/// digest the server computes over the history (engine/history.cpp), and
/// pgmig::testing names its template databases after it.
std::string set_digest(const migration_set& set);

} // namespace pgmig::detail::core
