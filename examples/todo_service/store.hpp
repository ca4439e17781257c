// todo_service's own work on its database: users and their todos. Plain
// libpqxx on the tables the migrations create; what the service's tests
// (tests/) exercise, each against a fresh database from pgmig::testing.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace todo {

struct summary {
    std::int64_t total = 0;
    std::int64_t done = 0;
    std::int64_t with_completion_time = 0; ///< done, with completed_at set
};

struct user {
    std::int64_t id = 0;
    std::string display_name;
};

/// One connection to the service's database (a conninfo or postgres:// URL).
class store {
public:
    explicit store(const std::string& conninfo);
    ~store();
    store(const store&) = delete;
    store& operator=(const store&) = delete;

    /// The user with this e-mail address, created when new (display name: the
    /// address's local part). Throws when the address has no '@' (a CHECK).
    user ensure_user(const std::string& email);
    /// A new open todo of the user; its id.
    std::int64_t add_todo(std::int64_t user_id, const std::string& title);
    /// Mark a todo done now. False when there is no such open todo.
    bool complete(std::int64_t todo_id);
    /// The user's todos, counted.
    summary summarize(std::int64_t user_id);
    /// Delete a user (and, by the foreign key, their todos).
    void remove_user(std::int64_t user_id);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace todo
