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

namespace pgmig::lint_detail {

/// One section to lint.
struct section_input {
    const migration* m = nullptr;
    bool down = false;
    std::string sql;
    int first_line = 1;
    bool no_transaction = false;
    std::string file;
};

/// A foreign key of the section, checked for a covering index at the section's end.
struct fk_fact {
    int stmt = 0;
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
    std::map<std::pair<std::string, std::string>, std::string> added_not_valid; ///< (table, constraint) → contype
    std::vector<fk_fact> foreign_keys;
    std::vector<pending> findings;          ///< in emit order

    /// Created in this section: nobody else sees the table yet, and it is empty.
    bool exempt(const relation_name& r) const;

    /// The code of statement `stmt` (comments around it and the ';' excluded).
    std::string_view statement_text(int stmt) const;

    /// Records a column of `table` (its type, and NOT NULL when proven).
    void remember_column(const relation_name& table, const column_spec& c);
    /// Records an index created on `table` in this section.
    void remember_index(const relation_name& table, const std::string& name, std::vector<std::string> columns,
                        bool partial);

    /// A finding of `r` on statement `stmt` (nothing when the rule is disabled).
    /// `level` and `alternative` replace the rule's defaults for this finding.
    void emit(int stmt, rule r, std::string message, const std::string& relation = {},
              std::optional<risk> level = std::nullopt, std::string alternative = {});

    /// A finding of `r` at `line` that belongs to no statement.
    void emit_unattached(rule r, int line, std::string statement, std::string message);

private:
    const rule_set& disabled_;
};

} // namespace pgmig::lint_detail
