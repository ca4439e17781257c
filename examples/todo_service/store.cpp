// todo_service's work on its database (see store.hpp).
#include "store.hpp"

#include <pqxx/pqxx>

namespace todo {

struct store::impl {
    explicit impl(const std::string& conninfo) : conn(conninfo) {}
    pqxx::connection conn;
};

store::store(const std::string& conninfo) : impl_(std::make_unique<impl>(conninfo)) {}
store::~store() = default;

user store::ensure_user(const std::string& email) {
    pqxx::work tx(impl_->conn);
    const pqxx::result r = tx.exec(
        "INSERT INTO users (email, display_name, email_domain) VALUES (" + tx.quote(email) + ", split_part(" +
        tx.quote(email) + ", '@', 1), split_part(" + tx.quote(email) + ", '@', 2)) ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id, display_name");
    tx.commit();
    return user{r.at(0).at(0).as<std::int64_t>(), r.at(0).at(1).c_str()};
}

std::int64_t store::add_todo(std::int64_t user_id, const std::string& title) {
    pqxx::work tx(impl_->conn);
    const pqxx::result r = tx.exec("INSERT INTO todos (user_id, title, title_key) VALUES (" + std::to_string(user_id) +
                                   ", " + tx.quote(title) + ", lower(btrim(" + tx.quote(title) + "))) RETURNING id");
    tx.commit();
    return r.at(0).at(0).as<std::int64_t>();
}

bool store::complete(std::int64_t todo_id) {
    pqxx::work tx(impl_->conn);
    const pqxx::result r = tx.exec("UPDATE todos SET done = true, completed_at = now() WHERE id = " +
                                   std::to_string(todo_id) + " AND NOT done");
    tx.commit();
    return r.affected_rows() == 1;
}

summary store::summarize(std::int64_t user_id) {
    pqxx::work tx(impl_->conn);
    const pqxx::result r = tx.exec(
        "SELECT count(*), count(*) FILTER (WHERE done), count(*) FILTER (WHERE done AND completed_at IS NOT NULL) "
        "FROM todos WHERE user_id = " + std::to_string(user_id));
    tx.commit();
    return summary{r.at(0).at(0).as<std::int64_t>(), r.at(0).at(1).as<std::int64_t>(),
                   r.at(0).at(2).as<std::int64_t>()};
}

void store::remove_user(std::int64_t user_id) {
    pqxx::work tx(impl_->conn);
    (void)tx.exec("DELETE FROM users WHERE id = " + std::to_string(user_id));
    tx.commit();
}

} // namespace todo
