// The history table's shapes against a real PostgreSQL: a table of every
// earlier shape (with real rows) is upgraded in place under the lock with
// nothing lost, reads without the lock never write, a newer shape is used as
// it is; history table names at PostgreSQL's 63-byte limit.
#include "support/server.hpp"

#include "core/identifier.hpp"
#include "engine/history.hpp"
#include "engine/migrator.hpp"

#include <pgmig/pgmig.hpp>

#include <boost/test/unit_test.hpp>

using namespace pgmig_test;

namespace {

/// Shape 1 exactly as pgmig created it before shapes existed (main at e8220b9).
std::string shape_1_ddl(const std::string& table) {
    return "CREATE TABLE public." + table +
           " (\n"
           "    id               bigserial   PRIMARY KEY,\n"
           "    version          bigint      NOT NULL,\n"
           "    name             text        NOT NULL,\n"
           "    checksum         text        NOT NULL,\n"
           "    applied_at       timestamptz NOT NULL DEFAULT now(),\n"
           "    direction        text        NOT NULL CHECK (direction IN ('up', 'down')),\n"
           "    status           text        NOT NULL CHECK (status IN ('success', 'failed', 'running', 'reverted', "
           "'repaired')),\n"
           "    error_message    text,\n"
           "    execution_ms     bigint      NOT NULL DEFAULT 0,\n"
           "    applied_by       text        NOT NULL DEFAULT '',\n"
           "    down_sql         text,\n"
           "    statements_done  integer     NOT NULL DEFAULT 0,\n"
           "    statements_total integer     NOT NULL DEFAULT 0\n"
           ")";
}

/// public.schema_migrations of an earlier `shape` (2 or 3) exactly as pgmig created it then,
/// with its unique index: shape 1 plus, for 2, the run's identity; for 3, phases and batch progress.
std::string earlier_shape_ddl(int shape) {
    std::string ddl = shape_1_ddl("schema_migrations") +
                      "; ALTER TABLE public.schema_migrations ADD COLUMN run_id text, ADD COLUMN backend_pid integer, "
                      "ADD COLUMN backend_start timestamptz";
    if (shape >= 3)
        ddl += "; ALTER TABLE public.schema_migrations ADD COLUMN phase text, ADD COLUMN batches_done bigint, "
               "ADD COLUMN batch_rows bigint";
    return ddl + "; CREATE UNIQUE INDEX schema_migrations_version_direction_success ON public.schema_migrations "
                 "(version, direction) WHERE status = 'success'";
}

const std::vector<std::pair<std::string, std::string>> files = {
    {"000001_a.up.sql", "CREATE TABLE a (id int);\n"},
    {"000001_a.down.sql", "DROP TABLE a;\n"},
    {"000002_b.up.sql", "CREATE TABLE b (id int);\n"},
    {"000003_c.up.sql", "CREATE TABLE c (id int);\n"},
};

/// Every shape-1 column of every row, as text: what must survive an upgrade.
std::string dump_shape_1(scratch_database& db, const std::string& table) {
    std::string out;
    const auto r = db.query("SELECT id, version, name, checksum, applied_at, direction, status, "
                            "coalesce(error_message, '<null>'), execution_ms, applied_by, coalesce(down_sql, '<null>'), "
                            "statements_done, statements_total FROM public." + table + " ORDER BY id");
    for (std::size_t i = 0; i < r.size(); ++i) {
        for (std::size_t c = 0; c < r.columns.size(); ++c) out += r.text(i, c) + "|";
        out += "\n";
    }
    return out;
}

/// The columns of a table with their types, defaults and nullability, in order.
std::string columns_of(scratch_database& db, const std::string& schema, const std::string& table) {
    return db.scalar("SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod) || ' ' || attnotnull || ' ' "
                     "|| coalesce(pg_get_expr(d.adbin, d.adrelid), '-'), ', ' ORDER BY attnum) "
                     "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                     "WHERE attrelid = '" + schema + "." + table + "'::regclass AND attnum > 0 AND NOT attisdropped");
}

} // namespace

BOOST_AUTO_TEST_SUITE(history_shapes)

BOOST_AUTO_TEST_CASE(shape_1_with_real_rows_is_upgraded_under_the_lock_and_nothing_is_lost) {
    scratch_database db("shape1");
    const auto set = make_set(files);
    // A shape-1 history as an earlier pgmig left it: 1 applied, rolled back and
    // applied again (reverted rows), 2 failed once then repaired then applied.
    db.exec("CREATE TABLE a (id int); CREATE TABLE b (id int);");
    db.exec(shape_1_ddl("schema_migrations") +
            "; CREATE UNIQUE INDEX schema_migrations_version_direction_success ON public.schema_migrations "
            "(version, direction) WHERE status = 'success'");
    const std::string c1 = set.find(1)->checksum, c2 = set.find(2)->checksum;
    db.exec("INSERT INTO schema_migrations (version, name, checksum, direction, status, execution_ms, applied_by, "
            "down_sql, applied_at) VALUES "
            "(1, 'a', '" + c1 + "', 'up', 'reverted', 4, 'deploy@h1 (pgmig)', 'DROP TABLE a;\n', '2024-01-01 10:00Z'),"
            "(1, 'a', '" + c1 + "', 'down', 'reverted', 2, 'deploy@h1 (pgmig)', NULL, '2024-01-01 11:00Z'),"
            "(1, 'a', '" + c1 + "', 'up', 'success', 3, 'deploy@h2 (pgmig)', 'DROP TABLE a;\n', '2024-01-02 10:00Z')");
    db.exec("INSERT INTO schema_migrations (version, name, checksum, direction, status, error_message, "
            "statements_done, statements_total) VALUES "
            "(2, 'b', '" + c2 + "', 'up', 'repaired', 'SQLSTATE 42P07 at line 1 of 000002_b.up.sql: exists', 0, 0),"
            "(2, 'b', '" + c2 + "', 'up', 'success', NULL, 0, 0)");
    const std::string before = dump_shape_1(db, "schema_migrations");

    // Reading without the lock (status, plan, the boot's checks) reads shape 1 as it is and writes nothing.
    {
        pgmig::detail::engine::migrator m(db.url(), set, quiet_options());
        BOOST_TEST(!m.probe());
        BOOST_TEST(m.state().rows.size() == 5u);
        BOOST_TEST(m.state().report.pending.size() == 1u);
        const auto& s = m.read();
        BOOST_TEST(s.rows.size() == 5u);
        BOOST_TEST(s.rows[0].run_id.empty());
        BOOST_TEST(s.rows[0].backend_pid == 0);
    }
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.schema_migrations'::regclass "
                         "AND attname = 'run_id'") == "0");

    // A run under the lock upgrades it first, then applies 3.
    std::vector<std::string> log;
    const auto r = pgmig::migrate_on_startup(db.url(), set, quiet_options(&log));
    BOOST_TEST(r.applied.size() == 1u);
    bool said_so = false;
    for (const std::string& l : log)
        if (l.find("upgraded the history table public.schema_migrations from shape 1 to shape " +
                   std::to_string(pgmig::detail::engine::current_history_shape())) != std::string::npos)
            said_so = true;
    BOOST_TEST(said_so);

    // Nothing lost: every earlier row is as it was, the new row follows.
    const std::string after = dump_shape_1(db, "schema_migrations");
    BOOST_TEST(after.substr(0, before.size()) == before);
    BOOST_TEST(std::stoi(db.scalar("SELECT count(*) FROM schema_migrations")) == 6);
    // The upgraded table has exactly the columns of a table created fresh.
    scratch_database fresh("shape_fresh");
    pgmig::migrate_on_startup(fresh.url(), set, quiet_options());
    BOOST_TEST(columns_of(db, "public", "schema_migrations") == columns_of(fresh, "public", "schema_migrations"));
    // Idempotent: the next boot is a no-op that neither upgrades nor locks.
    log.clear();
    BOOST_TEST(!pgmig::migrate_on_startup(db.url(), set, quiet_options(&log)).took_lock);
    for (const std::string& l : log) BOOST_TEST(l.find("upgraded") == std::string::npos, l);
    // And the history reads as before (rollback works through the stored down SQL of row 3).
    pgmig::detail::engine::migrator m(db.url(), set, quiet_options());
    const auto& s = m.read();
    BOOST_TEST(s.report.applied.size() == 3u);
    BOOST_TEST(s.report.problems.empty());
}

BOOST_AUTO_TEST_CASE(shape_2_with_real_rows_is_upgraded_to_phases_and_batch_progress) {
    scratch_database db("shape2");
    const auto set = make_set(files);
    // Shape 2 as pgmig created it before phases: shape 1 plus the run's identity.
    db.exec("CREATE TABLE a (id int); CREATE TABLE b (id int);");
    db.exec(earlier_shape_ddl(2));
    const std::string c1 = set.find(1)->checksum, c2 = set.find(2)->checksum;
    db.exec("INSERT INTO schema_migrations (version, name, checksum, direction, status, execution_ms, applied_by, "
            "down_sql, statements_done, statements_total, run_id, backend_pid, backend_start) VALUES "
            "(1, 'a', '" + c1 + "', 'up', 'success', 4, 'deploy@h1 (pgmig)', 'DROP TABLE a;\n', 0, 0, NULL, NULL, NULL),"
            "(2, 'b', '" + c2 + "', 'up', 'repaired', 9, 'deploy@h1 (pgmig)', NULL, 1, 2, 'run-7', 4242, "
            "'2024-03-01 10:00Z'),"
            "(2, 'b', '" + c2 + "', 'up', 'success', 5, 'deploy@h2 (pgmig)', NULL, 2, 2, 'run-8', 4343, "
            "'2024-03-01 11:00Z')");
    const std::string before = dump_shape_1(db, "schema_migrations");
    const std::string runs_before = db.scalar(
        "SELECT string_agg(coalesce(run_id, '-') || ' ' || coalesce(backend_pid::text, '-'), ', ' ORDER BY id) "
        "FROM schema_migrations");

    // Read without the lock: shape 2 as it is (no phase column yet, read as the default).
    {
        pgmig::detail::engine::migrator m(db.url(), set, quiet_options());
        const auto& s = m.read();
        BOOST_TEST(s.rows.size() == 3u);
        BOOST_TEST(s.rows[1].run_id == "run-7");
        BOOST_TEST(s.rows[1].phase.empty());
        BOOST_TEST(s.rows[1].batches_done == 0);
        BOOST_TEST((s.report.applied[0].phase == pgmig::deploy_phase::pre_deploy));
    }
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.schema_migrations'::regclass "
                         "AND attname = 'phase'") == "0");

    std::vector<std::string> log;
    const auto r = pgmig::migrate_on_startup(db.url(), set, quiet_options(&log));
    BOOST_TEST(r.applied == (std::vector<std::int64_t>{3}));
    bool said_so = false;
    for (const std::string& l : log)
        if (l.find("from shape 2 to shape " + std::to_string(pgmig::detail::engine::current_history_shape())) !=
                std::string::npos &&
            l.find("phase") != std::string::npos)
            said_so = true;
    BOOST_TEST(said_so);
    // Nothing lost; the old rows have no phase (pre-deploy), the new one records its own.
    BOOST_TEST(dump_shape_1(db, "schema_migrations").substr(0, before.size()) == before);
    BOOST_TEST(db.scalar("SELECT string_agg(coalesce(run_id, '-') || ' ' || coalesce(backend_pid::text, '-'), ', ' "
                         "ORDER BY id) FROM schema_migrations WHERE id <= 3") == runs_before);
    BOOST_TEST(db.scalar("SELECT string_agg(coalesce(phase, '<null>'), ', ' ORDER BY id) FROM schema_migrations") ==
               "<null>, <null>, <null>, pre-deploy");
    scratch_database fresh("shape2_fresh");
    pgmig::migrate_on_startup(fresh.url(), set, quiet_options());
    BOOST_TEST(columns_of(db, "public", "schema_migrations") == columns_of(fresh, "public", "schema_migrations"));
    pgmig::detail::engine::migrator m(db.url(), set, quiet_options());
    BOOST_TEST(m.read().report.problems.empty());
}

BOOST_AUTO_TEST_CASE(shape_3_with_real_rows_is_upgraded_to_the_recorded_up_sql) {
    scratch_database db("shape3");
    const auto set = make_set(files);
    // Shape 3 as pgmig created it before the recorded up SQL: shapes 1 and 2 plus phases and batch progress.
    db.exec("CREATE TABLE a (id int); CREATE TABLE b (id int);");
    db.exec(earlier_shape_ddl(3));
    const std::string c1 = set.find(1)->checksum, c2 = set.find(2)->checksum;
    db.exec("INSERT INTO schema_migrations (version, name, checksum, direction, status, execution_ms, applied_by, "
            "down_sql, statements_done, statements_total, run_id, backend_pid, backend_start, phase, batches_done, "
            "batch_rows) VALUES "
            "(1, 'a', '" + c1 + "', 'up', 'success', 4, 'deploy@h1 (pgmig)', 'DROP TABLE a;\n', 0, 0, NULL, NULL, "
            "NULL, 'pre-deploy', NULL, NULL),"
            "(2, 'b', '" + c2 + "', 'up', 'success', 5, 'deploy@h2 (pgmig)', NULL, 2, 2, 'run-8', 4343, "
            "'2024-03-01 11:00Z', 'pre-deploy', 3, 3000)");
    const auto all_columns = [&] {
        return db.scalar("SELECT string_agg(concat_ws('|', id, version, name, checksum, applied_at, direction, status, "
                         "error_message, execution_ms, applied_by, down_sql, statements_done, statements_total, run_id, "
                         "backend_pid, backend_start, phase, batches_done, batch_rows), E'\\n' ORDER BY id) "
                         "FROM schema_migrations WHERE id <= 2");
    };
    const std::string before = all_columns();

    // Read without the lock: shape 3 as it is (no up_sql column yet), nothing written.
    {
        pgmig::detail::engine::migrator m(db.url(), set, quiet_options());
        const auto& s = m.read();
        BOOST_TEST(s.rows.size() == 2u);
        BOOST_TEST(s.rows[1].batch_rows == 3000);
        BOOST_TEST(s.report.problems.empty());
    }
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.schema_migrations'::regclass "
                         "AND attname = 'up_sql'") == "0");

    std::vector<std::string> log;
    const auto r = pgmig::migrate_on_startup(db.url(), set, quiet_options(&log));
    BOOST_TEST(r.applied == (std::vector<std::int64_t>{3}));
    bool said_so = false;
    for (const std::string& l : log)
        if (l.find("from shape 3 to shape 4") != std::string::npos && l.find("up SQL") != std::string::npos) said_so = true;
    BOOST_TEST(said_so);
    // Nothing lost; the old rows have no text (not recorded), the new one has its own.
    BOOST_TEST(all_columns() == before);
    BOOST_TEST(db.scalar("SELECT string_agg(coalesce(left(up_sql, 14), '<null>') || ' ' || coalesce(up_sql_bytes::text, "
                         "'<null>'), ', ' ORDER BY id) FROM schema_migrations") ==
               "<null> <null>, <null> <null>, CREATE TABLE c 25");
    scratch_database fresh("shape3_fresh");
    pgmig::migrate_on_startup(fresh.url(), set, quiet_options());
    BOOST_TEST(columns_of(db, "public", "schema_migrations") == columns_of(fresh, "public", "schema_migrations"));
    // Idempotent: the next boot neither upgrades nor locks.
    log.clear();
    BOOST_TEST(!pgmig::migrate_on_startup(db.url(), set, quiet_options(&log)).took_lock);
    for (const std::string& l : log) BOOST_TEST(l.find("upgraded") == std::string::npos, l);
}

BOOST_AUTO_TEST_CASE(a_newer_shape_is_used_as_it_is_and_never_downgraded) {
    scratch_database db("shape_newer");
    const auto set = make_set(files);
    pgmig::migrate_on_startup(db.url(), make_set({files[0], files[1]}), quiet_options());
    // A newer release added a column this binary does not know.
    db.exec("ALTER TABLE schema_migrations ADD COLUMN applied_sql text NOT NULL DEFAULT 'x'");
    const auto r = pgmig::migrate_on_startup(db.url(), set, quiet_options());
    BOOST_TEST(r.applied.size() == 2u);
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations WHERE applied_sql = 'x'") == "3");
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations WHERE status = 'success'") == "3");
}

BOOST_AUTO_TEST_CASE(names_of_63_bytes_work_64_bytes_are_a_usage_error) {
    scratch_database db("names");
    const auto set = make_set(files);
    const std::string e_acute = "\xC3\xA9";
    for (const std::string& table : {std::string(63, 't'), std::string(61, 'u') + e_acute}) {
        pgmig::options o = quiet_options();
        o.history_table = {"public", table};
        const auto r = pgmig::migrate_on_startup(db.url(), set, o);
        BOOST_TEST(r.applied.size() == 3u);
        BOOST_TEST(db.table_exists("public", table));
        // The unique index exists and guards against a second success row.
        const std::string index = pgmig::detail::core::history_index_name(o.history_table);
        BOOST_TEST(db.scalar("SELECT count(*) FROM pg_class WHERE relname = " +
                             pgmig::detail::engine::quote_literal(index) + " AND relkind = 'i'") == "1");
        BOOST_CHECK_THROW(db.exec("INSERT INTO public." + pgmig::detail::engine::quote_ident(table) +
                                  " (version, name, checksum, direction, status) VALUES (2, 'b', 'x', 'up', 'success')"),
                          pgmig::detail::engine::db_error);
        BOOST_TEST(!pgmig::migrate_on_startup(db.url(), set, o).took_lock);
        db.exec("DROP TABLE a, b, c");
    }
    for (const std::string& table : {std::string(64, 'w'), std::string(62, 'v') + e_acute}) {
        pgmig::options o = quiet_options();
        o.history_table = {"public", table};
        const pgmig::error e = expect_error([&] { pgmig::migrate_on_startup(db.url(), set, o); });
        const std::string msg = e.what();
        BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(pgmig::error_code::usage), msg);
        BOOST_TEST(msg.find("is 64 bytes long") != std::string::npos, msg);
        BOOST_TEST(msg.find("invalid byte sequence") == std::string::npos, msg);
    }
    // Nothing of the refused names was created.
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_class WHERE relname LIKE 'vvvv%' OR relname LIKE 'wwww%'") == "0");
    BOOST_TEST(!db.table_exists("public", "a"));
    pgmig::options o = quiet_options();
    o.history_table = {std::string(64, 's'), "schema_migrations"};
    BOOST_TEST(static_cast<int>(expect_error([&] { pgmig::migrate_on_startup(db.url(), set, o); }).code()) ==
               static_cast<int>(pgmig::error_code::usage));
}

BOOST_AUTO_TEST_CASE(a_63_byte_table_an_earlier_pgmig_left_without_its_unique_index_gets_it) {
    scratch_database db("names_noindex");
    const auto set = make_set(files);
    const std::string table(63, 'h');
    // What an earlier pgmig made of a 63-byte name: the index name truncated to the
    // table's own name, so CREATE UNIQUE INDEX IF NOT EXISTS skipped it.
    db.exec(shape_1_ddl(table));
    db.exec("CREATE TABLE a (id int); INSERT INTO " + table + " (version, name, checksum, direction, status) VALUES (1, "
            "'a', '" + set.find(1)->checksum + "', 'up', 'success')");
    pgmig::options o = quiet_options();
    o.history_table = {"public", table};
    BOOST_TEST(pgmig::migrate_on_startup(db.url(), set, o).applied.size() == 2u);
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_index WHERE indrelid = 'public." + table +
                         "'::regclass AND indisunique AND NOT indisprimary") == "1");

    // If the missing index let a duplicate in, the upgrade says what to do and changes nothing.
    scratch_database dup("names_dup");
    dup.exec(shape_1_ddl(table));
    dup.exec("CREATE TABLE a (id int); INSERT INTO " + table + " (version, name, checksum, direction, status) VALUES "
             "(1, 'a', '" + set.find(1)->checksum + "', 'up', 'success'), (1, 'a', '" + set.find(1)->checksum +
             "', 'up', 'success')");
    const pgmig::error e = expect_error([&] { pgmig::migrate_on_startup(dup.url(), set, o); });
    BOOST_TEST(std::string(e.what()).find("two 'success' rows of the same version") != std::string::npos, e.what());
    BOOST_TEST(!dup.table_exists("public", "b"));
    BOOST_TEST(dup.scalar("SELECT count(*) FROM pg_attribute WHERE attrelid = 'public." + table +
                          "'::regclass AND attname = 'run_id'") == "0"); // the upgrade happened whole or not at all
}

BOOST_AUTO_TEST_SUITE_END()
