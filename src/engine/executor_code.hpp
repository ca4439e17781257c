// pgmig — running a migration written in C++ (docs/code-migrations.md): its
// up or down function gets a pgmig::session on the migrations' connection,
// in the migration's transaction with its history row and the lock fence
// (executor.cpp's transactional path), or outside a transaction with the
// `running` row of the no-transaction executor.
#pragma once

#include "engine/db.hpp"
#include "engine/executor.hpp"

#include <pgmig/error.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/session.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pgmig {

/// The session's state (engine side of the pimpl).
struct session::impl {
    detail::engine::db_connection& conn;
    bool in_transaction = false;
    std::int64_t version = 0;
    std::string file;
    const logger& log;
    /// No-transaction: the lock fence's check before each statement (engine/lock.hpp), or nullptr.
    const std::function<void()>* between = nullptr;
};

namespace detail::engine {

/// Makes the sessions the executor hands to a code migration's functions.
struct session_access {
    static session make(db_connection& conn, bool in_transaction, std::int64_t version, const std::string& file,
                        const logger& log, const std::function<void()>* between = nullptr);
};

/// What session::execute() throws when the server rejects a statement: a
/// pgmig::error (migration_failed) for the migration's author, which keeps the
/// server's error and the statement for the executor's report.
class code_sql_error : public error {
public:
    code_sql_error(const db_error& cause, std::string statement, std::int64_t version, const std::string& file);
    const db_error& cause() const noexcept { return cause_; }
    const std::string& statement() const noexcept { return statement_; }

private:
    db_error cause_;
    std::string statement_;
};

/// A code migration's function threw something other than a rejected
/// statement or a lost connection: `what` says what.
struct code_exception : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Call `fn` with a session; a rejected statement comes out as its db_error
/// (with the statement in `failed_statement`), a lost connection as it is,
/// a fence violation (from `between`) as it is, anything else as code_exception.
void call_code(const std::function<void(session&)>& fn, db_connection& conn, bool in_transaction,
               std::int64_t version, const std::string& file, const logger& log, std::string& failed_statement,
               const std::function<void()>* between = nullptr);

/// A no-transaction code migration (code_migration::no_transaction): a
/// `running` row (one "statement": the function) first, the function's
/// statements each committing on their own, then the row becomes `success`,
/// or `failed` with the error, and error(migration_failed) is thrown. A
/// resumed (interrupted or repaired) run calls the function again from the
/// start, closing the earlier run's row. Returns the execution time in ms.
std::int64_t run_code_no_transaction(exec_context& ctx, const migration& m, direction dir,
                                     const core::resume_point* resume);

/// The up_sql and up_sql_bytes values (up_sql_values) of a C++ migration's
/// success row: no text recorded (the drift diff says so).
inline const std::string code_up_sql_values = "NULL, NULL";

/// What --dry-run shows where a C++ migration's function runs (one SQL
/// comment line): its statements are not known before it runs.
std::string code_placeholder_sql(const migration& m, direction dir);

/// The statements run_code_no_transaction sends, for --dry-run.
std::vector<std::string> code_no_transaction_sql(const history_table_name& t, const options& opts, const migration& m,
                                                 direction dir, const core::resume_point* resume);

} // namespace detail::engine
} // namespace pgmig
