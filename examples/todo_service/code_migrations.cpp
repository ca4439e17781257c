// todo_service's migrations written in C++.
#include "code_migrations.hpp"
#include "todo_service/migrations.hpp" // generated: todo_service::migrations()

#include <pgmig/session.hpp>

#include <string>

namespace todo {

pgmig::code_migration backfill_title_key(std::int64_t batch_size) {
    pgmig::code_migration m;
    m.version = 20240315000000;
    m.name = "backfill_todos_title_key";
    m.checksum = "v1"; // change it when what the migration does changes
    m.no_transaction = true;
    m.up = [batch_size](pgmig::session& s) {
        s.execute("ALTER TABLE todos ADD COLUMN IF NOT EXISTS title_key text");
        std::int64_t rows = 0, batches = 0;
        for (;;) {
            // affected_rows(): the rows this UPDATE changed (a SELECT's rows would not be a count of changes).
            const std::int64_t n = s.affected_rows(
                "UPDATE todos SET title_key = lower(btrim(title)) WHERE id IN "
                "(SELECT id FROM todos WHERE title_key IS NULL ORDER BY id LIMIT $1)",
                {batch_size});
            if (n == 0) break;
            rows += n;
            ++batches;
        }
        s.log("title_key filled in " + std::to_string(rows) + " rows, " + std::to_string(batches) + " batches");
    };
    m.down = [](pgmig::session& s) { s.execute("ALTER TABLE todos DROP COLUMN IF EXISTS title_key"); };
    return m;
}

const pgmig::migration_set& all_migrations() {
    // Built on the first call and never destroyed (valid during static destruction).
    static const pgmig::migration_set& set =
        *new pgmig::migration_set(todo_service::migrations().with_code({backfill_title_key()}));
    return set;
}

} // namespace todo
