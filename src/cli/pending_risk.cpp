// The lint risk of pending migrations with the live database in view (see pending_risk.hpp).
#include "cli/pending_risk.hpp"
#include "engine/table_sizes.hpp"

#include <string>

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
    if (relations.empty()) return {};
    try {
        return engine::table_sizes(conn, relations);
    } catch (const engine::db_error& x) {
        log(log_level::warning, std::string("could not read table sizes: ") + x.what());
        return {};
    }
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

} // namespace pgmig::detail::cli
