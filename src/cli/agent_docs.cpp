// The agent contract inside the binary (see agent_docs.hpp).
#include "cli/agent_docs.hpp"

namespace pgmig::detail::cli {

namespace {

constexpr std::string_view schema_prefix = "schema/";
constexpr std::string_view schema_suffix = ".json";

} // namespace

std::optional<std::string_view> agent_document(std::string_view name) {
    for (const auto& [n, content] : agent_documents())
        if (n == name) return content;
    return std::nullopt;
}

std::string skill_text(const std::string& program) {
    const std::optional<std::string_view> skill = agent_document("SKILL.md");
    std::string text(skill.value_or("SKILL.md was not embedded in this build.\n"));
    if (program == "pgmig") return text;
    // A service's front end: its commands are `<program> <command>`.
    return "This program's admin commands are `" + program + " <command>`: where the text below says `pgmig <command>`, run `" +
           program + " <command>` (no --migrations-dir, no `new`: the migrations are built in).\n\n" + text;
}

std::optional<std::string_view> json_schema(std::string_view command) {
    return agent_document(std::string(schema_prefix) + std::string(command) + std::string(schema_suffix));
}

std::vector<std::string> json_schema_names() {
    std::vector<std::string> out;
    for (const auto& doc : agent_documents()) {
        const std::string_view n = doc.first;
        if (n.size() > schema_prefix.size() + schema_suffix.size() && n.substr(0, schema_prefix.size()) == schema_prefix &&
            n.substr(n.size() - schema_suffix.size()) == schema_suffix)
            out.emplace_back(n.substr(schema_prefix.size(), n.size() - schema_prefix.size() - schema_suffix.size()));
    }
    return out;
}

} // namespace pgmig::detail::cli
