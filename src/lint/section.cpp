// pgmig — lint: the runner of one section.
#include "lint/section.hpp"

#include "lint/rules_alter_table.hpp"
#include "lint/rules_constraints.hpp"
#include "lint/rules_create_table.hpp"
#include "lint/rules_dml.hpp"
#include "lint/rules_drop.hpp"
#include "lint/rules_index.hpp"
#include "lint/rules_maintenance.hpp"
#include "lint/rules_naming.hpp"
#include "lint/rules_phases.hpp"
#include "lint/rules_rename.hpp"
#include "lint/rules_transaction.hpp"
#include "lint/rules_types.hpp"
#include "lint/suppression.hpp"

#include <string>
#include <utility>

namespace pgmig::detail::lint {
namespace {

// SET [LOCAL] TimeZone / SET TIME ZONE / RESET: the TimeZone the next statements run with.
void session_setting(section_context& ctx, int, const json& body) {
    if (text_of(body, "name") != "timezone") return;
    const std::string kind = text_of(body, "kind");
    if (kind == "VAR_SET_VALUE") {
        std::string zone;
        for_each_item(member(body, "args"), [&](const json& arg) {
            const json* c = body_if(arg, "A_Const");
            if (c == nullptr || !zone.empty()) return;
            if (const json* s = member(*c, "sval")) zone = text_of(*s, "sval");
            else if (const json* i = member(*c, "ival")) zone = std::to_string(int_of(*i, "ival"));
        });
        ctx.session_timezone = zone;
    } else if (kind == "VAR_SET_DEFAULT" || kind == "VAR_RESET" || kind == "VAR_SET_CURRENT") {
        ctx.session_timezone = std::string(); // the server's again
    }
}

using statement_rules = void (*)(section_context& ctx, int stmt, const json& body);

// The family that handles each node type. Statements that cannot run in a
// transaction need no entry: rules_transaction reports them after the handlers.
struct handler {
    std::string_view type;
    statement_rules run;
};

constexpr handler handlers[] = {
    {"CreateStmt", create_table},
    {"CreateTableAsStmt", create_table_as},
    {"SelectStmt", select_into},
    {"CreateSchemaStmt", create_schema},
    {"IndexStmt", create_index},
    {"DropStmt", drop_objects},
    {"DropdbStmt", drop_database},
    {"TruncateStmt", truncate_tables},
    {"AlterTableStmt", alter_table},
    {"RenameStmt", rename},
    {"AlterObjectSchemaStmt", set_schema},
    {"TransactionStmt", transaction_control},
    {"VacuumStmt", vacuum},
    {"ClusterStmt", cluster},
    {"ReindexStmt", reindex},
    {"RefreshMatViewStmt", refresh_materialized_view},
    {"CreateEnumStmt", create_enum},
    {"CompositeTypeStmt", create_composite_type},
    {"CreateDomainStmt", create_domain},
    {"AlterDomainStmt", alter_domain},
    {"AlterEnumStmt", alter_enum},
    {"CreateFunctionStmt", create_function},
    {"VariableSetStmt", session_setting},
};

void parse_error(section_context& ctx, int stmt) {
    const parsed_statement& st = ctx.statements[static_cast<std::size_t>(stmt)];
    ctx.emit(site(stmt, st.failure->error_pos), rule::parse_error,
             "lint could not check this part: libpg_query (PostgreSQL 15 grammar) reports \"" + st.failure->error +
                 "\" at line " + std::to_string(st.failure->error_line) +
                 " (newer syntax or a real syntax error); review it by hand");
}

} // namespace

void lint_statement(section_context& ctx, int stmt, std::string_view type, const json& body) {
    for (const handler& h : handlers)
        if (h.type == type) {
            h.run(ctx, stmt, body);
            break;
        }
    // UPDATE/DELETE anywhere in the statement (top level or a data-modifying CTE).
    dml(ctx, stmt, type, body);
    phases(ctx, stmt, type, body);
    require_table_schema(ctx, stmt, type, body);
}

section_result lint_section(const section_input& input, const rule_set& disabled, knowledge& know) {
    section_context ctx(input, disabled, know);
    // A batch of statements at a time; the rules read a statement's tree only
    // while it is linted (later ones read positions), so each is released after.
    statement_reader reader(ctx.text);
    ctx.statements.reserve(reader.statement_count());
    for (std::size_t i = 0; reader.next(ctx.statements);) {
        for (; i < ctx.statements.size(); ++i) {
            const int stmt = static_cast<int>(i);
            const parsed_statement& st = ctx.statements[i];
            if (st.failed()) parse_error(ctx, stmt);
            else if (const node_view v = unwrap(st.node)) lint_statement(ctx, stmt, v.type, *v.body);
            non_transactional_unnamed(ctx, stmt);
            ctx.statements[i].node = nullptr;
        }
    }
    check_foreign_key_indexes(ctx);
    section_result result;
    result.directives = find_allow_directives(ctx.text);
    apply_suppressions(ctx, result.directives);
    for (pending& p : ctx.findings) result.findings.push_back(std::move(p.finding));
    return result;
}

} // namespace pgmig::detail::lint
