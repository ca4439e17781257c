// pgmig — lint with the live database in view: the findings that a table not
// in the database yet makes harmless, and which findings make `up` ask before
// it runs. The sizes come from the database side (engine's table_sizes); lint
// takes them as plain input.
#pragma once

#include <pgmig/lint.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace pgmig::lint_detail {

/// The live size of a table a lint finding names.
struct table_size {
    bool exists = false;               ///< false: not in the database yet (created by a pending migration)
    std::optional<std::int64_t> rows;  ///< estimated rows (reltuples); empty when never analyzed/vacuumed
    std::optional<std::int64_t> bytes; ///< table, indexes and TOAST
};

/// Live sizes by relation as lint_finding::relation writes it.
using table_size_map = std::map<std::string, table_size>;

/// The live size of the table `f` names; nullptr when it names none or its size is not known.
const table_size* size_of(const lint_finding& f, const table_size_map& sizes);

/// Up findings of a rule whose risk disappears on a new table
/// (lint_rule::harmless_on_new_table), on a table that is not in the database
/// yet, drop to low with the reason appended to the message ("was high; t is
/// not in the database yet, so this blocks no one"). Each migration's level is
/// recomputed from its unsuppressed up findings.
void lower_risk_of_new_tables(std::map<std::int64_t, migration_lint>& lints, const table_size_map& sizes);

/// An unsuppressed up finding of a data-loss rule: running it destroys data.
bool destroys_data(const lint_finding& f);

/// An `up` that would run this finding asks for confirmation first: an
/// unsuppressed up finding that is high or critical, or that destroys data.
bool up_needs_confirmation(const lint_finding& f);

} // namespace pgmig::lint_detail
