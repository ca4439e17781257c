// pgmig — the SHA-256 behind checksums and the advisory lock key (internal).
#pragma once

#include <array>
#include <string_view>

namespace pgmig::detail {

using sha256_digest = std::array<unsigned char, 32>;

/// SHA-256 of `data` (OpenSSL EVP). Throws pgmig::error if OpenSSL fails.
sha256_digest sha256(std::string_view data);

} // namespace pgmig::detail
