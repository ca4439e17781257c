// pgmig-embed — the C++ source that pgmig_embed_migrations() compiles into a target.
#pragma once

#include <pgmig/migration.hpp>

#include <string>
#include <vector>

namespace pgmig::detail::embed {

struct embed_names {
    std::string display;        ///< the directory as messages name it, e.g. "migrations"
    std::string namespace_name; ///< e.g. "myapp" or "myapp::db"
    std::string function;       ///< e.g. "migrations"
    std::string header;         ///< the generated header, e.g. "myapp/migrations.hpp"
};

/// The source defining `const pgmig::migration_set& <namespace>::<function>()`
/// over `migrations` (parsed, validated and hashed already): every field of
/// every migration as data (the text in one byte array, never a string
/// literal), turned into the set on the first call by
/// migration_set::from_precomputed(). Deterministic: the same input gives
/// the same bytes, so an unchanged set rewrites nothing.
std::string generate_embedded_source(const std::vector<migration>& migrations, const embed_names& names);

/// A named text file to embed as it is (pgmig's own documents: SKILL.md, the JSON schemas).
struct embedded_text_file {
    std::string name;    ///< how the program looks it up, e.g. "SKILL.md", "schema/status.json"
    std::string content;
};

/// The source defining
/// `const std::vector<std::pair<std::string_view, std::string_view>>& <namespace>::<function>()`
/// (declared in names.header): every file's name and content, in the order
/// given, from one byte array like the migrations' text. Deterministic.
std::string generate_text_source(const std::vector<embedded_text_file>& files, const embed_names& names);

} // namespace pgmig::detail::embed
