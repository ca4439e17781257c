// The tests' JSON Schema validator (see json_schema.hpp).
#include "shared/json_schema.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <stdexcept>

namespace pgmig_test {

namespace {

using json = nlohmann::json;

std::string type_name(const json& j) {
    switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "integer";
    case json::value_t::number_float: return "number";
    case json::value_t::string: return "string";
    case json::value_t::array: return "array";
    case json::value_t::object: return "object";
    default: return "other";
    }
}

bool has_type(const json& j, const std::string& t) {
    const std::string actual = type_name(j);
    return actual == t || (t == "number" && actual == "integer");
}

const std::set<std::string>& known_keywords() {
    static const std::set<std::string> k = {"$schema", "$id", "$defs", "title", "description", "type", "enum",
                                            "const", "required", "properties", "additionalProperties", "items",
                                            "maxItems", "minimum", "maximum", "oneOf", "if", "then", "$ref"};
    return k;
}

} // namespace

json_schemas::json_schemas(std::filesystem::path directory) : dir_(std::move(directory)) {}

const json& json_schemas::load(const std::string& file) {
    auto it = loaded_.find(file);
    if (it != loaded_.end()) return it->second;
    std::ifstream in(dir_ / file);
    if (!in) throw std::runtime_error("no schema " + (dir_ / file).string());
    json j = json::parse(in);
    return loaded_.emplace(file, std::move(j)).first->second;
}

std::vector<std::string> json_schemas::names() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir_))
        if (e.path().extension() == ".json") out.push_back(e.path().stem().string());
    std::sort(out.begin(), out.end());
    return out;
}

const json& json_schemas::resolve(const std::string& ref, std::string& file) {
    const std::size_t hash = ref.find('#');
    if (hash == std::string::npos) throw std::runtime_error("$ref without a fragment: " + ref);
    if (hash > 0) file = ref.substr(0, hash);
    const json* at = &load(file);
    const std::string pointer = ref.substr(hash + 1);
    if (!pointer.empty()) at = &at->at(json::json_pointer(pointer));
    return *at;
}

void json_schemas::check(const json& doc, const json& schema, const std::string& file, const std::string& path,
                         std::vector<std::string>& out) {
    if (schema.is_boolean()) {
        if (!schema.get<bool>()) out.push_back(path + ": not allowed here");
        return;
    }
    if (!schema.is_object()) throw std::runtime_error(file + ": a schema at " + path + " is not an object");
    for (const auto& kv : schema.items())
        if (known_keywords().count(kv.key()) == 0)
            throw std::runtime_error(file + ": keyword '" + kv.key() + "' is not supported by the tests' validator");

    if (schema.contains("$ref")) {
        std::string target_file = file;
        const json& target = resolve(schema["$ref"].get<std::string>(), target_file);
        check(doc, target, target_file, path, out);
    }
    if (schema.contains("type")) {
        const json& t = schema["type"];
        bool ok = false;
        if (t.is_string()) ok = has_type(doc, t.get<std::string>());
        else
            for (const json& one : t) ok = ok || has_type(doc, one.get<std::string>());
        if (!ok) {
            out.push_back(path + ": expected " + t.dump() + ", got " + type_name(doc));
            return;
        }
    }
    if (schema.contains("const") && doc != schema["const"])
        out.push_back(path + ": expected " + schema["const"].dump() + ", got " + doc.dump());
    if (schema.contains("enum")) {
        bool found = false;
        for (const json& v : schema["enum"]) found = found || v == doc;
        if (!found) out.push_back(path + ": " + doc.dump() + " is not one of " + schema["enum"].dump());
    }
    if (doc.is_number()) {
        if (schema.contains("minimum") && doc.get<double>() < schema["minimum"].get<double>())
            out.push_back(path + ": " + doc.dump() + " is below the minimum " + schema["minimum"].dump());
        if (schema.contains("maximum") && doc.get<double>() > schema["maximum"].get<double>())
            out.push_back(path + ": " + doc.dump() + " is above the maximum " + schema["maximum"].dump());
    }
    if (doc.is_object()) {
        if (schema.contains("required"))
            for (const json& name : schema["required"])
                if (!doc.contains(name.get<std::string>()))
                    out.push_back(path + ": required field '" + name.get<std::string>() + "' is missing");
        const json* props = schema.contains("properties") ? &schema["properties"] : nullptr;
        for (const auto& kv : doc.items()) {
            const std::string child = path + "." + kv.key();
            if (props != nullptr && props->contains(kv.key())) {
                check(kv.value(), (*props)[kv.key()], file, child, out);
            } else if (schema.contains("additionalProperties")) {
                check(kv.value(), schema["additionalProperties"], file, child, out);
            }
        }
    }
    if (doc.is_array()) {
        if (schema.contains("maxItems") && doc.size() > schema["maxItems"].get<std::size_t>())
            out.push_back(path + ": more than " + schema["maxItems"].dump() + " items");
        if (schema.contains("items"))
            for (std::size_t i = 0; i < doc.size(); ++i)
                check(doc[i], schema["items"], file, path + "[" + std::to_string(i) + "]", out);
    }
    if (schema.contains("oneOf")) {
        int matching = 0;
        std::vector<std::string> reasons;
        for (const json& alternative : schema["oneOf"]) {
            std::vector<std::string> v;
            check(doc, alternative, file, path, v);
            if (v.empty()) ++matching;
            else reasons.insert(reasons.end(), v.begin(), v.end());
        }
        if (matching != 1) {
            std::string why;
            for (const std::string& r : reasons) why += "\n    " + r;
            out.push_back(path + ": matches " + std::to_string(matching) + " of the oneOf alternatives, not exactly one" +
                          (matching == 0 ? why : std::string()));
        }
    }
    if (schema.contains("if")) {
        std::vector<std::string> condition;
        check(doc, schema["if"], file, path, condition);
        if (condition.empty() && schema.contains("then")) check(doc, schema["then"], file, path, out);
    }
}

std::vector<std::string> json_schemas::violations(const json& doc, const std::string& name) {
    std::vector<std::string> out;
    const std::string file = name + ".json";
    check(doc, load(file), file, "$", out);
    return out;
}

std::vector<std::string> json_schemas::broken_refs(const std::string& name) {
    std::vector<std::string> out;
    const std::string file = name + ".json";
    std::vector<const json*> todo = {&load(file)};
    while (!todo.empty()) {
        const json* j = todo.back();
        todo.pop_back();
        if (j->is_object() && j->contains("$ref")) {
            std::string target_file = file;
            try {
                resolve((*j)["$ref"].get<std::string>(), target_file);
            } catch (const std::exception&) {
                out.push_back((*j)["$ref"].get<std::string>());
            }
        }
        if (j->is_structured())
            for (const json& child : *j) todo.push_back(&child);
    }
    return out;
}

json_schemas& repository_schemas() {
    static json_schemas schemas(std::filesystem::path(PGMIG_SOURCE_DIR) / "docs" / "schema");
    return schemas;
}

} // namespace pgmig_test
