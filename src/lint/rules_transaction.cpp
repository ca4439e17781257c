// pgmig — lint rules on pgmig's transaction.
#include "lint/rules_transaction.hpp"

#include "core/statement_kind.hpp"

#include <map>

namespace pgmig::detail::lint {
namespace {

// What the classifier says statement `stmt` is when it cannot run in the
// section's transaction; "" when it can (or the section runs without one).
// Transaction control (COMMIT PREPARED, …) is transaction-control-in-transaction's.
std::string cannot_run_in_transaction(const section_context& ctx, int stmt) {
    if (ctx.in.no_transaction) return {};
    const std::string_view sql = ctx.statement_text(stmt);
    std::string what = core::non_transactional_statement(sql);
    if (what.empty() || core::is_transaction_control(sql)) return {};
    return what;
}

void report(section_context& ctx, int stmt, const std::string& what, const std::string& relation) {
    ctx.emit(stmt, rule::non_transactional_in_transaction,
             what + " cannot run inside a transaction block, and this migration runs in one (no "
                    "-- pgmig:no-transaction directive): it fails when applied",
             relation);
}

} // namespace

void transaction_control(section_context& ctx, int stmt, const json& body) {
    if (ctx.in.no_transaction) return;
    static const std::map<std::string, std::string> names = {
        {"TRANS_STMT_BEGIN", "BEGIN"},
        {"TRANS_STMT_START", "START TRANSACTION"},
        {"TRANS_STMT_COMMIT", "COMMIT"},
        {"TRANS_STMT_ROLLBACK", "ROLLBACK"},
        {"TRANS_STMT_SAVEPOINT", "SAVEPOINT"},
        {"TRANS_STMT_RELEASE", "RELEASE SAVEPOINT"},
        {"TRANS_STMT_ROLLBACK_TO", "ROLLBACK TO SAVEPOINT"},
        {"TRANS_STMT_PREPARE", "PREPARE TRANSACTION"},
        {"TRANS_STMT_COMMIT_PREPARED", "COMMIT PREPARED"},
        {"TRANS_STMT_ROLLBACK_PREPARED", "ROLLBACK PREPARED"}};
    const std::string kind = text_of(body, "kind");
    const auto it = names.find(kind);
    const std::string what = it != names.end() ? it->second : kind;
    if (kind == "TRANS_STMT_SAVEPOINT" || kind == "TRANS_STMT_RELEASE" || kind == "TRANS_STMT_ROLLBACK_TO") {
        ctx.emit(stmt, rule::transaction_control_in_transaction,
                 what + " inside pgmig's transaction: it runs, but ROLLBACK TO SAVEPOINT silently discards part of "
                        "the migration while the migration is still recorded as applied",
                 {}, risk::medium, "Remove the savepoint handling: let a failing statement fail the whole migration");
        return;
    }
    std::string message;
    if (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START")
        message = what + " inside pgmig's transaction: the COMMIT that goes with it ends pgmig's transaction "
                         "early, so the migration is no longer atomic";
    else if (kind == "TRANS_STMT_COMMIT_PREPARED" || kind == "TRANS_STMT_ROLLBACK_PREPARED")
        message = what + " cannot run inside a transaction block: the migration fails";
    else
        message = what + " inside pgmig's transaction ends it early: the statements after it run outside any "
                         "transaction and the history row no longer commits with the migration";
    ctx.emit(stmt, rule::transaction_control_in_transaction, std::move(message));
}

void non_transactional(section_context& ctx, int stmt, const std::string& what, const std::string& relation) {
    if (!cannot_run_in_transaction(ctx, stmt).empty()) report(ctx, stmt, what, relation);
}

void non_transactional_unnamed(section_context& ctx, int stmt) {
    // The statement's findings are the last ones so far.
    for (auto it = ctx.findings.rbegin(); it != ctx.findings.rend() && it->stmt == stmt; ++it)
        if (is(it->finding, rule::non_transactional_in_transaction)) return;
    const std::string what = cannot_run_in_transaction(ctx, stmt);
    if (what.empty()) return;
    // The classifier's names, worded as lint's messages word them.
    static const std::map<std::string, std::string> wording = {
        {"CREATE SUBSCRIPTION", "CREATE SUBSCRIPTION (creating a replication slot)"},
        {"DROP SUBSCRIPTION", "DROP SUBSCRIPTION (with a replication slot)"},
        {"ALTER DATABASE ... SET TABLESPACE", "ALTER DATABASE … SET TABLESPACE"}};
    const auto it = wording.find(what);
    report(ctx, stmt, it != wording.end() ? it->second : what, {});
}

} // namespace pgmig::detail::lint
