// pgmig — migrations written in C++ (docs/code-migrations.md): how one
// becomes a member of the set (pure, no database).
#pragma once

#include <pgmig/migration.hpp>

#include <string>
#include <string_view>

namespace pgmig::detail::core {

/// What messages, the plan and status call a code migration where a SQL
/// migration has its file: "code:<name>".
std::string code_migration_file(std::string_view name);

/// The set's member for `c` (kind code, file code_migration_file(name),
/// checksum code_checksum(c.checksum), no SQL text).
migration to_migration(const code_migration& c);

/// Is `m` a code migration?
inline bool is_code(const migration& m) noexcept { return m.kind == migration_kind::code; }

} // namespace pgmig::detail::core
