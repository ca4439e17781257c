// The JSON Schema validator of the tests, for the subset docs/schema uses:
// type, enum, const, required, properties, additionalProperties, items,
// maxItems, minimum, maximum, oneOf, if/then, and $ref to "#/…" or to
// "<file>.json#/…" beside the schema. Any other keyword is an error (so a
// schema cannot silently use one this validator ignores). nlohmann_json only:
// no validator library is needed in CI.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace pgmig_test {

class json_schemas {
public:
    /// The schemas of `directory` (docs/schema), loaded as they are needed.
    explicit json_schemas(std::filesystem::path directory);

    /// Everything in `doc` that schema `name` (e.g. "status" for status.json)
    /// rejects, one line each ("$.pending[0].file: expected string, got null");
    /// empty when it validates. Throws std::runtime_error for a broken schema.
    std::vector<std::string> violations(const nlohmann::json& doc, const std::string& name);

    /// The directory's schemas by name.
    std::vector<std::string> names() const;

    /// Every "$ref" of schema `name` that does not resolve (empty: all do).
    std::vector<std::string> broken_refs(const std::string& name);

private:
    const nlohmann::json& load(const std::string& file);
    void check(const nlohmann::json& doc, const nlohmann::json& schema, const std::string& file,
               const std::string& path, std::vector<std::string>& out);
    const nlohmann::json& resolve(const std::string& ref, std::string& file);

    std::filesystem::path dir_;
    std::map<std::string, nlohmann::json> loaded_;
};

/// The schemas of this source tree (PGMIG_SOURCE_DIR/docs/schema).
json_schemas& repository_schemas();

} // namespace pgmig_test
