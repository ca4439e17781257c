// pgmig — lint internals: the state of linting one section.
#include "lint/section_context.hpp"

namespace pgmig::lint_detail {

section_context::section_context(const section_input& input, const rule_set& disabled, knowledge& schema)
    : in(input), know(schema), text(input.sql, input.first_line), statements(parse_statements(text)),
      disabled_(disabled) {}

bool section_context::exempt(const relation_name& r) const { return !r.empty() && created.count(r.key) != 0; }

std::string_view section_context::statement_text(int stmt) const {
    const parsed_statement& st = statements[static_cast<std::size_t>(stmt)];
    return std::string_view(text.text()).substr(st.begin, st.end - st.begin);
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
    know.drop_index(f.key);
    created_indexes.insert(f.key);
    know.indexes.push_back(std::move(f));
}

void section_context::emit(int stmt, rule r, std::string message, const std::string& relation,
                           std::optional<risk> level, std::string alternative) {
    if (disabled_.test(static_cast<std::size_t>(r))) return;
    const parsed_statement& st = statements[static_cast<std::size_t>(stmt)];
    lint_finding f = make_finding(r, *in.m, in.down, in.file, st.first_line);
    f.statement = text.line_from(st.begin);
    f.message = std::move(message);
    f.relation = relation;
    if (level) f.level = *level;
    if (!alternative.empty()) f.safe_alternative = std::move(alternative);
    findings.push_back({std::move(f), stmt});
}

void section_context::emit_unattached(rule r, int line, std::string statement, std::string message) {
    if (disabled_.test(static_cast<std::size_t>(r))) return;
    lint_finding f = make_finding(r, *in.m, in.down, in.file, line);
    f.statement = std::move(statement);
    f.message = std::move(message);
    findings.push_back({std::move(f), -1});
}

} // namespace pgmig::lint_detail
