// pgmig — what a migration written in C++ talks to the database through
// (docs/code-migrations.md). It wraps pgmig's own connection: no driver type
// appears here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace pgmig {

namespace detail::engine {
struct session_access;
}

/// A parameter of session::execute() ($1, $2, …), sent as text (the server
/// converts it to the type the statement needs): a string, an integer, a
/// bool, an optional of those, or NULL (nullptr, std::nullopt).
class sql_param {
public:
    sql_param(std::nullptr_t) noexcept {}
    sql_param(std::nullopt_t) noexcept {}
    sql_param(const char* text) {
        if (text != nullptr) value_ = std::string(text);
    }
    sql_param(std::string text) : value_(std::move(text)) {}
    sql_param(std::string_view text) : value_(std::string(text)) {}
    sql_param(bool b) : value_(b ? "true" : "false") {}
    template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
    sql_param(T n) : value_(std::to_string(n)) {}
    template <class T>
    sql_param(const std::optional<T>& v) {
        if (v) value_ = sql_param(*v).value_;
    }

    /// The text sent; nullopt is NULL.
    const std::optional<std::string>& value() const noexcept { return value_; }

private:
    std::optional<std::string> value_;
};

/// What a statement returned, fully fetched: its rows (values as PostgreSQL's
/// text output, nullopt for NULL) and its command tag.
class result {
public:
    result() = default;
    result(std::vector<std::string> columns, std::vector<std::vector<std::optional<std::string>>> rows,
           std::string command);

    /// Rows returned (a SELECT's count, an UPDATE … RETURNING's rows).
    std::size_t size() const noexcept { return rows_.size(); }
    bool empty() const noexcept { return rows_.empty(); }
    const std::vector<std::string>& columns() const noexcept { return columns_; }
    /// The value of a cell; throws std::out_of_range for a row or column that does not exist.
    const std::optional<std::string>& at(std::size_t row, std::size_t column) const;
    const std::optional<std::string>& at(std::size_t row, std::string_view column) const;
    /// The command tag, e.g. "UPDATE 500", "SELECT 3", "INSERT 0 1".
    const std::string& command() const noexcept { return command_; }
    /// Rows an INSERT, UPDATE, DELETE or MERGE changed (with or without
    /// RETURNING). Throws pgmig::error (usage) for any other command: the rows
    /// a SELECT returned are size(), not rows it changed.
    std::int64_t affected_rows() const;

private:
    std::vector<std::string> columns_;
    std::vector<std::vector<std::optional<std::string>>> rows_;
    std::string command_;
};

/// The database as a C++ migration's up or down function sees it: pgmig's
/// migration connection, under the migration lock. In a transactional
/// migration every statement runs in the migration's transaction (which also
/// writes its history row and commits at the end, or is rolled back when the
/// function throws); do not COMMIT or ROLLBACK yourself. In a no-transaction
/// migration each execute() commits on its own (send BEGIN … COMMIT in one
/// execute() without parameters to group statements).
///
/// A statement the server rejects throws pgmig::error (migration_failed) with
/// the server's message and SQLSTATE (where().sqlstate); let it propagate:
/// the migration then fails and is reported like a failed SQL migration.
class session {
public:
    ~session();
    session(const session&) = delete;
    session& operator=(const session&) = delete;

    /// Without parameters: one or more statements (separated by ';'), the
    /// result of the last. With parameters: exactly one statement, whose $1,
    /// $2, … are `params` in order.
    result execute(std::string_view sql, const std::vector<sql_param>& params = {});
    /// The first column of the first row (nullopt for NULL or no row).
    std::optional<std::string> value(std::string_view sql, const std::vector<sql_param>& params = {});
    /// execute() of an INSERT, UPDATE, DELETE or MERGE: the rows it changed.
    std::int64_t affected_rows(std::string_view sql, const std::vector<sql_param>& params = {});

    /// True in a transactional migration, false in a no-transaction one.
    bool in_transaction() const noexcept;
    /// The migration being run.
    std::int64_t version() const noexcept;
    /// A line in pgmig's log (options::log), at level info.
    void log(std::string_view message) const;

    struct impl;

private:
    friend struct detail::engine::session_access;
    explicit session(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

} // namespace pgmig
