// pgmig — the agent contract inside the binary: SKILL.md and the JSON schema
// of every command's output (docs/schema/<command>.json), embedded at build time
// by pgmig-embed --text (CMakeLists.txt), so that `pgmig help agent` and
// `pgmig help json <command>` give an agent that has only the binary the
// contract the repository documents.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgmig::detail::cli {

/// Every embedded document, (name, content): "SKILL.md", "schema/<file>.json".
/// Defined by the source pgmig-embed generates.
const std::vector<std::pair<std::string_view, std::string_view>>& agent_documents();

/// The embedded document `name`, or nothing.
std::optional<std::string_view> agent_document(std::string_view name);

/// The text `help agent` prints: SKILL.md, with "pgmig" spelled as `program` in
/// its command lines when the front end is a service's `myapp db`.
std::string skill_text(const std::string& program);

/// The JSON schema of `command`'s output (a canonical command name, or
/// "common" for the definitions every document shares), or nothing.
std::optional<std::string_view> json_schema(std::string_view command);

/// The names `help json` accepts, in order.
std::vector<std::string> json_schema_names();

} // namespace pgmig::detail::cli
