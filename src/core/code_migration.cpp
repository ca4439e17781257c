// pgmig — migrations written in C++: their place in the set.
#include "core/code_migration.hpp"

#include <pgmig/error.hpp>

#include <algorithm>
#include <map>
#include <optional>

namespace pgmig {

const char* to_string(migration_kind k) noexcept {
    switch (k) {
    case migration_kind::sql: return "sql";
    case migration_kind::code: return "code";
    }
    return "sql";
}

namespace detail::core {

std::string code_migration_file(std::string_view name) { return "code:" + std::string(name); }

migration to_migration(const code_migration& c) {
    migration m;
    m.version = c.version;
    m.name = c.name;
    m.kind = migration_kind::code;
    m.file = code_migration_file(c.name);
    m.reversible = static_cast<bool>(c.down);
    m.up_no_transaction = c.no_transaction;
    m.down_no_transaction = c.no_transaction;
    m.phase = c.phase;
    m.checksum = code_checksum(c.checksum);
    m.code = std::make_shared<const code_migration>(c);
    return m;
}

} // namespace detail::core

migration_set migration_set::with_code(std::vector<code_migration> code) const {
    std::map<std::int64_t, std::string> used; // version -> file
    for (const migration& m : migrations_) used.emplace(m.version, m.file);
    std::vector<std::string> problems;
    std::optional<std::int64_t> first_version;
    const auto problem = [&](const code_migration& c, const std::string& what) {
        problems.push_back("C++ migration " + std::to_string(c.version) + " (" +
                           (c.name.empty() ? std::string("no name") : "\"" + c.name + "\"") + "): " + what);
        if (!first_version) first_version = c.version;
    };
    std::vector<migration> all = migrations_;
    for (const code_migration& c : code) {
        const std::size_t before = problems.size();
        if (c.version < 0) problem(c, "the version must not be negative");
        if (c.name.empty()) problem(c, "it has no name");
        if (c.name.find_first_of("\r\n") != std::string::npos) problem(c, "its name must be one line");
        if (c.checksum.empty())
            problem(c, "its checksum string is empty: give it one (e.g. \"v1\") and change it whenever the "
                       "migration's meaning changes");
        if (!c.up) problem(c, "it has no up function");
        const auto [it, inserted] = used.emplace(c.version, detail::core::code_migration_file(c.name));
        if (!inserted) problem(c, "version " + std::to_string(c.version) + " is also used by " + it->second);
        if (problems.size() == before) all.push_back(detail::core::to_migration(c));
    }
    if (!problems.empty()) {
        std::string msg = problems.size() == 1 ? problems.front() : "invalid C++ migrations:";
        if (problems.size() > 1)
            for (const std::string& p : problems) msg += "\n  " + p;
        error_location where;
        where.version = first_version;
        throw error(error_code::invalid_migration, msg, std::move(where));
    }
    std::stable_sort(all.begin(), all.end(), [](const migration& a, const migration& b) { return a.version < b.version; });
    migration_set set;
    set.migrations_ = std::move(all);
    return set;
}

} // namespace pgmig
