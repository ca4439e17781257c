// pgmig — the admin CLI's JSON for machines: one document per invocation with
// the fields every invocation has (version, command, ok, exit_code, database,
// history_table, error, always present) and the command's result. The field
// names and shapes are documented in docs/cli.md and, per command, by the JSON
// Schemas in docs/schema (tests validate every outcome against them); this is
// the only place that decides them.
#pragma once

#include "cli/commands.hpp"

#include <string>

namespace pgmig::detail::cli {

/// The document's schema version ("version").
constexpr int json_schema_version = 2;

/// The invocation's one JSON document, indented, with a final newline.
std::string render_json(const command_output& o);

} // namespace pgmig::detail::cli
