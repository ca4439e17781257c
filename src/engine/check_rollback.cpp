// check-rollback: each pending migration's up, then down, inside one transaction that is rolled back.
#include "engine/check_rollback.hpp"
#include "engine/executor_code.hpp"
#include "engine/schema_snapshot.hpp"
#include "core/sql_lexer.hpp"
#include "lint/rules.hpp"

#include <pgmig/lint.hpp>

namespace pgmig::detail::engine {

namespace {

bool has_rule(const migration_lint& l, bool down, lint::rule rule) {
    for (const lint_finding& f : l.findings)
        if (f.down == down && lint::is(f, rule)) return true;
    return false;
}

std::string failure(const db_error& e, const std::string& what, const std::string& file, int section_line) {
    std::string out = what + " failed";
    if (e.line > 0) out += " at " + file + ":" + std::to_string(section_line + e.line - 1);
    return out + ": " + e.primary + " (SQLSTATE " + (e.sqlstate.empty() ? "?????" : e.sqlstate) + ")";
}

// Run a migration's up or down in the check's transaction: its SQL, or its
// C++ function on a session (whose own exception becomes a db_error without SQLSTATE).
void run_part(db_connection& c, const migration& m, bool up, const options& opts) {
    if (m.code == nullptr) {
        const std::string& sql = up ? m.up_sql : m.down_sql;
        if (!core::is_empty_sql(sql)) c.exec(sql);
        return;
    }
    std::string statement;
    try {
        call_code(up ? m.code->up : m.code->down, c, true, m.version, m.file, opts.log, statement);
    } catch (const code_exception& e) {
        throw db_error(e.what(), "", std::string("its C++ function threw: ") + e.what(), 0);
    }
}

} // namespace

std::vector<rollback_check> check_rollbacks(db_connection& c, const std::vector<const migration*>& migrations,
                                            const options& opts) {
    std::vector<rollback_check> out;
    if (migrations.empty()) return out;
    c.exec("BEGIN");
    struct always_rollback {
        db_connection& c;
        ~always_rollback() {
            try {
                c.exec("ROLLBACK");
            } catch (...) {
            }
        }
    } guard{c};
    std::string broken; // why later migrations cannot be checked
    for (const migration* m : migrations) {
        rollback_check r;
        r.version = m->version;
        r.name = m->name;
        r.file = m->file;
        const auto skip = [&](const std::string& why) {
            r.status = "skipped";
            r.reason = why;
            out.push_back(r);
        };
        if (!broken.empty()) {
            skip(broken);
            continue;
        }
        const migration_lint lint = lint_migration(*m, lint_options{true, {}});
        const std::string v = std::to_string(m->version);
        if (m->up_no_transaction || has_rule(lint, false, lint::rule::transaction_control_in_transaction) ||
            has_rule(lint, false, lint::rule::non_transactional_in_transaction)) {
            skip(m->up_no_transaction ? "its up runs outside a transaction (-- pgmig:no-transaction, or a C++ migration's no_transaction), so it cannot be applied "
                                        "and undone inside the check's transaction"
                                      : "its up holds statements that cannot run inside the check's transaction");
            broken = "migration " + v + " before it could not be applied in the check (" + out.back().reason +
                     "), so its schema cannot be built";
            continue;
        }
        const bool checkable = m->reversible && !m->down_no_transaction &&
                               !has_rule(lint, true, lint::rule::transaction_control_in_transaction) &&
                               !has_rule(lint, true, lint::rule::non_transactional_in_transaction);
        if (m->lock_timeout_ms >= 0)
            c.exec("SET LOCAL lock_timeout = '" + std::to_string(m->lock_timeout_ms) + "ms'");
        else
            c.exec("SET LOCAL lock_timeout = '" + std::to_string(opts.ddl_lock_timeout.count()) + "ms'");
        std::vector<std::string> before;
        if (checkable) before = schema_snapshot(c);
        c.exec("SAVEPOINT pgmig_check_up");
        try {
            run_part(c, *m, true, opts);
        } catch (const db_error& e) {
            c.exec("ROLLBACK TO SAVEPOINT pgmig_check_up");
            r.status = "failed";
            r.reason = failure(e, "up", m->file, m->up_line);
            out.push_back(r);
            broken = "migration " + v + " before it failed to apply, so its schema cannot be built";
            continue;
        }
        if (!checkable) {
            skip(!m->reversible ? "not reversible: no down section"
                 : m->down_no_transaction
                     ? "its down runs outside a transaction (-- pgmig:no-transaction), so it cannot be undone inside the check's transaction"
                     : "its down holds statements that cannot run inside the check's transaction");
            continue;
        }
        c.exec("SAVEPOINT pgmig_check_down");
        try {
            run_part(c, *m, false, opts);
            const std::vector<std::string> after = schema_snapshot(c);
            r.diff = snapshot_diff(before, after);
            r.status = r.diff.empty() ? "ok" : "differs";
        } catch (const db_error& e) {
            r.status = "failed";
            r.reason = failure(e, "down", m->down_file.empty() ? m->file : m->down_file, m->down_line);
        }
        // Undo the down: the next migration starts from the schema after this up.
        c.exec("ROLLBACK TO SAVEPOINT pgmig_check_down");
        out.push_back(r);
    }
    return out;
}

} // namespace pgmig::detail::engine
