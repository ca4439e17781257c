// pgmig — text normalisation and migration checksums, and the SHA-256 they
// (and the advisory lock key, src/engine/lock.cpp) are made of (OpenSSL EVP;
// the calls used here exist unchanged in OpenSSL 1.1 and 3.x).
#include "core/checksum.hpp"

#include <pgmig/error.hpp>
#include <pgmig/migration.hpp>

#include <openssl/evp.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace pgmig {

namespace detail::core {
namespace {

struct md_ctx_deleter {
    void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

[[noreturn]] void openssl_failed(const char* algorithm, const char* step) {
    throw error(error_code::database,
                std::string("OpenSSL could not compute ") + algorithm + " (" + step +
                    " failed); check the OpenSSL installation or its configuration");
}

/// `md`(`data`) into `out` (exactly out_size bytes).
void digest_into(const EVP_MD* md, const char* algorithm, std::string_view data, unsigned char* out,
                 unsigned int out_size) {
    std::unique_ptr<EVP_MD_CTX, md_ctx_deleter> ctx(EVP_MD_CTX_new());
    if (!ctx) openssl_failed(algorithm, "EVP_MD_CTX_new");
    if (EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) openssl_failed(algorithm, "EVP_DigestInit_ex");
    if (!data.empty() && EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1)
        openssl_failed(algorithm, "EVP_DigestUpdate");
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(ctx.get(), out, &length) != 1) openssl_failed(algorithm, "EVP_DigestFinal_ex");
    if (length != out_size) openssl_failed(algorithm, "EVP_DigestFinal_ex (unexpected digest length)");
}

} // namespace

sha256_digest sha256(std::string_view data) {
    sha256_digest digest{};
    digest_into(EVP_sha256(), "SHA-256", data, digest.data(), static_cast<unsigned int>(digest.size()));
    return digest;
}

std::string hex_digest(digest_algorithm algorithm, std::string_view data) {
    static constexpr char hex[] = "0123456789abcdef";
    unsigned char digest[EVP_MAX_MD_SIZE];
    const bool sha1 = algorithm == digest_algorithm::sha1;
    const unsigned int size = sha1 ? 20 : 48;
    digest_into(sha1 ? EVP_sha1() : EVP_sha384(), sha1 ? "SHA-1" : "SHA-384", data, digest, size);
    std::string out;
    out.reserve(2 * size);
    for (unsigned int i = 0; i < size; ++i) {
        out.push_back(hex[digest[i] >> 4]);
        out.push_back(hex[digest[i] & 0x0F]);
    }
    return out;
}

std::uint32_t crc32(std::string_view data, std::uint32_t crc) noexcept {
    // The reflected polynomial 0xEDB88320, a byte at a time through a table built once.
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1U) ? 0xEDB88320U ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    crc = ~crc;
    for (const char ch : data) crc = table[(crc ^ static_cast<unsigned char>(ch)) & 0xFFU] ^ (crc >> 8);
    return ~crc;
}

std::string set_digest(const migration_set& set) {
    std::string pairs;
    pairs.reserve(set.size() * 90);
    for (const migration& m : set) {
        if (!pairs.empty()) pairs += ',';
        pairs += std::to_string(m.version);
        pairs += ' ';
        pairs += m.checksum;
    }
    return checksum(pairs).substr(7); // the hex after "sha256:"
}

} // namespace detail::core

namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

} // namespace

namespace detail::core {

void normalize_sql_text_in_place(std::string& text) {
    if (std::string_view(text).substr(0, utf8_bom.size()) == utf8_bom) text.erase(0, utf8_bom.size());
    std::size_t out = text.find('\r');
    if (out == std::string::npos) return;
    // Each byte moves to the same place or an earlier one: CRLF and a lone CR become LF.
    for (std::size_t i = out; i < text.size(); ++i) {
        const char c = text[i];
        if (c != '\r') {
            text[out++] = c;
            continue;
        }
        text[out++] = '\n';
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i; // CRLF -> LF
    }
    text.resize(out);
}

} // namespace detail::core

std::string normalize_sql_text(std::string_view text) {
    std::string out(text);
    detail::core::normalize_sql_text_in_place(out);
    return out;
}

namespace {

std::string prefixed_hex(std::string out, const detail::core::sha256_digest& digest) {
    static constexpr char hex[] = "0123456789abcdef";
    out.reserve(out.size() + 2 * digest.size());
    for (unsigned char byte : digest) {
        out.push_back(hex[byte >> 4]);
        out.push_back(hex[byte & 0x0F]);
    }
    return out;
}

} // namespace

std::string checksum(std::string_view up_sql) {
    // Without a BOM or CR the text is its own normal form: hash it in place
    // rather than copying a seed file of many megabytes.
    const bool normal = up_sql.substr(0, utf8_bom.size()) != utf8_bom && up_sql.find('\r') == std::string_view::npos;
    return prefixed_hex("sha256:", normal ? detail::core::sha256(up_sql) : detail::core::sha256(normalize_sql_text(up_sql)));
}

std::string code_checksum(std::string_view checksum_string) {
    return prefixed_hex(std::string(detail::core::code_checksum_prefix), detail::core::sha256(checksum_string));
}

} // namespace pgmig
