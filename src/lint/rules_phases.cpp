// pgmig — lint rules on deploy phases. See rules_phases.hpp.
#include "lint/rules_phases.hpp"

#include "core/batch.hpp"
#include "core/text.hpp"

namespace pgmig::detail::lint {
namespace {

/// The rules whose statements break the release that still runs while a
/// pre-deploy migration is applied (it reads or writes what they remove or rename).
bool breaks_running_release(rule r) {
    switch (r) {
    case rule::drop_table:
    case rule::drop_column:
    case rule::rename_column:
    case rule::rename_table:
    case rule::set_not_null:
    case rule::change_column_type:
        return true;
    default:
        return false;
    }
}

bool is_post_deploy_up(const section_input& in) {
    return in.m != nullptr && !in.down && in.m->phase == deploy_phase::post_deploy;
}

/// Does statement `stmt` carry a -- pgmig:batch line (in the comments before it)?
bool is_batch(const section_context& ctx, int stmt) {
    const std::size_t i = static_cast<std::size_t>(stmt);
    const std::size_t from = i == 0 ? 0 : ctx.statements[i - 1].stop + 1;
    const std::size_t to = ctx.statements[i].begin;
    if (to <= from || !core::icontains(ctx.in.sql.substr(from, to - from), "batch")) return false;
    // The markers of the text up to this statement, with this statement as the only one after them.
    const std::vector<core::sql_span> spans = {{to, ctx.statements[i].end}};
    for (const core::batch_marker& m :
         core::batch_markers(ctx.in.sql.substr(0, ctx.statements[i].end), spans))
        if (m.statement && m.line > 0) return true;
    return false;
}

bool has_limit(const json& body) {
    bool found = false;
    walk_nodes(body, "SelectStmt", [&](const json& select) {
        if (member(select, "limitCount") != nullptr) found = true;
    });
    return found;
}

std::string added_object(std::string_view type, const json& body) {
    if (type == "CreateStmt") return "CREATE TABLE " + relation_of(member(body, "relation")).display;
    if (type == "ViewStmt") return "CREATE VIEW " + relation_of(member(body, "view")).display;
    if (type == "CreateFunctionStmt") return "CREATE FUNCTION";
    if (type == "CreateEnumStmt" || type == "CompositeTypeStmt") return "CREATE TYPE";
    if (type == "CreateSeqStmt") return "CREATE SEQUENCE " + relation_of(member(body, "sequence")).display;
    if (type == "AlterTableStmt") {
        std::string out;
        for_each_item(member(body, "cmds"), [&](const json& item) {
            const json* cmd = body_if(item, "AlterTableCmd");
            if (cmd != nullptr && text_of(*cmd, "subtype") == "AT_AddColumn" && out.empty())
                out = "ALTER TABLE " + relation_of(member(body, "relation")).display + " ADD COLUMN";
        });
        return out;
    }
    return {};
}

} // namespace

void phase_advice(const section_input& in, rule r, lint_finding& f) {
    if (in.m == nullptr || in.down || in.m->phase != deploy_phase::pre_deploy || !breaks_running_release(r)) return;
    f.message += "; this is a pre-deploy migration: it runs while the previous release still serves traffic";
    f.safe_alternative = "Contract in a post-deploy migration: put the statement in a migration of its own with "
                         "-- pgmig:phase post-deploy, applied by `up --phase post-deploy` once every replica runs the "
                         "new release (docs/zero-downtime.md has the recipe). " + f.safe_alternative;
}

void phases(section_context& ctx, int stmt, std::string_view type, const json& body) {
    if (is_post_deploy_up(ctx.in)) {
        const std::string what = added_object(type, body);
        if (!what.empty())
            ctx.emit(stmt, rule::post_deploy_adds_schema,
                     what + " in a post-deploy migration: the new release starts before the post-deploy step "
                            "runs, so code that needs it fails until then");
    }
    if ((type == "UpdateStmt" || type == "DeleteStmt" || type == "InsertStmt" || type == "MergeStmt") &&
        ctx.in.no_transaction && !has_limit(body) && is_batch(ctx, stmt))
        ctx.emit(stmt, rule::batch_not_bounded,
                 "this -- pgmig:batch statement does not bound its batch (no LIMIT): each batch is the whole "
                 "statement, one long transaction, and it is repeated until it changes no row");
}

} // namespace pgmig::detail::lint
