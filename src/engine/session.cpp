// pgmig::session and pgmig::result: what a C++ migration's functions talk to
// the database through, on the migrations' connection (engine/db.hpp).
#include "engine/executor_code.hpp"
#include "engine/lock.hpp"

#include <cstdlib>
#include <stdexcept>

namespace pgmig {

// ------------------------------------------------------------ result

result::result(std::vector<std::string> columns, std::vector<std::vector<std::optional<std::string>>> rows,
               std::string command)
    : columns_(std::move(columns)), rows_(std::move(rows)), command_(std::move(command)) {}

const std::optional<std::string>& result::at(std::size_t row, std::size_t column) const {
    if (row >= rows_.size())
        throw std::out_of_range("row " + std::to_string(row) + " of a result of " + std::to_string(rows_.size()) +
                                " rows");
    if (column >= columns_.size())
        throw std::out_of_range("column " + std::to_string(column) + " of a result of " +
                                std::to_string(columns_.size()) + " columns");
    return rows_[row][column];
}

const std::optional<std::string>& result::at(std::size_t row, std::string_view column) const {
    for (std::size_t i = 0; i < columns_.size(); ++i)
        if (columns_[i] == column) return at(row, i);
    throw std::out_of_range("no column \"" + std::string(column) + "\" in the result (" + command_ + ")");
}

std::int64_t result::affected_rows() const {
    // The tag is "<COMMAND> [oid] <rows>": only these commands' rows are rows they changed.
    const std::string verb = command_.substr(0, command_.find(' '));
    if (verb != "INSERT" && verb != "UPDATE" && verb != "DELETE" && verb != "MERGE")
        throw error(error_code::usage,
                    "affected_rows() is the count of rows an INSERT, UPDATE, DELETE or MERGE changed, but the "
                    "statement was " + (command_.empty() ? std::string("not one") : "a " + verb + " (\"" + command_ + "\")") +
                        ": the rows a query returned are size()");
    const std::size_t space = command_.rfind(' ');
    return space == std::string::npos ? 0 : std::atoll(command_.c_str() + space + 1);
}

// ------------------------------------------------------------ session

session::session(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
session::~session() = default;

result session::execute(std::string_view sql, const std::vector<sql_param>& params) {
    const std::string text(sql);
    if (impl_->between != nullptr) (*impl_->between)(); // no transaction fences it: is the lock still held?
    detail::engine::db_result r;
    try {
        std::vector<detail::engine::db_value> values;
        values.reserve(params.size());
        for (const sql_param& p : params) values.push_back(p.value());
        r = impl_->conn.query_params(text, values);
    } catch (const detail::engine::db_error& e) {
        throw detail::engine::code_sql_error(e, text, impl_->version, impl_->file);
    }
    return result(std::move(r.columns), std::move(r.rows), std::move(r.command));
}

std::optional<std::string> session::value(std::string_view sql, const std::vector<sql_param>& params) {
    const result r = execute(sql, params);
    if (r.empty() || r.columns().empty()) return std::nullopt;
    return r.at(0, std::size_t{0});
}

std::int64_t session::affected_rows(std::string_view sql, const std::vector<sql_param>& params) {
    return execute(sql, params).affected_rows();
}

bool session::in_transaction() const noexcept { return impl_->in_transaction; }

std::int64_t session::version() const noexcept { return impl_->version; }

void session::log(std::string_view message) const {
    if (impl_->log) impl_->log(log_level::info, "migration " + std::to_string(impl_->version) + " (" + impl_->file +
                                                    "): " + std::string(message));
}

namespace detail::engine {

session session_access::make(db_connection& conn, bool in_transaction, std::int64_t version, const std::string& file,
                             const logger& log, const std::function<void()>* between) {
    return session(
        std::unique_ptr<session::impl>(new session::impl{conn, in_transaction, version, file, log, between}));
}

namespace {

std::string first_line_of(const std::string& s) {
    std::string l = s.substr(0, s.find('\n'));
    if (l.size() > 120) l = l.substr(0, 117) + "...";
    return l;
}

} // namespace

code_sql_error::code_sql_error(const db_error& cause, std::string statement, std::int64_t version,
                               const std::string& file)
    : error(error_code::migration_failed,
            cause.primary + " (SQLSTATE " + (cause.sqlstate.empty() ? std::string("?????") : cause.sqlstate) +
                ") in: " + first_line_of(statement),
            error_location{file, 0, version, cause.sqlstate}),
      cause_(cause), statement_(std::move(statement)) {}

void call_code(const std::function<void(session&)>& fn, db_connection& conn, bool in_transaction,
               std::int64_t version, const std::string& file, const logger& log, std::string& failed_statement,
               const std::function<void()>* between) {
    session s = session_access::make(conn, in_transaction, version, file, log, between);
    try {
        fn(s);
    } catch (const code_sql_error& e) {
        failed_statement = e.statement();
        db_error cause = e.cause();
        cause.line = 0; // a line of the statement, not of a file
        throw cause;
    } catch (const connection_error&) {
        throw;
    } catch (const fence_violation&) {
        throw;
    } catch (const std::exception& e) {
        throw code_exception(e.what());
    } catch (...) {
        throw code_exception("it threw an exception that is not a std::exception");
    }
}

} // namespace detail::engine
} // namespace pgmig
