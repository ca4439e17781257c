// todo_service's migrations written in C++ (docs/code-migrations.md), and the
// set the service runs: the SQL files of migrations/ (embedded at build time)
// with them.
#pragma once

#include <pgmig/migration.hpp>

#include <cstdint>

namespace todo {

/// Version 20240315000000: todos.title_key (the title, trimmed and in lower
/// case, for case-insensitive lookups), added and filled in batches of
/// `batch_size` rows, each batch committing on its own (no-transaction). Safe
/// to run again: each batch takes rows whose title_key is still NULL.
pgmig::code_migration backfill_title_key(std::int64_t batch_size = 500);

/// The embedded SQL migrations with the C++ ones: what the boot, `todo_service
/// db …` and the tests' databases use.
const pgmig::migration_set& all_migrations();

} // namespace todo
