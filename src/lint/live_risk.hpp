// pgmig — lint with the live database in view: findings that the database makes
// harmless (the object is not in it yet, or the table is tiny), and which findings
// make `up` ask before it runs. The sizes come from the database side (engine's
// table_sizes); lint takes them as plain input.
#pragma once

#include <pgmig/lint.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pgmig::detail::lint {

/// The live size of a table a lint finding names.
struct table_size {
    bool exists = false;               ///< false: not in the database yet (created by a pending migration)
    std::optional<std::int64_t> rows;  ///< estimated rows (reltuples); empty when never analyzed/vacuumed
    std::optional<std::int64_t> bytes; ///< table, indexes and TOAST
};

/// Live sizes by relation as lint_finding::relation writes it.
using table_size_map = std::map<std::string, table_size>;

/// A table this small (estimated rows, and total bytes when known) makes an
/// UPDATE or DELETE of all its rows quick: no long row locks, no bloat.
inline constexpr std::int64_t tiny_table_rows = 1000;
inline constexpr std::int64_t tiny_table_bytes = 16 * 1024 * 1024;

/// The live size of the table `f` names; nullptr when it names none or its size is not known.
const table_size* size_of(const lint_finding& f, const table_size_map& sizes);

/// Adjusts the up findings of the migrations a run applies (`pending`, by version)
/// to the live database:
///   * a finding of a rule whose harm needs rows or running code
///     (lint_rule::harmless_on_new_table) about an object that is not in the
///     database yet — its table is missing from `sizes`' database, or, for findings
///     without a table size (a schema, a domain), a pending migration creates it
///     (lint_finding::created_by) — drops to low and is marked not_in_database;
///   * update-without-where on a tiny table drops to low, delete-without-where to
///     medium (its rows are still gone).
/// The reason, with the size, is appended to the message ("was high; orders is not
/// in the database yet, …"). Each migration's level is recomputed from its
/// unsuppressed up findings.
void adjust_to_live_database(std::map<std::int64_t, migration_lint>& lints, const table_size_map& sizes,
                             const std::vector<std::int64_t>& pending);

/// An unsuppressed up finding of a data-loss rule about an object that holds data:
/// running it destroys data (a finding marked not_in_database does not).
bool destroys_data(const lint_finding& f);

/// An `up` that would run this finding asks for confirmation first: an
/// unsuppressed up finding that is high or critical, or that destroys data.
bool up_needs_confirmation(const lint_finding& f);

} // namespace pgmig::detail::lint
