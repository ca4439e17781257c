// pgmig-embed — writes the embedded set as C++ data.
//
// The generated source must compile warning-free under the strictest flags a
// consumer may use (-Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion
// -Wshadow -Wold-style-cast -Wcast-qual -Wmissing-declarations -Wundef, /W4)
// and under any compiler's limits: the text is one unsigned char array,
// never a string literal (MSVC limits a literal to 16 KB).
#include "generate.hpp"

#include <pgmig/version.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail::embed {
namespace {

// Text for a // comment: printable ASCII only. Anything else (a newline, a
// backslash that would continue the comment, a '?' of a trigraph) becomes '.'.
std::string comment_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        const bool plain = c >= ' ' && c <= '~' && c != '\\' && c != '?';
        out.push_back(plain ? c : '.');
    }
    return out;
}

// All strings of all migrations, one after the other, as 0x.. bytes.
class text_blob {
public:
    struct ref {
        std::size_t at = 0;
        std::size_t size = 0;
    };

    void comment(std::string_view text) {
        end_line();
        bytes_ += "// " + comment_text(text) + "\n";
    }

    ref add(std::string_view text) {
        static constexpr char hex[] = "0123456789abcdef";
        const ref r{size_, text.size()};
        for (char ch : text) {
            const auto b = static_cast<unsigned char>(ch);
            if (column_ == 16) end_line();
            bytes_ += "0x";
            bytes_ += hex[b >> 4];
            bytes_ += hex[b & 0x0F];
            bytes_ += ',';
            ++column_;
        }
        size_ += text.size();
        return r;
    }

    std::size_t size() const noexcept { return size_; }

    std::string take() {
        end_line();
        return std::move(bytes_);
    }

private:
    void end_line() {
        if (column_ == 0) return;
        bytes_ += '\n';
        column_ = 0;
    }

    std::string bytes_;
    std::size_t size_ = 0;
    int column_ = 0;
};

std::string ref_text(const text_blob::ref& r) {
    return "{" + std::to_string(r.at) + "u, " + std::to_string(r.size) + "u}";
}

const char* boolean(bool b) noexcept { return b ? "true" : "false"; }

std::vector<std::string> namespace_parts(const std::string& ns) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t sep = ns.find("::"); sep != std::string::npos; sep = ns.find("::", start)) {
        parts.push_back(ns.substr(start, sep - start));
        start = sep + 2;
    }
    parts.push_back(ns.substr(start));
    return parts;
}

// The generated code's reference into the byte array, and its accessor for
// `Result` (std::string or std::string_view): shared by both generators.
std::string ref_source(const char* result) {
    return std::string("struct pgmig_embedded_ref {\n"
                       "    std::size_t at;\n"
                       "    std::size_t size;\n"
                       "};\n"
                       "\n") +
           result + " pgmig_embedded_" + (std::string(result) == "std::string" ? "string" : "view") +
           "(pgmig_embedded_ref r) {\n"
           "    return " + result + "(reinterpret_cast<const char*>(pgmig_embedded_text) + r.at, r.size);\n"
           "}\n";
}

/// `body` inside `namespace a { namespace b { … } }` for "a::b".
std::string in_namespace(const std::string& ns, const std::string& body) {
    const std::vector<std::string> parts = namespace_parts(ns);
    std::string out;
    for (const std::string& p : parts) out += "namespace " + p + " {\n";
    out += body;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) out += "} // namespace " + *it + "\n";
    return out;
}

} // namespace

std::string generate_embedded_source(const std::vector<migration>& migrations, const embed_names& names) {
    text_blob text;
    std::string records;
    for (const migration& m : migrations) {
        text.comment(m.file);
        const text_blob::ref file = text.add(m.file);
        const text_blob::ref name = text.add(m.name);
        const text_blob::ref down_file = text.add(m.down_file);
        const text_blob::ref checksum = text.add(m.checksum);
        const text_blob::ref up_sql = text.add(m.up_sql);
        const text_blob::ref down_sql = text.add(m.down_sql);
        records += "    {" + std::to_string(m.version) + ", " +
                   boolean(m.format == migration_format::paired_files) + ", " + ref_text(file) + ", " +
                   ref_text(name) + ", " + ref_text(down_file) + ", " + ref_text(checksum) + ", " +
                   ref_text(up_sql) + ", " + ref_text(down_sql) + ", " + std::to_string(m.up_line) + ", " +
                   std::to_string(m.down_line) + ", " + boolean(m.reversible) + ", " +
                   boolean(m.up_no_transaction) + ", " + boolean(m.down_no_transaction) + ", " +
                   std::to_string(m.lock_timeout_ms) + ", " + boolean(m.phase == deploy_phase::post_deploy) +
                   "},\n";
    }
    const std::size_t text_size = text.size();
    const std::string bytes = text.take();

    std::string out;
    out.reserve(bytes.size() + records.size() + 4096);
    out += "// Generated by pgmig-embed " PGMIG_VERSION_STRING " for pgmig_embed_migrations() from " +
           comment_text(names.display) + "/: " + std::to_string(migrations.size()) +
           " migration(s). Do not edit.\n"
           "// Parsed, validated and hashed at build time by pgmig's own parser: the first call of\n"
           "// " + names.namespace_name + "::" + names.function +
           "() builds the set from these tables, without parsing or hashing anything.\n"
           "#include \"" + names.header + "\"\n"
           "\n"
           "#include <pgmig/migration.hpp>\n"
           "#include <pgmig/version.hpp>\n"
           "\n"
           "#include <cstddef>\n"
           "#include <cstdint>\n"
           "#include <string>\n"
           "#include <utility>\n"
           "#include <vector>\n"
           "\n"
           // The tables fill pgmig::migration field by field: a library of
           // another major.minor version may have other fields.
           "#if PGMIG_VERSION_MAJOR != " + std::to_string(PGMIG_VERSION_MAJOR) +
           " || PGMIG_VERSION_MINOR != " + std::to_string(PGMIG_VERSION_MINOR) + "\n"
           "#error \"generated by pgmig-embed " PGMIG_VERSION_STRING
           ", but compiled against another pgmig version; use the pgmig-embed of the pgmig you link "
           "(PGMIG_EMBED_EXECUTABLE)\"\n"
           "#endif\n"
           "\n"
           "namespace {\n";
    if (migrations.empty()) {
        out += "\nstd::vector<pgmig::migration> pgmig_embedded_migrations() { return {}; }\n";
    } else {
        out += "\n"
               "// Every string of every migration, one after the other: file, name, down file,\n"
               "// checksum, up SQL, down SQL (" + std::to_string(text_size) + " bytes).\n"
               "const unsigned char pgmig_embedded_text[] = {\n" + bytes + "};\n"
               "\n" + ref_source("std::string") +
               "\n"
               "struct pgmig_embedded_record {\n"
               "    std::int64_t version;\n"
               "    bool paired_files;\n"
               "    pgmig_embedded_ref file, name, down_file, checksum, up_sql, down_sql;\n"
               "    int up_line, down_line;\n"
               "    bool reversible, up_no_transaction, down_no_transaction;\n"
               "    std::int64_t lock_timeout_ms;\n"
               "    bool post_deploy;\n"
               "};\n"
               "\n"
               "const pgmig_embedded_record pgmig_embedded_records[] = {\n" + records + "};\n"
               "\n"
               "std::vector<pgmig::migration> pgmig_embedded_migrations() {\n"
               "    std::vector<pgmig::migration> list;\n"
               "    list.reserve(sizeof pgmig_embedded_records / sizeof pgmig_embedded_records[0]);\n"
               "    for (const pgmig_embedded_record& r : pgmig_embedded_records) {\n"
               "        pgmig::migration m;\n"
               "        m.version = r.version;\n"
               "        m.name = pgmig_embedded_string(r.name);\n"
               "        m.format = r.paired_files ? pgmig::migration_format::paired_files\n"
               "                                  : pgmig::migration_format::single_file;\n"
               "        m.file = pgmig_embedded_string(r.file);\n"
               "        m.down_file = pgmig_embedded_string(r.down_file);\n"
               "        m.up_sql = pgmig_embedded_string(r.up_sql);\n"
               "        m.down_sql = pgmig_embedded_string(r.down_sql);\n"
               "        m.reversible = r.reversible;\n"
               "        m.up_line = r.up_line;\n"
               "        m.down_line = r.down_line;\n"
               "        m.up_no_transaction = r.up_no_transaction;\n"
               "        m.down_no_transaction = r.down_no_transaction;\n"
               "        m.lock_timeout_ms = r.lock_timeout_ms;\n"
               "        m.phase = r.post_deploy ? pgmig::deploy_phase::post_deploy : pgmig::deploy_phase::pre_deploy;\n"
               "        m.checksum = pgmig_embedded_string(r.checksum);\n"
               "        list.push_back(std::move(m));\n"
               "    }\n"
               "    return list;\n"
               "}\n";
    }
    out += "\n} // namespace\n\n";
    out += in_namespace(names.namespace_name,
                        "\n"
                        "const pgmig::migration_set& " + names.function + "() {\n"
                        "    // Built on the first call (thread-safe) and never destroyed, so that it\n"
                        "    // stays valid during static destruction (and needs no exit-time destructor).\n"
                        "    static const pgmig::migration_set& set =\n"
                        "        *new pgmig::migration_set(pgmig::migration_set::from_precomputed(::pgmig_embedded_migrations()));\n"
                        "    return set;\n"
                        "}\n\n");
    return out;
}

std::string generate_text_source(const std::vector<embedded_text_file>& files, const embed_names& names) {
    text_blob text;
    std::string records;
    for (const embedded_text_file& f : files) {
        text.comment(f.name);
        const text_blob::ref name = text.add(f.name);
        const text_blob::ref content = text.add(f.content);
        records += "    {" + ref_text(name) + ", " + ref_text(content) + "},\n";
    }
    const std::string bytes = text.take();
    std::string out = "// Generated by pgmig-embed " PGMIG_VERSION_STRING " from " + std::to_string(files.size()) +
                      " text file(s) of " + comment_text(names.display) + ". Do not edit.\n"
                      "#include \"" + names.header + "\"\n"
                      "\n"
                      "#include <cstddef>\n"
                      "#include <string_view>\n"
                      "#include <utility>\n"
                      "#include <vector>\n"
                      "\n"
                      "namespace {\n"
                      "\n"
                      "const unsigned char pgmig_embedded_text[] = {\n" + (bytes.empty() ? std::string("0x00,\n") : bytes) +
                      "};\n"
                      "\n" + ref_source("std::string_view") +
                      "\n"
                      "struct pgmig_embedded_file {\n"
                      "    pgmig_embedded_ref name, content;\n"
                      "};\n"
                      "\n"
                      "const pgmig_embedded_file pgmig_embedded_files[] = {\n" +
                      (records.empty() ? std::string("    {{0u, 0u}, {0u, 0u}},\n") : records) +
                      "};\n"
                      "\n"
                      "} // namespace\n\n";
    out += in_namespace(
        names.namespace_name,
        "\n"
        "const std::vector<std::pair<std::string_view, std::string_view>>& " + names.function + "() {\n"
        "    static const std::vector<std::pair<std::string_view, std::string_view>>& files = *[] {\n"
        "        auto* list = new std::vector<std::pair<std::string_view, std::string_view>>();\n"
        "        for (const pgmig_embedded_file& f : pgmig_embedded_files)\n"
        "            if (f.name.size != 0) list->emplace_back(pgmig_embedded_view(f.name), pgmig_embedded_view(f.content));\n"
        "        return list;\n"
        "    }();\n"
        "    return files;\n"
        "}\n\n");
    return out;
}

} // namespace pgmig::detail::embed
