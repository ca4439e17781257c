// pgmig — PostgreSQL identifiers pgmig names itself: the history table's schema
// and table (checked before anything is sent) and the names derived from them.
//
// PostgreSQL keeps at most 63 bytes of an identifier (NAMEDATALEN - 1) and
// silently truncates longer ones. A history table name over 63 bytes would be
// truncated by the server but not by the advisory lock key, so two names that
// truncate to the same table would take different locks: such names are a
// usage error. Derived names (the unique index) never exceed 63 bytes and are
// never cut inside a UTF-8 character.
#pragma once

#include <pgmig/history.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace pgmig::detail::core {

/// The longest identifier PostgreSQL keeps (NAMEDATALEN - 1), in bytes.
constexpr std::size_t max_identifier_bytes = 63;

/// The longest prefix of `s` of at most `max_bytes` bytes that does not end
/// inside a UTF-8 sequence (a lead byte never stays without its continuation bytes).
std::string_view clip_utf8(std::string_view s, std::size_t max_bytes) noexcept;

/// Why the configured history table cannot be used ("" when it can): an empty
/// schema or table, a NUL byte, or a name longer than 63 bytes. The message
/// names the option and the byte count.
std::string history_table_problem(const history_table_name& t);

/// Name of the history table's partial unique index on (version, direction):
/// "<table>_version_direction_success" when that fits in 63 bytes (the name
/// pgmig always used), otherwise a prefix of the table name cut at a character
/// boundary plus a hash of schema and table, so that two long table names in
/// one schema never derive the same index name.
std::string history_index_name(const history_table_name& t);

} // namespace pgmig::detail::core
