// pgmig — text normalisation, migration checksums and the advisory lock key.
//
// Both the checksum and the lock key are SHA-256 (OpenSSL EVP; the calls used
// here exist unchanged in OpenSSL 1.1 and 3.x).
#include <pgmig/error.hpp>
#include <pgmig/history.hpp>
#include <pgmig/migration.hpp>

#include <openssl/evp.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace pgmig {
namespace {

using sha256_digest = std::array<unsigned char, 32>;

struct md_ctx_deleter {
    void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

[[noreturn]] void openssl_failed(const char* step) {
    throw error(error_code::database,
                std::string("OpenSSL could not compute SHA-256 (") + step +
                    " failed); check the OpenSSL installation or its configuration");
}

sha256_digest sha256(std::string_view data) {
    std::unique_ptr<EVP_MD_CTX, md_ctx_deleter> ctx(EVP_MD_CTX_new());
    if (!ctx) openssl_failed("EVP_MD_CTX_new");
    if (EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) openssl_failed("EVP_DigestInit_ex");
    if (!data.empty() && EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1)
        openssl_failed("EVP_DigestUpdate");
    sha256_digest digest{};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1) openssl_failed("EVP_DigestFinal_ex");
    if (length != digest.size()) openssl_failed("EVP_DigestFinal_ex (unexpected digest length)");
    return digest;
}

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

} // namespace

std::string normalize_sql_text(std::string_view text) {
    if (text.substr(0, utf8_bom.size()) == utf8_bom) text.remove_prefix(utf8_bom.size());
    if (text.find('\r') == std::string_view::npos) return std::string(text);

    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c != '\r') {
            out.push_back(c);
            continue;
        }
        out.push_back('\n');
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i; // CRLF -> LF
    }
    return out;
}

std::string checksum(std::string_view up_sql) {
    static constexpr char hex[] = "0123456789abcdef";
    const sha256_digest digest = sha256(normalize_sql_text(up_sql));
    std::string out = "sha256:";
    out.reserve(out.size() + 2 * digest.size());
    for (unsigned char byte : digest) {
        out.push_back(hex[byte >> 4]);
        out.push_back(hex[byte & 0x0F]);
    }
    return out;
}

// The formula is part of pgmig's compatibility contract (two versions of a
// service must agree on the key while they boot side by side); never change it.
std::int64_t advisory_lock_key(const history_table_name& table) {
    const std::string input = "pgmig:" + table.schema + "." + table.table;
    const sha256_digest digest = sha256(input);

    std::uint64_t value = 0;
    for (std::size_t i = 0; i < 8; ++i) value = (value << 8) | digest[i]; // big-endian

    // Two's-complement reinterpretation without implementation-defined conversion.
    constexpr std::uint64_t sign_bit = std::uint64_t{1} << 63;
    if ((value & sign_bit) == 0) return static_cast<std::int64_t>(value);
    // value = 2^64 - m with 1 <= m <= 2^63; result = -m = -(~value) - 1.
    return -static_cast<std::int64_t>(~value) - 1;
}

} // namespace pgmig
