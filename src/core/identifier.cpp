// PostgreSQL identifiers pgmig names itself (see identifier.hpp).
#include "core/identifier.hpp"

#include "core/checksum.hpp"

namespace pgmig::detail::core {

std::string_view clip_utf8(std::string_view s, std::size_t max_bytes) noexcept {
    if (s.size() <= max_bytes) return s;
    std::size_t cut = max_bytes;
    // Step back over continuation bytes (10xxxxxx) to the lead byte of the cut character.
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut);
}

namespace {

std::string name_problem(std::string_view what, std::string_view name) {
    if (name.empty()) return "the history table's " + std::string(what) + " is empty";
    if (name.find('\0') != std::string_view::npos)
        return "the history table's " + std::string(what) + " contains a NUL byte";
    if (name.size() > max_identifier_bytes) {
        const std::string_view kept = clip_utf8(name, max_identifier_bytes);
        return "the history table's " + std::string(what) + " '" + std::string(name) + "' is " +
               std::to_string(name.size()) + " bytes long; PostgreSQL keeps at most " +
               std::to_string(max_identifier_bytes) + " bytes of a name (it would use '" + std::string(kept) +
               "'), so pgmig refuses it: choose a name of at most " + std::to_string(max_identifier_bytes) + " bytes";
    }
    return {};
}

} // namespace

std::string history_table_problem(const history_table_name& t) {
    std::string p = name_problem("schema", t.schema);
    if (p.empty()) p = name_problem("table name", t.table);
    if (p.empty()) return {};
    return p + " (options.history_table / --history-table; nothing was changed)";
}

std::string history_index_name(const history_table_name& t) {
    static constexpr std::string_view suffix = "_version_direction_success";
    if (t.table.size() + suffix.size() <= max_identifier_bytes) return t.table + std::string(suffix);
    // <prefix>_vds_<16 hex of SHA-256("schema.table")>: at most 40 + 5 + 16 = 61 bytes.
    static constexpr char hex[] = "0123456789abcdef";
    const sha256_digest d = sha256(t.schema + "." + t.table);
    std::string out(clip_utf8(t.table, 40));
    out += "_vds_";
    for (std::size_t i = 0; i < 8; ++i) {
        out += hex[d[i] >> 4];
        out += hex[d[i] & 0x0F];
    }
    return out;
}

} // namespace pgmig::detail::core
