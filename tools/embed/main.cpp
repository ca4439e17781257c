// pgmig-embed — the build-time tool behind pgmig_embed_migrations().
//
//   pgmig-embed --directory <dir> --output <file.cpp> --namespace <ns> --function <name>
//               --header <path> [--display <text>] [--stamp <file>]
//   pgmig-embed --check --directory <dir> [--display <text>]
//   pgmig-embed --text <name>=<file> [--text …] --output <file.cpp> --namespace <ns>
//               --function <name> --header <path> [--display <text>] [--stamp <file>]
//   pgmig-embed --version | --help
//
// Lists <dir> and parses its files exactly as migration_set::from_directory()
// does (the same code, src/core). On any problem it prints every one of them,
// `pgmig: <display>/<file>:<line>: <reason>`, the runtime's messages, and
// exits 8 (pgmig's exit code for invalid migrations), so the build fails.
// Otherwise it writes the C++ source of the precomputed set (generate.hpp),
// only when its content changed (touching a migration recompiles nothing),
// and then touches the stamp file. Usage and I/O errors exit 1.
//
// With --text it embeds the named files as they are, in the same byte-array
// form (pgmig's own SKILL.md and JSON schemas, which `pgmig help agent` and
// `pgmig help json` print).
#include "generate.hpp"

#include "core/migration_file.hpp"

#include <pgmig/error.hpp>
#include <pgmig/version.hpp>

#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;

constexpr int exit_failure = 1;

const char* const usage_text =
    "usage: pgmig-embed --directory <dir> --output <file.cpp> --namespace <ns> --function <name>\n"
    "                   --header <path> [--display <text>] [--stamp <file>]\n"
    "       pgmig-embed --check --directory <dir> [--display <text>]\n"
    "       pgmig-embed --text <name>=<file> [--text ...] --output <file.cpp> --namespace <ns>\n"
    "                   --function <name> --header <path> [--display <text>] [--stamp <file>]\n"
    "       pgmig-embed --version\n"
    "Validates a migrations directory with pgmig's parser and writes the C++ source that\n"
    "defines `const pgmig::migration_set& <ns>::<name>()` (declared in <path>).\n"
    "Exit codes: 0 ok, 8 problems in the migration files (all listed), 1 other errors.\n";

struct arguments {
    bool check = false;
    std::vector<std::pair<std::string, std::string>> texts; // --text name=file, in order
    std::map<std::string, std::string> values; // "--directory" -> "migrations", ...
};

std::optional<std::string> value(const arguments& a, const std::string& key) {
    const auto it = a.values.find(key);
    if (it == a.values.end()) return std::nullopt;
    return it->second;
}

bool is_identifier(const std::string& s) {
    if (s.empty()) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
        if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
    }
    return true;
}

bool is_namespace_name(const std::string& s) {
    std::size_t start = 0;
    for (;;) {
        const std::size_t sep = s.find("::", start);
        if (!is_identifier(s.substr(start, sep == std::string::npos ? std::string::npos : sep - start)))
            return false;
        if (sep == std::string::npos) return true;
        start = sep + 2;
    }
}

// A relative include path of plain characters, no "..".
bool is_header_path(const std::string& s) {
    if (s.empty() || s.front() == '/') return false;
    for (char c : s) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                        c == '.' || c == '/' || c == '+' || c == '-';
        if (!ok) return false;
    }
    const std::string padded = "/" + s + "/";
    return padded.find("/../") == std::string::npos;
}

int usage_error(const std::string& message) {
    std::cerr << "pgmig-embed: " << message << "\n" << usage_text;
    return exit_failure;
}

std::optional<std::string> read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return s.str();
}

// Writes `content` to `path` unless it already holds exactly that (its
// timestamp then stays, and nothing that compiles it is rebuilt).
// Through a temporary file and a rename, so that an interrupted run never
// leaves a half-written source behind.
bool write_if_changed(const fs::path& path, const std::string& content) {
    if (const std::optional<std::string> old = read_file(path); old && *old == content) return true;
    std::error_code ec;
    if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
    fs::path tmp = path;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        if (!out) return false;
    }
    fs::rename(tmp, path, ec);
    if (ec) {
        fs::remove(tmp, ec);
        return false;
    }
    return true;
}

bool touch(const fs::path& path) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    return static_cast<bool>(out);
}

/// The C++ names of the generated function, or a usage message.
std::optional<std::string> output_names(const arguments& args, const std::string& display,
                                        pgmig::detail::embed::embed_names& names) {
    const std::optional<std::string> ns = value(args, "--namespace");
    const std::optional<std::string> fn = value(args, "--function");
    const std::optional<std::string> header = value(args, "--header");
    if (!value(args, "--output") || !ns || !fn || !header)
        return std::string("--output, --namespace, --function and --header are required (or --check)");
    if (!is_namespace_name(*ns)) return "--namespace '" + *ns + "' is not a C++ namespace name";
    if (!is_identifier(*fn)) return "--function '" + *fn + "' is not a C++ identifier";
    if (!is_header_path(*header)) return "--header '" + *header + "' must be a relative path like myapp/migrations.hpp";
    names = {display, *ns, *fn, *header};
    return std::nullopt;
}

int write_outputs(const arguments& args, const std::string& source) {
    const std::string output = *value(args, "--output");
    if (!write_if_changed(output, source)) {
        std::cerr << "pgmig-embed: cannot write " << output << "\n";
        return exit_failure;
    }
    if (const std::optional<std::string> stamp = value(args, "--stamp"); stamp && !touch(*stamp)) {
        std::cerr << "pgmig-embed: cannot write " << *stamp << "\n";
        return exit_failure;
    }
    return 0;
}

/// --text: the named files as they are.
int embed_texts(const arguments& args) {
    if (args.check || value(args, "--directory")) return usage_error("--text cannot be combined with --check or --directory");
    pgmig::detail::embed::embed_names names;
    if (const std::optional<std::string> problem = output_names(args, value(args, "--display").value_or("text files"), names))
        return usage_error(*problem);
    std::vector<pgmig::detail::embed::embedded_text_file> files;
    for (const auto& [name, path] : args.texts) {
        const std::optional<std::string> content = read_file(path);
        if (!content) {
            std::cerr << "pgmig-embed: cannot read " << path << "\n";
            return exit_failure;
        }
        files.push_back({name, *content});
    }
    return write_outputs(args, pgmig::detail::embed::generate_text_source(files, names));
}

} // namespace

int main(int argc, char** argv) {
    arguments args;
    static const char* const keys[] = {"--directory", "--display", "--output", "--stamp",
                                       "--namespace", "--function", "--header"};
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::cout << usage_text;
            return 0;
        }
        if (arg == "--version") {
            std::cout << "pgmig-embed " << PGMIG_VERSION_STRING << "\n";
            return 0;
        }
        if (arg == "--check") {
            args.check = true;
            continue;
        }
        if (arg == "--text") {
            if (i + 1 >= argc) return usage_error("no value after --text");
            const std::string spec = argv[++i];
            const std::size_t eq = spec.find('=');
            if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
                return usage_error("--text needs <name>=<file>, got '" + spec + "'");
            args.texts.emplace_back(spec.substr(0, eq), spec.substr(eq + 1));
            continue;
        }
        bool known = false;
        for (const char* key : keys) known = known || arg == key;
        if (!known) return usage_error("unknown argument '" + arg + "'");
        if (i + 1 >= argc) return usage_error("no value after " + arg);
        if (!args.values.emplace(arg, argv[++i]).second) return usage_error(arg + " given twice");
    }

    if (!args.texts.empty()) return embed_texts(args);
    const std::optional<std::string> directory = value(args, "--directory");
    if (!directory) return usage_error("--directory is required");
    const std::string display = value(args, "--display").value_or(*directory);

    pgmig::detail::embed::embed_names names;
    if (!args.check) {
        if (const std::optional<std::string> problem = output_names(args, display, names)) return usage_error(*problem);
    } else if (value(args, "--output") || value(args, "--stamp")) {
        return usage_error("--check writes nothing; drop --output and --stamp");
    }

    pgmig::detail::core::parse_result parsed;
    try {
        pgmig::detail::core::directory_files listed = pgmig::detail::core::read_migration_directory(*directory);
        parsed = pgmig::detail::core::parse_migration_files(std::move(listed.files), std::move(listed.problems));
    } catch (const pgmig::error& e) {
        std::cerr << "pgmig: " << e.what() << "\n";
        return pgmig::exit_code(e.code());
    } catch (const std::exception& e) {
        std::cerr << "pgmig-embed: " << e.what() << "\n";
        return exit_failure;
    }

    if (!parsed.problems.empty()) {
        for (const pgmig::detail::core::migration_problem& p : parsed.problems)
            std::cerr << "pgmig: " << display << '/' << pgmig::detail::core::format_problem(p) << "\n";
        const std::size_t n = parsed.problems.size();
        std::cerr << "pgmig: " << n << (n == 1 ? " problem" : " problems") << " in " << display
                  << "/ (listed above); fix them and build again\n";
        return pgmig::exit_code(pgmig::error_code::invalid_migration);
    }
    if (args.check) return 0;

    return write_outputs(args, pgmig::detail::embed::generate_embedded_source(parsed.migrations, names));
}
