// pgmig — lint internals: the state of linting one section (the up or the down
// SQL of one migration) that the rule families share: the input, the schema
// knowledge, what the section did so far, and the findings.
#pragma once

#include "lint/knowledge.hpp"
#include "lint/lint_sql.hpp"
#include "lint/parse_tree.hpp"
#include "lint/rules.hpp"

#include <pgmig/lint.hpp>
#include <pgmig/migration.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgmig::detail::lint {

/// One section to lint.
struct section_input {
    const migration* m = nullptr;
    bool down = false;
    std::string_view sql; ///< the section's SQL (the migration's, which outlives the input)
    int first_line = 1;
    bool no_transaction = false;
    std::string file;
    const lint_server* server = nullptr; ///< the target server, when known (never null in lint_section)
};

/// Where a finding points: statement `stmt`, at byte `pos` of the section when
/// known (the offending clause), else at the statement's first code byte.
struct site {
    site(int statement) : stmt(statement) {} // NOLINT: a statement index is a site
    site(int statement, std::optional<std::size_t> position) : stmt(statement), pos(position) {}
    int stmt = 0;
    std::optional<std::size_t> pos;
};

/// A foreign key of the section, checked for a covering index at the section's end.
struct fk_fact {
    site where;                      ///< the foreign key's clause
    relation_name table;
    std::vector<std::string> columns;
    std::string referenced;
};

/// A finding and the statement it belongs to.
struct pending {
    lint_finding finding;
    int stmt = -1; ///< statement index; -1: not attached to a statement (cannot be suppressed)
};

struct section_context {
    section_context(const section_input& input, const rule_set& disabled, knowledge& schema);

    const section_input& in;
    knowledge& know;                        ///< carried across sections (and migrations, in lint_set)
    sql_text text;
    std::vector<parsed_statement> statements;

    // What the section did so far.
    std::set<std::string> created;          ///< tables created in this section
    std::set<std::string> created_indexes;  ///< indexes created in this section
    std::set<std::string> created_types;    ///< types and domains created in this section
    std::map<std::pair<std::string, std::string>, std::string> added_not_valid; ///< (table, constraint) → contype
    std::vector<fk_fact> foreign_keys;
    std::vector<pending> findings;          ///< in emit order
    /// TimeZone set by a SET statement of this section so far ("" after RESET or
    /// SET … DEFAULT: the server's); nullopt when none did.
    std::optional<std::string> session_timezone;

    /// The TimeZone the section's statement would run with: its own SET, else the
    /// server's when known; "" when unknown.
    std::string effective_timezone() const;

    /// Created in this section: nobody else sees the table yet, and it is empty.
    bool exempt(const relation_name& r) const;

    /// The code of statement `stmt` (comments around it and the ';' excluded).
    std::string_view statement_text(int stmt) const;

    /// Statement `stmt` at the parse-tree node `node` (a node {"Type": {…}} or its
    /// body) when the node carries a `location`; else at the statement.
    site at(int stmt, const json* node) const;

    /// Statement `stmt` at the first place its tokens spell `pattern` (see
    /// sql_text::find; "{}" stands for `name`); else at the statement.
    site at(int stmt, std::string_view pattern, std::string_view name = {}) const;

    /// Records a column of `table` (its type, and NOT NULL when proven).
    void remember_column(const relation_name& table, const column_spec& c);
    /// Records an index created on `table` in this section.
    void remember_index(const relation_name& table, const std::string& name, std::vector<std::string> columns,
                        bool partial);

    /// A finding of `r` at `where` (nothing when the rule is disabled; returns
    /// nullptr then, else the finding, valid until the next emit). `level` and
    /// `alternative` replace the rule's defaults for this finding; `created_by` is
    /// filled in for the table `relation` names.
    lint_finding* emit(site where, rule r, std::string message, const std::string& relation = {},
                       std::optional<risk> level = std::nullopt, std::string alternative = {});

    /// A finding of `r` at byte `pos` of the section that belongs to no statement.
    void emit_unattached(rule r, std::size_t pos, std::string statement, std::string message);

private:
    const rule_set& disabled_;
};

} // namespace pgmig::detail::lint
