// The lint risk of pending migrations with the live database in view (see pending_risk.hpp).
#include "cli/pending_risk.hpp"
#include "engine/table_sizes.hpp"

#include <string>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace pgmig::detail::cli {

namespace {

bool selected(const lint_finding& f, finding_filter which) {
    if (f.down) return false;
    switch (which) {
    case finding_filter::all: return true;
    case finding_filter::data_loss: return lint::destroys_data(f);
    case finding_filter::needs_confirmation: return lint::up_needs_confirmation(f);
    }
    return false;
}

/// Live sizes of `relations` (one catalog query); empty, with a warning logged, when they cannot be read.
size_map read_sizes(engine::db_connection& conn, const std::vector<std::string>& relations, const logger& log) {
    if (relations.empty()) return {};
    try {
        return engine::table_sizes(conn, relations);
    } catch (const engine::db_error& x) {
        log(log_level::warning, std::string("could not read table sizes: ") + x.what());
        return {};
    }
}

} // namespace

std::map<std::int64_t, migration_lint> lint_by_version(const migration_set& set, const logger& log,
                                                       engine::db_connection& conn) {
    std::map<std::int64_t, migration_lint> out;
    lint_options options;
    try {
        options.server = engine::lint_server_facts(conn);
    } catch (const engine::db_error& x) {
        log(log_level::warning, std::string("could not read the server's version and TimeZone for lint: ") + x.what());
    }
    try {
        for (migration_lint& l : lint_set(set, options)) out.emplace(l.version, std::move(l));
    } catch (const std::exception& e) {
        log(log_level::warning, std::string("could not lint the migrations, no risk summary: ") + e.what());
        out.clear();
    }
#if defined(__GLIBC__)
    // Lint's parse trees came and went in many small blocks that glibc keeps
    // (for a seed file, about its size); `up` is about to send the file, and
    // libpq buffers it twice. Give them back first.
    (void)malloc_trim(0);
#endif
    return out;
}

size_map live_sizes(engine::db_connection& conn, const std::map<std::int64_t, migration_lint>& lints,
                    const std::vector<std::int64_t>& versions, const logger& log) {
    std::vector<std::string> relations;
    for (std::int64_t v : versions) {
        const auto l = lints.find(v);
        if (l == lints.end()) continue;
        for (const lint_finding& f : l->second.findings)
            if (!f.down && !f.relation.empty()) relations.push_back(f.relation);
    }
    return read_sizes(conn, relations, log);
}

std::vector<lint_finding> up_findings(const migration_lint& l, finding_filter which) {
    std::vector<lint_finding> out;
    for (const lint_finding& f : l.findings)
        if (selected(f, which)) out.push_back(f);
    return out;
}

std::vector<sized_finding> sized_up_findings(const migration_lint& l, const size_map& sizes) {
    std::vector<sized_finding> out;
    for (const lint_finding& f : l.findings) {
        if (!selected(f, finding_filter::all)) continue;
        const table_size* t = lint::size_of(f, sizes);
        out.push_back({f, t != nullptr ? std::optional<table_size>(*t) : std::nullopt});
    }
    return out;
}

std::vector<sized_finding> with_live_sizes(engine::db_connection& conn, std::vector<lint_finding> findings,
                                           const logger& log) {
    std::vector<std::string> relations;
    for (const lint_finding& f : findings)
        if (!f.relation.empty()) relations.push_back(f.relation);
    const size_map sizes = read_sizes(conn, relations, log);
    std::vector<sized_finding> out;
    for (lint_finding& f : findings) {
        const table_size* t = lint::size_of(f, sizes);
        out.push_back({std::move(f), t != nullptr ? std::optional<table_size>(*t) : std::nullopt});
    }
    return out;
}

std::vector<sized_finding> down_data_loss(engine::db_connection& conn,
                                          const std::vector<core::rollback_step>& steps,
                                          const logger& log) {
    std::vector<lint_finding> lost;
    lint_options options;
    options.lint_down = true;
    for (const core::rollback_step& st : steps) {
        if (!st.reversible) continue;
        // The down SQL as it will run (from the file or from the history), linted on its own.
        migration m;
        m.version = st.version;
        m.name = st.name;
        m.file = st.file;
        m.down_file = st.file;
        m.down_sql = st.down_sql;
        m.down_line = st.down_line;
        m.reversible = true;
        m.down_no_transaction = st.no_transaction;
        try {
            for (lint_finding& f : lint_migration(m, options).findings) {
                const lint_rule* rule = find_lint_rule(f.rule_id);
                if (f.down && rule != nullptr && rule->loses_data()) lost.push_back(std::move(f));
            }
        } catch (const std::exception& e) {
            log(log_level::warning, "could not lint the down SQL of " + std::to_string(st.version) + ": " + e.what());
        }
    }
    return with_live_sizes(conn, std::move(lost), log);
}

} // namespace pgmig::detail::cli
