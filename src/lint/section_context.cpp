// pgmig — lint internals: the state of linting one section.
#include "lint/section_context.hpp"
#include "lint/rules_phases.hpp"

namespace pgmig::detail::lint {

section_context::section_context(const section_input& input, const rule_set& disabled, knowledge& schema)
    : in(input), know(schema), text(input.sql, input.first_line),
      disabled_(disabled) {}

bool section_context::exempt(const relation_name& r) const { return !r.empty() && created.count(r.key) != 0; }

std::string_view section_context::statement_text(int stmt) const {
    const parsed_statement& st = statements[static_cast<std::size_t>(stmt)];
    return text.text().substr(st.begin, st.end - st.begin);
}

site section_context::at(int stmt, const json* node) const {
    if (node == nullptr) return stmt;
    const json* body = node;
    if (const node_view v = unwrap(*node); v && v.body->is_object() && !node->contains("location")) body = v.body;
    const json* location = member(*body, "location");
    if (location == nullptr || !location->is_number_integer() || location->get<std::int64_t>() < 0) return stmt;
    const parsed_statement& st = statements[static_cast<std::size_t>(stmt)];
    return site(stmt, st.base + static_cast<std::size_t>(location->get<std::int64_t>()));
}

site section_context::at(int stmt, std::string_view pattern, std::string_view name) const {
    const parsed_statement& st = statements[static_cast<std::size_t>(stmt)];
    return site(stmt, text.find(st.begin, st.end, pattern, name));
}

void section_context::remember_column(const relation_name& table, const column_spec& c) {
    know.columns[table.key][c.name] = c.type;
    if (c.not_null || c.primary || c.identity) know.not_null.insert({table.key, c.name});
}

void section_context::remember_index(const relation_name& table, const std::string& name,
                                     std::vector<std::string> columns, bool partial) {
    index_fact f;
    f.key = index_key(table, name);
    f.table = table.key;
    f.table_display = table.display;
    f.columns = std::move(columns);
    f.partial = partial;
    f.version = in.m != nullptr ? in.m->version : 0;
    know.drop_index(f.key);
    created_indexes.insert(f.key);
    know.indexes.push_back(std::move(f));
}

std::string section_context::effective_timezone() const {
    if (session_timezone && !session_timezone->empty()) return *session_timezone;
    return in.server != nullptr ? in.server->timezone : std::string();
}

lint_finding* section_context::emit(site where, rule r, std::string message, const std::string& relation,
                                    std::optional<risk> level, std::string alternative) {
    if (disabled_.test(static_cast<std::size_t>(r))) return nullptr;
    const parsed_statement& st = statements[static_cast<std::size_t>(where.stmt)];
    std::size_t pos = where.pos.value_or(st.begin);
    if (pos < st.begin || pos > st.stop) pos = st.begin; // a location outside the statement: not ours
    lint_finding f = make_finding(r, *in.m, in.down, in.file, text.line_of(pos));
    f.column = text.column_of(pos);
    f.statement_line = st.first_line;
    f.statement = text.line_from(st.begin);
    f.message = std::move(message);
    f.relation = relation;
    if (!relation.empty()) f.created_by = know.creator("table", relation_key(relation));
    if (level) f.level = *level;
    if (!alternative.empty()) f.safe_alternative = std::move(alternative);
    phase_advice(in, r, f);
    findings.push_back({std::move(f), where.stmt});
    return &findings.back().finding;
}

void section_context::emit_unattached(rule r, std::size_t pos, std::string statement, std::string message) {
    if (disabled_.test(static_cast<std::size_t>(r))) return;
    lint_finding f = make_finding(r, *in.m, in.down, in.file, text.line_of(pos));
    f.column = text.column_of(pos);
    f.statement = std::move(statement);
    f.message = std::move(message);
    findings.push_back({std::move(f), -1});
}

} // namespace pgmig::detail::lint
