// pgmig — lint rules on pgmig's transaction: transaction-control-in-transaction
// and non-transactional-in-transaction.
//
// Whether a statement cannot run inside a transaction block is decided by the
// one classifier the migration-file parser and the executor use
// (core::non_transactional_statement), on the statement's text, so lint and
// the parser agree by construction. The parse tree only names the statement
// and its table in the message.
#pragma once

#include "lint/section_context.hpp"

#include <string>

namespace pgmig::detail::lint {

/// BEGIN, COMMIT, SAVEPOINT, … in a transactional section.
void transaction_control(section_context& ctx, int stmt, const json& body);

/// Reports statement `stmt`, named `what` (about `relation`), when the section
/// runs in a transaction and the classifier says the statement cannot.
/// Statement handlers call it for each statement they can name precisely
/// ("CREATE INDEX CONCURRENTLY users_email_idx ON users").
void non_transactional(section_context& ctx, int stmt, const std::string& what, const std::string& relation = {});

/// After the handlers of statement `stmt` ran: reports it under the classifier's
/// own name when it cannot run in the section's transaction and no handler named it.
void non_transactional_unnamed(section_context& ctx, int stmt);

} // namespace pgmig::detail::lint
