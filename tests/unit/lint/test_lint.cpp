// Unit tests: migration lint (rules over libpg_query's parse tree, suppression,
// lines, levels, the rule catalogue and the corpus in tests/data/lint/).
#include <pgmig/error.hpp>
#include <pgmig/lint.hpp>
#include <pgmig/migration.hpp>

#include "lint/lint.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace pgmig {
// Lets Boost.Test print levels in failure messages.
std::ostream& operator<<(std::ostream& os, risk level) { return os << to_string(level); }
} // namespace pgmig

namespace {

using pgmig::lint_finding;
using pgmig::migration_lint;
using pgmig::risk;

const std::string no_tx = "-- pgmig:no-transaction\n";

// A paired-file migration (version 1) with a trivial down file unless `down` is empty.
pgmig::migration paired(const std::string& up, const std::string& down = "SELECT 1;\n") {
    std::vector<pgmig::source_file> files{{"000001_case.up.sql", up}};
    if (!down.empty()) files.push_back({"000001_case.down.sql", down});
    try {
        const pgmig::migration_set set = pgmig::migration_set::from_files(files);
        BOOST_REQUIRE_EQUAL(set.size(), 1u);
        return set.migrations().front();
    } catch (const pgmig::error& e) {
        // The parser rejects a transactional migration holding e.g. CREATE INDEX
        // CONCURRENTLY; lint must still flag such a migration when it gets one
        // (a host can build `migration` values itself), so build it by hand.
        if (std::string(e.what()).find("cannot run inside a transaction block") == std::string::npos) throw;
        pgmig::migration m;
        m.version = 1;
        m.name = "case";
        m.format = pgmig::migration_format::paired_files;
        m.file = "000001_case.up.sql";
        m.up_sql = up;
        m.reversible = !down.empty();
        if (m.reversible) {
            m.down_file = "000001_case.down.sql";
            m.down_sql = down;
        }
        m.checksum = pgmig::checksum(up);
        return m;
    }
}

migration_lint lint_up(const std::string& up, const pgmig::lint_options& options = {}) {
    return pgmig::lint_migration(paired(up), options);
}

// Unsuppressed rule ids, with repetitions.
std::multiset<std::string> active(const migration_lint& r) {
    std::multiset<std::string> out;
    for (const lint_finding& f : r.findings)
        if (!f.suppressed) out.insert(f.rule_id);
    return out;
}

std::string describe(const migration_lint& r) {
    std::string out;
    for (const lint_finding& f : r.findings)
        out += "\n  " + f.rule_id + " (" + pgmig::to_string(f.level) + (f.suppressed ? ", suppressed" : "") +
               ") line " + std::to_string(f.line) + ": " + f.message;
    return out.empty() ? " (no findings)" : out;
}

bool flags(const std::string& up, const std::string& rule) {
    const migration_lint r = lint_up(up);
    const bool found = active(r).count(rule) != 0;
    BOOST_TEST_MESSAGE("lint of: " << up << describe(r));
    return found;
}

// The first finding of a rule: a pointer into r, or, for a temporary report
// (which a pointer would outlive), a copy.
const lint_finding* first(const migration_lint& r, const std::string& rule) {
    for (const lint_finding& f : r.findings)
        if (f.rule_id == rule) return &f;
    return nullptr;
}
std::optional<lint_finding> first(migration_lint&& r, const std::string& rule) {
    if (const lint_finding* f = first(static_cast<const migration_lint&>(r), rule)) return *f;
    return std::nullopt;
}

// Each rule's positive and negative case, with a migration linted on its own.
struct rule_case {
    const char* rule;
    std::string positive;
    std::string negative;
};

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

BOOST_AUTO_TEST_SUITE(lint)

// ------------------------------------------------------------------ catalogue and levels

BOOST_AUTO_TEST_CASE(risk_names_round_trip) {
    for (const risk r : {risk::none, risk::low, risk::medium, risk::high, risk::critical}) {
        risk parsed = risk::none;
        BOOST_TEST(pgmig::parse_risk(pgmig::to_string(r), parsed));
        BOOST_TEST(static_cast<int>(parsed) == static_cast<int>(r));
    }
    risk out = risk::medium;
    BOOST_TEST(pgmig::parse_risk("HIGH", out));
    BOOST_TEST(static_cast<int>(out) == static_cast<int>(risk::high));
    BOOST_TEST(!pgmig::parse_risk("severe", out));
    BOOST_TEST(!pgmig::parse_risk("", out));
    BOOST_TEST(static_cast<int>(out) == static_cast<int>(risk::high));
    BOOST_TEST((risk::none < risk::low && risk::low < risk::medium && risk::medium < risk::high &&
                risk::high < risk::critical));
}

BOOST_AUTO_TEST_CASE(catalogue_ids_are_unique_kebab_case_and_documented) {
    const std::string docs = read_file(std::string(PGMIG_SOURCE_DIR) + "/docs/lint-rules.md");
    BOOST_TEST(!docs.empty());
    std::set<std::string> ids;
    for (const pgmig::lint_rule& r : pgmig::lint_rules()) {
        BOOST_TEST_CONTEXT("rule " << r.id) {
            BOOST_TEST(ids.insert(r.id).second);
            BOOST_TEST(!r.id.empty());
            BOOST_TEST(std::all_of(r.id.begin(), r.id.end(),
                                   [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }));
            BOOST_TEST(r.id.front() != '-');
            BOOST_TEST(r.id.back() != '-');
            BOOST_TEST(r.level != risk::none);
            BOOST_TEST(!r.summary.empty());
            BOOST_TEST(!r.safe_alternative.empty());
            BOOST_TEST(pgmig::find_lint_rule(r.id) == &r);
            BOOST_TEST(docs.find("### `" + r.id + "`") != std::string::npos);
        }
    }
    BOOST_TEST(pgmig::find_lint_rule("no-such-rule") == nullptr);
    for (const char* id : {"drop-table", "drop-column", "drop-schema", "truncate", "add-column-not-null-without-default",
                           "add-column-volatile-default", "set-not-null", "change-column-type",
                           "add-check-without-not-valid", "add-foreign-key-without-not-valid",
                           "add-unique-without-index", "add-primary-key-without-index",
                           "create-index-without-concurrently", "drop-index-without-concurrently", "rename-column",
                           "rename-table", "update-without-where", "delete-without-where",
                           "transaction-control-in-transaction", "non-transactional-in-transaction",
                           "no-down-section", "foreign-key-without-index", "parse-error",
                           "suppression-without-reason"})
        BOOST_TEST(pgmig::find_lint_rule(id) != nullptr, "missing rule " << id);
    BOOST_TEST(static_cast<int>(pgmig::find_lint_rule("drop-table")->level) == static_cast<int>(risk::critical));
    BOOST_TEST(static_cast<int>(pgmig::find_lint_rule("parse-error")->level) == static_cast<int>(risk::low));
}

// ------------------------------------------------------------------ every rule: positive and negative

BOOST_AUTO_TEST_CASE(every_rule_has_a_positive_and_a_negative_case) {
    const std::vector<rule_case> cases = {
        {"drop-table", "DROP TABLE users;", "CREATE TABLE scratch (id bigint); DROP TABLE scratch;"},
        {"drop-column", "ALTER TABLE users DROP COLUMN email;",
         "CREATE TABLE t (a bigint, b text); ALTER TABLE t DROP COLUMN b;"},
        {"drop-schema", "DROP SCHEMA reporting;", "CREATE SCHEMA reporting;"},
        {"drop-database", "DROP DATABASE legacy;", "DROP ROLE legacy;"},
        {"truncate", "TRUNCATE audit_log;", "CREATE TABLE staging (a bigint); TRUNCATE staging;"},
        {"delete-without-where", "DELETE FROM sessions;", "DELETE FROM sessions WHERE expires_at < now();"},
        {"update-without-where", "UPDATE users SET email = lower(email);",
         "UPDATE users SET email = lower(email) WHERE id BETWEEN 1 AND 10000;"},
        {"backfill-in-one-statement",
         "UPDATE users SET email_domain = split_part(email, '@', 2) WHERE email_domain IS NULL;",
         no_tx + "-- pgmig:batch\nUPDATE users SET email_domain = split_part(email, '@', 2) WHERE id IN (SELECT id "
                 "FROM users WHERE email_domain IS NULL ORDER BY id LIMIT 10000);"},
        {"add-column-not-null-without-default", "ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;",
         "ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL DEFAULT 0;"},
        {"add-column-volatile-default", "ALTER TABLE users ADD COLUMN r double precision DEFAULT random();",
         "ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now();"},
        {"add-column-generated-stored",
         "ALTER TABLE users ADD COLUMN email_lower text GENERATED ALWAYS AS (lower(email)) STORED;",
         "CREATE TABLE t (email text, email_lower text GENERATED ALWAYS AS (lower(email)) STORED);"},
        {"change-column-type", "ALTER TABLE users ALTER COLUMN id TYPE bigint;",
         "CREATE TABLE t (id integer); ALTER TABLE t ALTER COLUMN id TYPE bigint;"},
        {"set-not-null", "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
         "ALTER TABLE users ALTER COLUMN email DROP NOT NULL;"},
        {"add-check-without-not-valid", "ALTER TABLE users ADD CONSTRAINT age_ok CHECK (age >= 0);",
         "ALTER TABLE users ADD CONSTRAINT age_ok CHECK (age >= 0) NOT VALID;"},
        {"add-foreign-key-without-not-valid",
         "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);",
         "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;"},
        {"add-unique-without-index", "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
         "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;"},
        {"add-primary-key-without-index", "ALTER TABLE users ADD PRIMARY KEY (id);",
         "ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx;"},
        {"add-exclusion-constraint",
         "ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);",
         "CREATE TABLE bookings (room int, during tstzrange, EXCLUDE USING gist (room WITH =, during WITH &&));"},
        {"create-index-without-concurrently", "CREATE INDEX users_email_idx ON users (email);",
         no_tx + "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);"},
        {"drop-index-without-concurrently", "DROP INDEX users_email_idx;",
         no_tx + "DROP INDEX CONCURRENTLY users_email_idx;"},
        {"reindex-without-concurrently", "REINDEX INDEX users_email_idx;",
         no_tx + "REINDEX INDEX CONCURRENTLY users_email_idx;"},
        {"vacuum-full", no_tx + "VACUUM FULL users;", no_tx + "VACUUM (ANALYZE) users;"},
        {"cluster", "CLUSTER users USING users_pkey;", "CREATE TABLE t (a int); CLUSTER t USING t_pkey;"},
        {"refresh-materialized-view-without-concurrently", "REFRESH MATERIALIZED VIEW daily_totals;",
         "REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals;"},
        {"rename-column", "ALTER TABLE users RENAME COLUMN email TO email_address;",
         "CREATE TABLE t (a int); ALTER TABLE t RENAME COLUMN a TO b;"},
        {"rename-table", "ALTER TABLE users RENAME TO accounts;", "ALTER INDEX users_email_idx RENAME TO users_mail_idx;"},
        {"transaction-control-in-transaction", "BEGIN;\nALTER TABLE users ADD COLUMN bio text;\nCOMMIT;",
         "ALTER TABLE users ADD COLUMN bio text;"},
        {"non-transactional-in-transaction", "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);",
         no_tx + "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);"},
        {"foreign-key-without-index",
         "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));",
         "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\n"
         "CREATE INDEX orders_user_id_idx ON orders (user_id);"},
        {"prefer-bigint-over-int", "CREATE TABLE t (id integer PRIMARY KEY);", "CREATE TABLE t (id bigint PRIMARY KEY);"},
        {"prefer-text-field", "CREATE TABLE t (email varchar(255));",
         "CREATE TABLE t (email text CHECK (char_length(email) <= 255));"},
        {"ban-drop-not-null", "ALTER TABLE users ALTER COLUMN email DROP NOT NULL;",
         "CREATE TABLE t (a text NOT NULL); ALTER TABLE t ALTER COLUMN a DROP NOT NULL;"},
        {"post-deploy-adds-schema", "-- pgmig:phase post-deploy\nALTER TABLE users ADD COLUMN email text;",
         "-- pgmig:phase post-deploy\nALTER TABLE users ALTER COLUMN email SET NOT NULL;"},
        {"batch-not-bounded", no_tx + "-- pgmig:batch\nUPDATE users SET email_lower = lower(email) WHERE email_lower IS NULL;",
         no_tx + "-- pgmig:batch pause 10ms\nUPDATE users SET email_lower = lower(email) WHERE id IN (SELECT id FROM users "
                 "WHERE email_lower IS NULL ORDER BY id LIMIT 1000);"},
        {"require-concurrent-partition-detach", "ALTER TABLE events DETACH PARTITION events_2023;",
         no_tx + "ALTER TABLE events DETACH PARTITION events_2023 CONCURRENTLY;"},
        {"require-enum-value-ordering", "ALTER TYPE order_status ADD VALUE 'refunded';",
         "ALTER TYPE order_status ADD VALUE 'refunded' AFTER 'paid';"},
        {"ban-create-domain-with-constraint", "CREATE DOMAIN positive_int AS bigint CHECK (VALUE > 0);",
         "CREATE DOMAIN email AS text;"},
        {"ban-alter-domain-with-add-constraint",
         "ALTER DOMAIN positive_int ADD CONSTRAINT positive CHECK (VALUE > 0);",
         "ALTER DOMAIN positive_int ADD CONSTRAINT positive CHECK (VALUE > 0) NOT VALID;"},
        {"ban-char-type", "CREATE TABLE t (code char(3));", "CREATE TABLE t (code varchar(3));"},
        {"prefer-timestamptz", "CREATE TABLE t (at timestamp);", "CREATE TABLE t (at timestamptz);"},
        {"parse-error", "ALTER TABLE users MERGE PARTITIONS (p1, p2) INTO p12;", "ALTER TABLE users ADD COLUMN x int;"},
        {"suppression-without-reason", "-- pgmig:allow drop-table\nDROP TABLE users;",
         "-- pgmig:allow drop-table replaced by accounts in 2023\nDROP TABLE users;"},
        {"suppression-unknown-rule", "-- pgmig:allow drop-tabel typo here\nDROP TABLE users;",
         "-- pgmig:allow drop-table the table is unused\nDROP TABLE users;"},
        {"empty-migration", "-- write the change here\n", "-- the change\nSELECT 1;"},
    };
    std::set<std::string> covered;
    for (const rule_case& c : cases) {
        BOOST_TEST_CONTEXT("rule " << c.rule) {
            BOOST_TEST(pgmig::find_lint_rule(c.rule) != nullptr);
            BOOST_TEST(flags(c.positive, c.rule), "not flagged: " << c.positive);
            BOOST_TEST(!flags(c.negative, c.rule), "flagged: " << c.negative);
            covered.insert(c.rule);
        }
    }
    // no-down-section needs a migration without down file, require-table-schema is
    // opt-in: covered by their own test cases.
    covered.insert("no-down-section");
    covered.insert("require-table-schema");
    covered.insert("invalid-migration"); // needs a set with a broken file: lint_loaded's own cases
    for (const pgmig::lint_rule& r : pgmig::lint_rules()) BOOST_TEST(covered.count(r.id) == 1, "no case for " << r.id);
}

// ------------------------------------------------------------------ details per rule

BOOST_AUTO_TEST_CASE(breaking_statements_in_a_pre_deploy_migration_name_the_post_deploy_phase) {
    for (const std::string& sql : {std::string("ALTER TABLE users DROP COLUMN email;"),
                                   std::string("ALTER TABLE users RENAME COLUMN email TO mail;"),
                                   std::string("ALTER TABLE users ALTER COLUMN email SET NOT NULL;"),
                                   std::string("ALTER TABLE users ALTER COLUMN id TYPE bigint;"),
                                   std::string("DROP TABLE users;"), std::string("ALTER TABLE users RENAME TO u;")}) {
        BOOST_TEST_CONTEXT(sql) {
            const migration_lint pre = lint_up(sql);
            BOOST_REQUIRE(!pre.findings.empty());
            const lint_finding& f = pre.findings.front();
            BOOST_TEST(f.safe_alternative.find("-- pgmig:phase post-deploy") != std::string::npos, f.safe_alternative);
            BOOST_TEST(f.message.find("pre-deploy migration") != std::string::npos, f.message);
            // The same statement in a post-deploy migration: its own concern, no phase advice.
            const migration_lint post = lint_up("-- pgmig:phase post-deploy\n" + sql);
            BOOST_REQUIRE(!post.findings.empty());
            BOOST_TEST(post.findings.front().rule_id == f.rule_id);
            BOOST_TEST(post.findings.front().safe_alternative.find("pgmig:phase") == std::string::npos);
            BOOST_TEST(active(post).count("post-deploy-adds-schema") == 0u, describe(post));
        }
    }
    // The "not in the database yet" exception stands: a table the same migration creates has no old reader.
    BOOST_TEST(active(lint_up("CREATE TABLE t (a bigint, b text); ALTER TABLE t DROP COLUMN b;")).empty());
    // Additive statements in a pre-deploy migration get no phase advice.
    for (const lint_finding& f : lint_up("CREATE INDEX users_email_idx ON users (email);").findings)
        BOOST_TEST(f.safe_alternative.find("pgmig:phase") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(post_deploy_adds_schema_names_what_the_new_release_would_miss) {
    const migration_lint r = lint_up("-- pgmig:phase post-deploy\nCREATE TABLE audit (id bigint PRIMARY KEY);\n"
                                     "CREATE VIEW v AS SELECT 1;\nALTER TABLE users DROP COLUMN legacy;\n");
    BOOST_TEST(active(r).count("post-deploy-adds-schema") == 2u, describe(r));
    for (const lint_finding& f : r.findings)
        if (f.rule_id == "post-deploy-adds-schema")
            BOOST_TEST(f.message.find("the new release starts before the post-deploy step") != std::string::npos);
    // The down part of a post-deploy migration restores what it dropped: not a finding.
    const pgmig::migration_set set = pgmig::migration_set::from_files(
        {{"000001_c.up.sql", "-- pgmig:phase post-deploy\nALTER TABLE users DROP COLUMN legacy;"},
         {"000001_c.down.sql", "ALTER TABLE users ADD COLUMN legacy text;"}});
    const migration_lint d = pgmig::lint_migration(set.migrations().front());
    BOOST_TEST(active(d).count("post-deploy-adds-schema") == 0u, describe(d));
}

BOOST_AUTO_TEST_CASE(findings_carry_rule_level_relation_and_alternative) {
    const migration_lint r = lint_up("ALTER TABLE app.users DROP COLUMN email;");
    const lint_finding* f = first(r, "drop-column");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(static_cast<int>(f->level) == static_cast<int>(risk::high));
    BOOST_TEST(f->relation == "app.users");
    BOOST_TEST(f->message.find("app.users.email") != std::string::npos);
    // The rule's alternative, after the phase advice of a pre-deploy migration.
    const std::string& alternative = pgmig::find_lint_rule("drop-column")->safe_alternative;
    BOOST_TEST(f->safe_alternative.size() >= alternative.size());
    BOOST_TEST(f->safe_alternative.substr(f->safe_alternative.size() - alternative.size()) == alternative);
    BOOST_TEST(f->version == 1);
    BOOST_TEST(f->file == "000001_case.up.sql");
    BOOST_TEST(!f->down);
    BOOST_TEST(f->statement == "ALTER TABLE app.users DROP COLUMN email;");
}

BOOST_AUTO_TEST_CASE(drop_column_cascade_is_critical) {
    const lint_finding* f = nullptr;
    const migration_lint r = lint_up("ALTER TABLE users DROP COLUMN email CASCADE;");
    f = first(r, "drop-column");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(static_cast<int>(f->level) == static_cast<int>(risk::critical));
}

BOOST_AUTO_TEST_CASE(drop_table_reports_each_table) {
    const migration_lint r = lint_up("DROP TABLE IF EXISTS a, app.b CASCADE;");
    std::vector<std::string> relations;
    for (const lint_finding& f : r.findings)
        if (f.rule_id == "drop-table") relations.push_back(f.relation);
    BOOST_TEST(relations == (std::vector<std::string>{"a", "app.b"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(alter_table_reports_each_subcommand) {
    const migration_lint r = lint_up("ALTER TABLE users\n"
                                  "  ADD COLUMN a int NOT NULL,\n"
                                  "  ALTER COLUMN b SET NOT NULL,\n"
                                  "  ALTER COLUMN c TYPE bigint,\n"
                                  "  DROP COLUMN d;");
    const std::multiset<std::string> got = active(r);
    BOOST_TEST(got.count("add-column-not-null-without-default") == 1);
    BOOST_TEST(got.count("set-not-null") == 1);
    BOOST_TEST(got.count("change-column-type") == 1);
    BOOST_TEST(got.count("drop-column") == 1);
    // Each finding points at its own subcommand; all belong to the statement of line 1.
    std::vector<std::string> where;
    for (const lint_finding& f : r.findings) {
        BOOST_TEST(f.statement_line == 1);
        where.push_back(std::to_string(f.line) + ":" + std::to_string(f.column) + " " + f.rule_id);
    }
    BOOST_TEST(where == (std::vector<std::string>{"2:16 prefer-bigint-over-int",
                                                  "2:20 add-column-not-null-without-default",
                                                  "3:3 set-not-null", "4:3 change-column-type", "5:3 drop-column"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(volatile_defaults_and_stable_defaults) {
    for (const char* sql : {"ALTER TABLE t ADD COLUMN a timestamptz DEFAULT clock_timestamp();",
                            "ALTER TABLE t ADD COLUMN a uuid DEFAULT gen_random_uuid();",
                            "ALTER TABLE t ADD COLUMN a uuid DEFAULT public.uuid_generate_v4();",
                            "ALTER TABLE t ADD COLUMN a bigint DEFAULT nextval('t_seq');",
                            "ALTER TABLE t ADD COLUMN a text DEFAULT md5(random()::text);",
                            "ALTER TABLE t ADD COLUMN a bigserial;",
                            "ALTER TABLE t ADD COLUMN a bigint GENERATED ALWAYS AS IDENTITY;"}) {
        const migration_lint r = lint_up(sql);
        const lint_finding* f = first(r, "add-column-volatile-default");
        BOOST_TEST_REQUIRE(f != nullptr, sql);
        BOOST_TEST(static_cast<int>(f->level) == static_cast<int>(risk::high), sql);
    }
    for (const char* sql : {"ALTER TABLE t ADD COLUMN a timestamptz DEFAULT now();",
                            "ALTER TABLE t ADD COLUMN a timestamptz DEFAULT CURRENT_TIMESTAMP;",
                            "ALTER TABLE t ADD COLUMN a date DEFAULT CURRENT_DATE;",
                            "ALTER TABLE t ADD COLUMN a text NOT NULL DEFAULT 'x';",
                            "ALTER TABLE t ADD COLUMN a jsonb DEFAULT '{}'::jsonb;",
                            "ALTER TABLE t ADD COLUMN a timestamptz DEFAULT timezone('utc', now());",
                            "ALTER TABLE t ALTER COLUMN a SET DEFAULT random();",
                            "CREATE TABLE t (a uuid DEFAULT gen_random_uuid(), b bigserial);"})
        BOOST_TEST(!flags(sql, "add-column-volatile-default"), sql);
    // A function lint does not know: medium, "cannot tell".
    const migration_lint r = lint_up("ALTER TABLE t ADD COLUMN a text DEFAULT make_code();");
    const lint_finding* f = first(r, "add-column-volatile-default");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(static_cast<int>(f->level) == static_cast<int>(risk::medium));
    BOOST_TEST(f->message.find("cannot tell") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(add_column_not_null_variants) {
    BOOST_TEST(flags("ALTER TABLE t ADD COLUMN a int PRIMARY KEY;", "add-column-not-null-without-default"));
    BOOST_TEST(!flags("ALTER TABLE t ADD COLUMN a int;", "add-column-not-null-without-default"));
    BOOST_TEST(!flags("ALTER TABLE t ADD COLUMN a bigint NOT NULL GENERATED ALWAYS AS IDENTITY;",
                      "add-column-not-null-without-default"));
    BOOST_TEST(!flags("CREATE TABLE t (a int NOT NULL); ALTER TABLE t ADD COLUMN b int NOT NULL;",
                      "add-column-not-null-without-default"));
}

BOOST_AUTO_TEST_CASE(constraints_on_add_column) {
    const std::multiset<std::string> got =
        active(lint_up("ALTER TABLE t ADD COLUMN a int UNIQUE CHECK (a > 0) REFERENCES o (id);"));
    BOOST_TEST(got.count("add-unique-without-index") == 1);
    BOOST_TEST(got.count("add-check-without-not-valid") == 1);
    BOOST_TEST(got.count("add-foreign-key-without-not-valid") == 1);
    BOOST_TEST(got.count("foreign-key-without-index") == 0); // the UNIQUE index covers a
    BOOST_TEST(flags("ALTER TABLE t ADD COLUMN id bigint PRIMARY KEY;", "add-primary-key-without-index"));
}

BOOST_AUTO_TEST_CASE(validate_in_the_same_transaction_defeats_not_valid) {
    const std::string add_check = "ALTER TABLE users ADD CONSTRAINT c CHECK (age > 0) NOT VALID;\n";
    const std::string add_fk = "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n";
    const migration_lint check = lint_up(add_check + "ALTER TABLE users VALIDATE CONSTRAINT c;");
    const lint_finding* f = first(check, "add-check-without-not-valid");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(f->line == 2);
    BOOST_TEST(f->message.find("same transaction") != std::string::npos);
    BOOST_TEST(flags(add_fk + "ALTER TABLE orders VALIDATE CONSTRAINT fk;", "add-foreign-key-without-not-valid"));
    // In a no-transaction migration each statement commits on its own: fine.
    BOOST_TEST(!flags(no_tx + add_check + "ALTER TABLE users VALIDATE CONSTRAINT c;", "add-check-without-not-valid"));
    // Validating alone (the constraint came from an earlier migration): fine.
    BOOST_TEST(!flags("ALTER TABLE users VALIDATE CONSTRAINT c;", "add-check-without-not-valid"));
}

BOOST_AUTO_TEST_CASE(create_index_variants) {
    BOOST_TEST(flags("CREATE UNIQUE INDEX users_email_key ON users (email);", "create-index-without-concurrently"));
    BOOST_TEST(flags("CREATE INDEX ON app.users (lower(email)) WHERE deleted_at IS NULL;",
                     "create-index-without-concurrently"));
    // Same migration creates the table: nobody else sees it yet.
    BOOST_TEST(!flags("CREATE TABLE t (a int);\nCREATE INDEX t_a_idx ON t (a);", "create-index-without-concurrently"));
    BOOST_TEST(!flags("CREATE TABLE app.t (a int);\nCREATE INDEX t_a_idx ON app.t (a);",
                      "create-index-without-concurrently"));
    BOOST_TEST(!flags("CREATE TABLE t AS SELECT 1 AS a;\nCREATE INDEX ON t (a);", "create-index-without-concurrently"));
    // public.t and t are the same table.
    BOOST_TEST(!flags("CREATE TABLE public.t (a int);\nCREATE INDEX ON t (a);", "create-index-without-concurrently"));
    // ON ONLY a partitioned parent builds nothing.
    BOOST_TEST(!flags("CREATE INDEX measurements_at_idx ON ONLY measurements (at);",
                      "create-index-without-concurrently"));
    // CONCURRENTLY in a transactional migration: not this rule, the transaction rule.
    const std::multiset<std::string> got = active(lint_up("CREATE INDEX CONCURRENTLY i ON users (email);"));
    BOOST_TEST(got.count("create-index-without-concurrently") == 0);
    BOOST_TEST(got.count("non-transactional-in-transaction") == 1);
}

BOOST_AUTO_TEST_CASE(index_on_table_from_an_earlier_migration_in_the_set_is_flagged) {
    const pgmig::migration_set set = pgmig::migration_set::from_files({
        {"000001_create.up.sql", "CREATE TABLE t (id bigint PRIMARY KEY, a bigint);\nCREATE INDEX t_a_idx ON t (a);"},
        {"000001_create.down.sql", "DROP TABLE t;"},
        {"000002_index.up.sql", "CREATE INDEX t_id_a_idx ON t (id, a);"},
        {"000002_index.down.sql", "DROP INDEX t_id_a_idx;"},
    });
    const std::vector<migration_lint> results = pgmig::lint_set(set);
    BOOST_REQUIRE_EQUAL(results.size(), 2u);
    BOOST_TEST(active(results[0]).empty(), describe(results[0]));
    BOOST_TEST(active(results[1]).count("create-index-without-concurrently") == 1, describe(results[1]));
    BOOST_TEST(static_cast<int>(results[1].level) == static_cast<int>(risk::high));
}

BOOST_AUTO_TEST_CASE(partitioned_table_gets_its_own_alternative) {
    const pgmig::migration_set set = pgmig::migration_set::from_files({
        {"000001_create.up.sql", "CREATE TABLE m (at timestamptz, v bigint) PARTITION BY RANGE (at);"},
        {"000001_create.down.sql", "DROP TABLE m;"},
        {"000002_index.up.sql", "CREATE INDEX m_v_idx ON m (v);"},
        {"000002_index.down.sql", "DROP INDEX m_v_idx;"},
    });
    const std::vector<migration_lint> results = pgmig::lint_set(set);
    const lint_finding* f = first(results.at(1), "create-index-without-concurrently");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(f->safe_alternative.find("ON ONLY") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(drop_index_of_an_index_created_in_the_same_migration_is_not_flagged) {
    BOOST_TEST(!flags("CREATE TABLE t (a int);\nCREATE INDEX t_a_idx ON t (a);\nDROP INDEX t_a_idx;",
                      "drop-index-without-concurrently"));
    const migration_lint r = lint_up(no_tx + "DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;");
    BOOST_TEST(active(r).empty(), describe(r));
}

BOOST_AUTO_TEST_CASE(change_column_type_knows_safe_changes_from_the_set) {
    const pgmig::migration_set set = pgmig::migration_set::from_files({
        {"000001_create.up.sql", "CREATE TABLE t (id bigint PRIMARY KEY, name varchar(50), price numeric(10,2), n int);"},
        {"000001_create.down.sql", "DROP TABLE t;"},
        {"000002_widen.up.sql", "ALTER TABLE t ALTER COLUMN name TYPE varchar(100), ALTER COLUMN price TYPE numeric(12,2);"},
        {"000002_widen.down.sql", "SELECT 1;"},
        {"000003_text.up.sql", "ALTER TABLE t ALTER COLUMN name TYPE text;"},
        {"000003_text.down.sql", "SELECT 1;"},
        {"000004_narrow.up.sql", "ALTER TABLE t ALTER COLUMN price TYPE numeric(12,4), ALTER COLUMN n TYPE bigint;"},
        {"000004_narrow.down.sql", "SELECT 1;"},
    });
    const std::vector<migration_lint> results = pgmig::lint_set(set);
    BOOST_REQUIRE_EQUAL(results.size(), 4u);
    // Widening needs no rewrite (the varchar limit itself is prefer-text-field's).
    BOOST_TEST(active(results[1]) == (std::multiset<std::string>{"prefer-text-field"}), describe(results[1]));
    BOOST_TEST(active(results[2]).empty(), describe(results[2]));
    BOOST_TEST(active(results[3]).count("change-column-type") == 2, describe(results[3]));
    const lint_finding* f = first(results[3], "change-column-type");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(f->message.find("from numeric(12,2)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(set_not_null_after_a_validated_check_is_not_flagged) {
    const pgmig::migration_set set = pgmig::migration_set::from_files({
        {"000001_check.up.sql",
         "ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;"},
        {"000001_check.down.sql", "ALTER TABLE users DROP CONSTRAINT users_email_nn;"},
        {"000002_validate.up.sql", "ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;\n"
                                   "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n"
                                   "ALTER TABLE users DROP CONSTRAINT users_email_nn;\n"
                                   "ALTER TABLE users ALTER COLUMN name SET NOT NULL;"},
        {"000002_validate.down.sql", "ALTER TABLE users ALTER COLUMN email DROP NOT NULL;"},
    });
    const std::vector<migration_lint> results = pgmig::lint_set(set);
    BOOST_TEST(active(results.at(0)).empty(), describe(results.at(0)));
    const std::multiset<std::string> got = active(results.at(1));
    BOOST_TEST(got.count("set-not-null") == 1, describe(results.at(1))); // only name
    const lint_finding* f = first(results.at(1), "set-not-null");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(f->line == 4);
    BOOST_TEST(f->safe_alternative.find("CHECK (name IS NOT NULL) NOT VALID") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(foreign_key_index_coverage) {
    // Leading columns of the primary key cover the foreign key.
    BOOST_TEST(!flags("CREATE TABLE items (order_id bigint REFERENCES orders (id), line int, "
                      "PRIMARY KEY (order_id, line));",
                      "foreign-key-without-index"));
    // A second column of an index does not.
    BOOST_TEST(flags("CREATE TABLE items (order_id bigint REFERENCES orders (id), line int, "
                     "PRIMARY KEY (line, order_id));",
                     "foreign-key-without-index"));
    // Multi-column foreign key, index columns in another order.
    BOOST_TEST(!flags("CREATE TABLE x (a int, b int, FOREIGN KEY (a, b) REFERENCES y (a, b));\n"
                      "CREATE INDEX ON x (b, a);",
                      "foreign-key-without-index"));
    // A partial index or an expression index does not count.
    BOOST_TEST(flags("CREATE TABLE x (a int REFERENCES y (id));\nCREATE INDEX ON x (a) WHERE a > 0;",
                     "foreign-key-without-index"));
    BOOST_TEST(flags("CREATE TABLE x (a int REFERENCES y (id));\nCREATE INDEX ON x ((a + 1));",
                     "foreign-key-without-index"));
    // An index dropped later in the same migration does not count.
    BOOST_TEST(flags("CREATE TABLE x (a int REFERENCES y (id));\nCREATE INDEX x_a ON x (a);\nDROP INDEX x_a;",
                     "foreign-key-without-index"));
    // A table dropped later in the same migration takes its foreign keys along.
    BOOST_TEST(!flags("CREATE TABLE x (a int REFERENCES y (id));\nDROP TABLE x;", "foreign-key-without-index"));
    // The finding points at the statement with the foreign key.
    const migration_lint r = lint_up("CREATE TABLE y (id bigint PRIMARY KEY);\n\nALTER TABLE x ADD CONSTRAINT fk "
                                  "FOREIGN KEY (y_id) REFERENCES y (id) NOT VALID;");
    const lint_finding* f = first(r, "foreign-key-without-index");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(f->line == 3);
    BOOST_TEST(f->relation == "x");
    BOOST_TEST(static_cast<int>(f->level) == static_cast<int>(risk::medium));
}

BOOST_AUTO_TEST_CASE(foreign_key_index_from_an_earlier_migration_counts) {
    const pgmig::migration_set set = pgmig::migration_set::from_files({
        {"000001_col.up.sql", "ALTER TABLE orders ADD COLUMN customer_id bigint;"},
        {"000001_col.down.sql", "ALTER TABLE orders DROP COLUMN customer_id;"},
        {"000002_idx.up.sql", "-- pgmig:no-transaction\nCREATE INDEX CONCURRENTLY orders_customer_idx ON orders "
                              "(customer_id);"},
        {"000002_idx.down.sql", "-- pgmig:no-transaction\nDROP INDEX CONCURRENTLY orders_customer_idx;"},
        {"000003_fk.up.sql", "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) "
                             "REFERENCES customers (id) NOT VALID;"},
        {"000003_fk.down.sql", "ALTER TABLE orders DROP CONSTRAINT orders_customer_fk;"},
    });
    const std::vector<migration_lint> results = pgmig::lint_set(set);
    for (const migration_lint& r : results) BOOST_TEST(active(r).empty(), r.version << describe(r));
    // Alone, the third migration cannot see the index.
    BOOST_REQUIRE_EQUAL(set.size(), 3u);
    BOOST_TEST(active(pgmig::lint_migration(set.migrations()[2])).count("foreign-key-without-index") == 1);
}

BOOST_AUTO_TEST_CASE(dml_in_ctes_and_with_where) {
    BOOST_TEST(flags("WITH gone AS (DELETE FROM sessions RETURNING id) SELECT count(*) FROM gone;",
                     "delete-without-where"));
    BOOST_TEST(flags("UPDATE users SET a = o.a FROM other o;", "update-without-where"));
    BOOST_TEST(!flags("UPDATE users u SET a = o.a FROM other o WHERE o.id = u.id;", "update-without-where"));
    BOOST_TEST(!flags("CREATE TABLE t (a int); INSERT INTO t VALUES (1); UPDATE t SET a = 2; DELETE FROM t;",
                      "update-without-where"));
    // Definitions do not execute: rule actions, SQL-standard function bodies, prepared statements.
    for (const char* sql : {"CREATE RULE r AS ON INSERT TO v DO INSTEAD DELETE FROM t;",
                            "CREATE FUNCTION purge() RETURNS void LANGUAGE sql BEGIN ATOMIC DELETE FROM t; END;",
                            "PREPARE purge AS DELETE FROM t;"})
        BOOST_TEST(!flags(sql, "delete-without-where"), sql);
    BOOST_TEST(flags("INSERT INTO archive WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d;",
                     "delete-without-where"));
}

BOOST_AUTO_TEST_CASE(transaction_statements) {
    const migration_lint r = lint_up("SAVEPOINT s1;\nALTER TABLE users ADD COLUMN bio text;\nROLLBACK TO SAVEPOINT s1;\n"
                                  "COMMIT;");
    std::vector<std::pair<int, risk>> got;
    for (const lint_finding& f : r.findings)
        if (f.rule_id == "transaction-control-in-transaction") got.emplace_back(f.line, f.level);
    BOOST_REQUIRE_EQUAL(got.size(), 3u);
    BOOST_TEST(got[0].first == 1);
    BOOST_TEST(static_cast<int>(got[0].second) == static_cast<int>(risk::medium));
    BOOST_TEST(got[1].first == 3);
    BOOST_TEST(got[2].first == 4);
    BOOST_TEST(static_cast<int>(got[2].second) == static_cast<int>(risk::critical));
    BOOST_TEST(static_cast<int>(r.level) == static_cast<int>(risk::critical));
}

BOOST_AUTO_TEST_CASE(non_transactional_statements) {
    for (const char* sql : {"VACUUM users;", "CREATE DATABASE x;", "ALTER SYSTEM SET work_mem = '64MB';",
                            "DROP INDEX CONCURRENTLY i;", "REINDEX TABLE CONCURRENTLY users;",
                            "ALTER TABLE m DETACH PARTITION m_2020 CONCURRENTLY;", "CLUSTER;",
                            "CREATE TABLESPACE fast LOCATION '/ssd';"}) {
        BOOST_TEST(flags(sql, "non-transactional-in-transaction"), sql);
        BOOST_TEST(!flags(no_tx + sql, "non-transactional-in-transaction"), sql);
    }
    BOOST_TEST(!flags("ANALYZE users;", "non-transactional-in-transaction"));
    BOOST_TEST(!flags("REFRESH MATERIALIZED VIEW CONCURRENTLY mv;", "non-transactional-in-transaction"));
}

BOOST_AUTO_TEST_CASE(cannot_run_in_a_transaction_is_decided_as_the_parser_decides) {
    // Lint and the migration-file parser use one classifier: a transactional
    // migration the parser refuses is exactly one lint reports as failing there.
    for (const char* sql :
         {"CREATE INDEX CONCURRENTLY i ON users (email);", "CREATE INDEX i ON users (email);", "VACUUM;",
          "VACUUM (ANALYZE) users;", "ANALYZE users;", "CLUSTER;", "CLUSTER VERBOSE;", "CLUSTER users;",
          "REINDEX SCHEMA app;", "REINDEX DATABASE app;", "REINDEX TABLE users;", "REINDEX (CONCURRENTLY) TABLE users;",
          "DROP DATABASE legacy;", "ALTER DATABASE app SET TABLESPACE fast;", "ALTER DATABASE app SET work_mem TO '1MB';",
          "CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p;",
          "CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p WITH (create_slot = false);",
          "DROP SUBSCRIPTION s;", "ALTER SUBSCRIPTION s REFRESH PUBLICATION;",
          "ALTER SUBSCRIPTION s SET PUBLICATION p WITH (refresh = false);", "DISCARD ALL;", "DISCARD PLANS;",
          "COMMIT PREPARED 'x';", "ALTER TABLE m DETACH PARTITION m_2020;",
          "ALTER TABLE m DETACH PARTITION m_2020 CONCURRENTLY;", "ALTER TYPE mood ADD VALUE 'calm';",
          "REFRESH MATERIALIZED VIEW CONCURRENTLY mv;", "CREATE SCHEMA s CREATE TABLE t (a int);"}) {
        BOOST_TEST_CONTEXT(sql) {
            bool refused = false;
            try {
                pgmig::migration_set::from_files({{"000001_case.up.sql", sql}});
            } catch (const pgmig::error& e) {
                refused = std::string(e.what()).find("cannot run inside a transaction block") != std::string::npos;
            }
            const migration_lint r = lint_up(sql);
            bool reported = false;
            for (const lint_finding& f : r.findings)
                reported = reported || f.message.find("cannot run inside a transaction block") != std::string::npos;
            BOOST_TEST(reported == refused, describe(r));
        }
    }
}

BOOST_AUTO_TEST_CASE(cannot_run_in_a_transaction_names_the_statement_from_the_parse_tree) {
    const migration_lint r = lint_up("CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON app.users (email);\n"
                                     "REINDEX SCHEMA app;\n"
                                     "DISCARD ALL;\n"
                                     "COMMIT PREPARED 'x';");
    std::vector<std::string> got;
    for (const lint_finding& f : r.findings)
        got.push_back(std::to_string(f.line) + " " + f.rule_id + " [" + f.relation + "] " +
                      f.message.substr(0, f.message.find(" cannot run")));
    const std::vector<std::string> want = {
        "1 non-transactional-in-transaction [app.users] CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON app.users",
        "2 non-transactional-in-transaction [] REINDEX SCHEMA app",
        "2 reindex-without-concurrently [] REINDEX SCHEMA app blocks writes to the tables and every query whose plan "
        "could use the rebuilt indexes until it finishes",
        "3 non-transactional-in-transaction [] DISCARD ALL",
        "4 transaction-control-in-transaction [] COMMIT PREPARED",
    };
    BOOST_TEST(got == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(renames_and_set_schema) {
    BOOST_TEST(flags("ALTER TABLE users SET SCHEMA archive;", "rename-table"));
    BOOST_TEST(!flags("CREATE TABLE t (a int);\nALTER TABLE t RENAME TO t2;\nALTER TABLE t2 RENAME COLUMN a TO b;",
                      "rename-column"));
    BOOST_TEST(!flags("ALTER TABLE users RENAME CONSTRAINT a TO b;", "rename-column"));
}

BOOST_AUTO_TEST_CASE(create_schema_elements_are_new_tables) {
    const migration_lint r = lint_up("CREATE SCHEMA app CREATE TABLE t (a bigint);\nCREATE INDEX ON app.t (a);");
    BOOST_TEST(active(r).empty(), describe(r));
}

BOOST_AUTO_TEST_CASE(type_rules) {
    BOOST_TEST(flags("CREATE TABLE t (id serial PRIMARY KEY);", "prefer-bigint-over-int"));
    BOOST_TEST(flags("CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY);", "prefer-bigint-over-int"));
    BOOST_TEST(flags("CREATE TABLE t (id int, PRIMARY KEY (id));", "prefer-bigint-over-int"));
    BOOST_TEST(!flags("CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, n bigint);",
                      "prefer-bigint-over-int"));
    // Plain integer columns too, each with the value it overflows at.
    const migration_lint plain = lint_up("CREATE TABLE t (id bigint PRIMARY KEY, n int, s smallint, k serial);");
    std::vector<std::string> messages;
    for (const lint_finding& f : plain.findings)
        if (f.rule_id == "prefer-bigint-over-int") messages.push_back(f.message);
    BOOST_REQUIRE_EQUAL(messages.size(), 3u);
    BOOST_TEST(messages[0].find("t.n is integer: it overflows at 2,147,483,647") != std::string::npos, messages[0]);
    BOOST_TEST(messages[1].find("t.s is smallint: it overflows at 32,767") != std::string::npos, messages[1]);
    BOOST_TEST(messages[2].find("t.k is serial: it overflows at 2,147,483,647 (2^31 - 1) — the sequence behind it "
                                "stops there") != std::string::npos,
               messages[2]);
    BOOST_TEST(!flags("CREATE TABLE t (ids int[]);", "prefer-bigint-over-int"));
    BOOST_TEST(flags("ALTER TABLE t ADD COLUMN c character(2);", "ban-char-type"));
    BOOST_TEST(!flags("CREATE TABLE t (c \"char\");", "ban-char-type")); // the one-byte internal type
    BOOST_TEST(flags("CREATE TABLE t (at timestamp without time zone);", "prefer-timestamptz"));
    BOOST_TEST(!flags("CREATE TABLE t (at timestamp with time zone);", "prefer-timestamptz"));
}

// ------------------------------------------------------------------ rules squawk has too

BOOST_AUTO_TEST_CASE(prefer_text_field_on_new_columns_and_type_changes) {
    const migration_lint r = lint_up("CREATE TABLE t (a varchar(40), b varchar, c character varying(10)[]);\n"
                                     "ALTER TABLE users ADD COLUMN nick varchar(20);");
    std::vector<std::string> got;
    for (const lint_finding& f : r.findings)
        if (f.rule_id == "prefer-text-field") got.push_back(std::to_string(f.line) + ":" + std::to_string(f.column));
    // varchar without a limit is text under another name; the array of varchar(10) has a limit.
    BOOST_TEST(got == (std::vector<std::string>{"1:19", "1:45", "2:35"}), boost::test_tools::per_element());
    BOOST_TEST(flags("ALTER TABLE users ALTER COLUMN nick TYPE varchar(30);", "prefer-text-field"));
    BOOST_TEST(!flags("ALTER TABLE users ALTER COLUMN nick TYPE text;", "prefer-text-field"));
}

BOOST_AUTO_TEST_CASE(drop_not_null_is_reported_on_existing_tables_only) {
    const migration_lint r = lint_up("ALTER TABLE users ALTER COLUMN email DROP NOT NULL;");
    const lint_finding* f = first(r, "ban-drop-not-null");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(static_cast<int>(f->level) == static_cast<int>(risk::medium));
    BOOST_TEST(f->column == 19);
    BOOST_TEST(f->message.find("users.email DROP NOT NULL") != std::string::npos);
    // A later SET NOT NULL is no longer proven by the earlier constraint.
    const pgmig::migration_set set = pgmig::migration_set::from_files({
        {"000001_t.up.sql", "CREATE TABLE t (a text NOT NULL);"},
        {"000001_t.down.sql", "DROP TABLE t;"},
        {"000002_relax.up.sql", "ALTER TABLE t ALTER COLUMN a DROP NOT NULL;"},
        {"000002_relax.down.sql", "SELECT 1;"},
        {"000003_tighten.up.sql", "ALTER TABLE t ALTER COLUMN a SET NOT NULL;"},
        {"000003_tighten.down.sql", "SELECT 1;"},
    });
    const std::vector<migration_lint> results = pgmig::lint_set(set);
    BOOST_TEST(active(results.at(1)) == (std::multiset<std::string>{"ban-drop-not-null"}), describe(results.at(1)));
    BOOST_TEST(active(results.at(2)) == (std::multiset<std::string>{"set-not-null"}), describe(results.at(2)));
    BOOST_TEST(first(results.at(1), "ban-drop-not-null")->created_by.value_or(-1) == 1);
}

BOOST_AUTO_TEST_CASE(partition_detach_needs_concurrently) {
    const migration_lint r = lint_up("ALTER TABLE events DETACH PARTITION events_2023;");
    const lint_finding* f = first(r, "require-concurrent-partition-detach");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(static_cast<int>(f->level) == static_cast<int>(risk::medium));
    BOOST_TEST(f->column == 20);
    BOOST_TEST(f->relation == "events");
    BOOST_TEST(f->safe_alternative.find("PostgreSQL 14+") != std::string::npos);
    // FINALIZE completes an interrupted concurrent detach; CONCURRENTLY in a transaction is another rule.
    BOOST_TEST(!flags("ALTER TABLE events DETACH PARTITION events_2023 FINALIZE;", "require-concurrent-partition-detach"));
    const migration_lint in_tx = lint_up("ALTER TABLE events DETACH PARTITION events_2023 CONCURRENTLY;");
    BOOST_TEST(active(in_tx) == (std::multiset<std::string>{"non-transactional-in-transaction"}), describe(in_tx));
    // On a server older than 14 the alternative says CONCURRENTLY is not there.
    pgmig::lint_options old;
    old.server.version_num = 130011;
    const migration_lint on_13 = lint_up("ALTER TABLE events DETACH PARTITION events_2023;", old);
    BOOST_TEST(first(on_13, "require-concurrent-partition-detach")->safe_alternative.find("needs PostgreSQL 14") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(enum_values_and_domains) {
    BOOST_TEST(!flags("ALTER TYPE order_status ADD VALUE 'draft' BEFORE 'paid';", "require-enum-value-ordering"));
    BOOST_TEST(!flags("ALTER TYPE order_status RENAME VALUE 'paid' TO 'settled';", "require-enum-value-ordering"));
    BOOST_TEST(flags("ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded';", "require-enum-value-ordering"));
    // A type the migration creates: the author builds it in order.
    BOOST_TEST(!flags("CREATE TYPE mood AS ENUM ('sad');\nALTER TYPE mood ADD VALUE 'happy';",
                      "require-enum-value-ordering"));

    const migration_lint domain = lint_up("CREATE DOMAIN code AS text NOT NULL CHECK (VALUE ~ '^[A-Z]{3}$');");
    BOOST_TEST(active(domain).count("ban-create-domain-with-constraint") == 2, describe(domain));
    BOOST_TEST(domain.findings.at(0).column == 28);
    BOOST_TEST(flags("ALTER DOMAIN code SET NOT NULL;", "ban-alter-domain-with-add-constraint"));
    BOOST_TEST(!flags("CREATE DOMAIN code AS text;\nALTER DOMAIN code ADD CONSTRAINT c CHECK (VALUE <> '');",
                      "ban-alter-domain-with-add-constraint"));

    // The finding names the migration that created the domain.
    const pgmig::migration_set set = pgmig::migration_set::from_files({
        {"000001_domain.up.sql", "CREATE DOMAIN code AS text;"},
        {"000001_domain.down.sql", "DROP DOMAIN code;"},
        {"000002_check.up.sql", "ALTER DOMAIN code ADD CONSTRAINT code_upper CHECK (VALUE = upper(VALUE));"},
        {"000002_check.down.sql", "ALTER DOMAIN code DROP CONSTRAINT code_upper;"},
    });
    const std::vector<migration_lint> linted = pgmig::lint_set(set);
    const lint_finding* f = first(linted.at(1), "ban-alter-domain-with-add-constraint");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(f->created_by.value_or(-1) == 1);
    BOOST_TEST(f->relation.empty()); // a domain is not a table
    BOOST_TEST(f->message.find("SHARE lock") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(require_table_schema_is_opt_in) {
    const std::string sql = "CREATE TABLE orders (id bigint);\n"
                            "CREATE TABLE app.items (id bigint);\n"
                            "CREATE TEMP TABLE scratch (id bigint);\n"
                            "ALTER TABLE users ADD COLUMN nick text;\n"
                            "CREATE INDEX ON public.users (nick);\n"
                            "DROP TABLE legacy, app.old;";
    BOOST_TEST(active(lint_up(sql)).count("require-table-schema") == 0);
    pgmig::lint_options on;
    on.enabled_rules = {"require-table-schema"};
    const migration_lint r = lint_up(sql, on);
    std::vector<std::string> got;
    for (const lint_finding& f : r.findings)
        if (f.rule_id == "require-table-schema")
            got.push_back(std::to_string(f.line) + ":" + std::to_string(f.column) + " " + f.relation);
    BOOST_TEST(got == (std::vector<std::string>{"1:14 orders", "4:13 users", "6:12 legacy"}),
               boost::test_tools::per_element());
    // Disabling wins over enabling; an unknown id is refused.
    on.disabled_rules = {"require-table-schema"};
    BOOST_TEST(active(lint_up(sql, on)).count("require-table-schema") == 0);
    pgmig::lint_options typo;
    typo.enabled_rules = {"require-table-schemas"};
    BOOST_CHECK_THROW(lint_up(sql, typo), pgmig::error);
    BOOST_TEST(!pgmig::find_lint_rule("require-table-schema")->enabled_by_default);
    BOOST_TEST(pgmig::find_lint_rule("drop-table")->enabled_by_default);
}

// ------------------------------------------------------------------ what the set and the server tell

BOOST_AUTO_TEST_CASE(timestamp_to_timestamptz_depends_on_the_time_zone) {
    const std::string create = "CREATE TABLE t (id bigint PRIMARY KEY, at timestamp);";
    const auto lint_change = [&](const std::string& change, const pgmig::lint_options& options = {}) {
        const pgmig::migration_set set = pgmig::migration_set::from_files({
            {"000001_t.up.sql", create},
            {"000001_t.down.sql", "DROP TABLE t;"},
            {"000002_tz.up.sql", change},
            {"000002_tz.down.sql", "SELECT 1;"},
        });
        pgmig::lint_options o = options;
        o.disabled_rules.push_back("prefer-timestamptz");
        return pgmig::lint_set(set, o).at(1);
    };
    const std::string alter = "ALTER TABLE t ALTER COLUMN at TYPE timestamptz;";
    // Offline: it depends, and the message says on what.
    migration_lint r = lint_change(alter);
    const lint_finding* f = first(r, "change-column-type");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(static_cast<int>(f->level) == static_cast<int>(risk::medium));
    BOOST_TEST(f->message.find("only a catalog change when the session TimeZone is UTC") != std::string::npos,
               f->message);
    BOOST_TEST(f->safe_alternative.find("SET LOCAL TimeZone = 'UTC'") != std::string::npos);
    // The migration sets UTC itself: no rewrite, nothing to report.
    BOOST_TEST(active(lint_change("SET LOCAL TimeZone = 'UTC';\n" + alter)).empty());
    BOOST_TEST(active(lint_change("SET TIME ZONE 'Etc/UTC';\n" + alter)).empty());
    // A later RESET brings the server's zone back, which lint does not know.
    BOOST_TEST(active(lint_change("SET TIME ZONE 'UTC';\nRESET TimeZone;\n" + alter)).count("change-column-type") == 1);
    // Connected: the server's TimeZone and version decide.
    pgmig::lint_options utc;
    utc.server = {150004, "UTC"};
    BOOST_TEST(active(lint_change(alter, utc)).empty());
    pgmig::lint_options berlin;
    berlin.server = {150004, "Europe/Berlin"};
    r = lint_change(alter, berlin);
    f = first(r, "change-column-type");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(static_cast<int>(f->level) == static_cast<int>(risk::high));
    BOOST_TEST(f->message.find("the server's TimeZone is 'Europe/Berlin'") != std::string::npos, f->message);
    pgmig::lint_options old;
    old.server = {110020, "UTC"};
    BOOST_TEST(first(lint_change(alter, old), "change-column-type")->message.find("before 12 always rewrites") !=
               std::string::npos);
    // An index on the column is rebuilt even without a rewrite.
    const migration_lint indexed = lint_change("CREATE INDEX t_at_idx ON t (at);\n" + alter, utc);
    f = first(indexed, "change-column-type");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(static_cast<int>(f->level) == static_cast<int>(risk::medium));
    BOOST_TEST(f->message.find("the index t_at_idx on the column is still rebuilt") != std::string::npos, f->message);
    // A USING clause always converts every row.
    BOOST_TEST(static_cast<int>(first(lint_change("ALTER TABLE t ALTER COLUMN at TYPE timestamptz USING at AT TIME "
                                                  "ZONE 'UTC';", utc), "change-column-type")->level) ==
               static_cast<int>(risk::high));
}

BOOST_AUTO_TEST_CASE(functions_of_the_set_decide_default_volatility) {
    const auto lint_default = [](const std::string& function) {
        const pgmig::migration_set set = pgmig::migration_set::from_files({
            {"000001_f.up.sql", function},
            {"000001_f.down.sql", "DROP FUNCTION next_code();"},
            {"000002_col.up.sql", "ALTER TABLE users ADD COLUMN code text DEFAULT next_code();"},
            {"000002_col.down.sql", "ALTER TABLE users DROP COLUMN code;"},
        });
        return pgmig::lint_set(set).at(1);
    };
    BOOST_TEST(active(lint_default("CREATE FUNCTION next_code() RETURNS text LANGUAGE sql STABLE AS $$ SELECT 'a' "
                                   "$$;"))
                   .empty());
    BOOST_TEST(active(lint_default("CREATE FUNCTION public.next_code() RETURNS text LANGUAGE sql IMMUTABLE AS "
                                   "'SELECT 1';"))
                   .empty());
    const migration_lint r =
        lint_default("CREATE OR REPLACE FUNCTION next_code() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;");
    const lint_finding* f = first(r, "add-column-volatile-default");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(static_cast<int>(f->level) == static_cast<int>(risk::high));
    BOOST_TEST(f->message.find("created VOLATILE, PostgreSQL's default, by migration 1") != std::string::npos,
               f->message);
    BOOST_TEST(f->column == 48); // the call of next_code()
    // Not created by the set: lint cannot tell.
    const std::optional<lint_finding> unknown =
        first(lint_up("ALTER TABLE users ADD COLUMN code text DEFAULT next_code();"), "add-column-volatile-default");
    BOOST_REQUIRE(unknown.has_value());
    BOOST_TEST(static_cast<int>(unknown->level) == static_cast<int>(risk::medium));
}

BOOST_AUTO_TEST_CASE(findings_name_the_migration_that_created_their_table) {
    const pgmig::migration_set set = pgmig::migration_set::from_files({
        {"000001_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text);"},
        {"000001_users.down.sql", "DROP TABLE users;"},
        {"000002_rename.up.sql", "ALTER TABLE users RENAME TO accounts;"},
        {"000002_rename.down.sql", "ALTER TABLE accounts RENAME TO users;"},
        {"000003_drop.up.sql", "ALTER TABLE accounts DROP COLUMN email;\nDROP TABLE legacy;"},
        {"000003_drop.down.sql", "SELECT 1;"},
    });
    const std::vector<migration_lint> results = pgmig::lint_set(set);
    BOOST_TEST(first(results.at(1), "rename-table")->created_by.value_or(-1) == 1);
    BOOST_TEST(first(results.at(2), "drop-column")->created_by.value_or(-1) == 1); // renamed
    BOOST_TEST(!first(results.at(2), "drop-table")->created_by.has_value()); // not created by the set
}

// ------------------------------------------------------------------ no-down-section

BOOST_AUTO_TEST_CASE(no_down_section) {
    const migration_lint r = pgmig::lint_migration(paired("ALTER TABLE t ADD COLUMN a bigint;", ""));
    const lint_finding* f = first(r, "no-down-section");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(static_cast<int>(f->level) == static_cast<int>(risk::low));
    BOOST_TEST(f->line == 1);
    BOOST_TEST(!f->suppressed);
    BOOST_TEST(static_cast<int>(r.level) == static_cast<int>(risk::low));
    BOOST_TEST(!first(lint_up("ALTER TABLE t ADD COLUMN a bigint;"), "no-down-section").has_value());

    const migration_lint allowed = pgmig::lint_migration(
        paired("ALTER TABLE t ADD COLUMN a bigint;\n-- pgmig:allow no-down-section data migration, not reversible\n", ""));
    f = first(allowed, "no-down-section");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(f->suppressed);
    BOOST_TEST(f->suppression_reason == "data migration, not reversible");
    BOOST_TEST(static_cast<int>(allowed.level) == static_cast<int>(risk::none));
}

// ------------------------------------------------------------------ empty-migration

BOOST_AUTO_TEST_CASE(empty_migration) {
    // The template `pgmig new` writes: comments and a directive, no statement.
    const migration_lint r = pgmig::lint_migration(
        paired("-- add_status: write the change here.\n-- pgmig:no-transaction\n\n/* later */ ;\n", "DROP TABLE t;"));
    const lint_finding* f = first(r, "empty-migration");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(static_cast<int>(f->level) == static_cast<int>(risk::critical));
    BOOST_TEST(f->line == 1);
    BOOST_TEST(f->message.find("fill it in") != std::string::npos, f->message);
    BOOST_TEST(static_cast<int>(r.level) == static_cast<int>(risk::critical));
    BOOST_TEST(!first(pgmig::lint_migration(paired("-- adds a column\nALTER TABLE t ADD COLUMN a bigint;", "SELECT 1;")),
                      "empty-migration")
                    .has_value());
}

// ------------------------------------------------------------------ suppression

BOOST_AUTO_TEST_CASE(suppression_with_reason_on_the_line_before) {
    const migration_lint r = lint_up("-- pgmig:allow drop-column replaced by users.email_address in v12\n"
                                  "ALTER TABLE users DROP COLUMN email;");
    const lint_finding* f = first(r, "drop-column");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(f->suppressed);
    BOOST_TEST(f->suppression_reason == "replaced by users.email_address in v12");
    BOOST_TEST(static_cast<int>(r.level) == static_cast<int>(risk::none));
    BOOST_TEST(r.findings.size() == 1u);
}

BOOST_AUTO_TEST_CASE(suppression_without_reason_does_not_suppress) {
    const migration_lint r = lint_up("-- pgmig:allow drop-column\nALTER TABLE users DROP COLUMN email;");
    const lint_finding* f = first(r, "drop-column");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(!f->suppressed);
    const lint_finding* s = first(r, "suppression-without-reason");
    BOOST_REQUIRE(s != nullptr);
    BOOST_TEST(s->line == 1);
    BOOST_TEST(s->statement == "-- pgmig:allow drop-column");
    BOOST_TEST(static_cast<int>(s->level) == static_cast<int>(risk::low));
    BOOST_TEST(static_cast<int>(r.level) == static_cast<int>(risk::high));
    // No rule at all.
    BOOST_TEST(flags("-- pgmig:allow\nSELECT 1;", "suppression-without-reason"));
}

BOOST_AUTO_TEST_CASE(suppression_on_the_statement_line_and_inside_a_statement) {
    const migration_lint trailing = lint_up("ALTER TABLE users DROP COLUMN a; -- pgmig:allow drop-column unused since v3\n"
                                         "ALTER TABLE users DROP COLUMN b;");
    std::vector<bool> suppressed;
    for (const lint_finding& f : trailing.findings) suppressed.push_back(f.suppressed);
    BOOST_TEST(suppressed == (std::vector<bool>{true, false}), boost::test_tools::per_element());

    const migration_lint inside = lint_up("ALTER TABLE users\n"
                                       "  -- pgmig:allow drop-column unused since v3\n"
                                       "  DROP COLUMN a;");
    BOOST_REQUIRE_EQUAL(inside.findings.size(), 1u);
    BOOST_TEST(inside.findings[0].suppressed);
    BOOST_TEST(inside.findings[0].statement_line == 1);
    BOOST_TEST(inside.findings[0].line == 3); // the DROP COLUMN
}

BOOST_AUTO_TEST_CASE(suppression_applies_to_the_next_statement_only) {
    const migration_lint r = lint_up("-- pgmig:allow drop-table archived in S3 on 2024-01-01\n"
                                  "\n"
                                  "-- another comment\n"
                                  "DROP TABLE a;\n"
                                  "DROP TABLE b;");
    BOOST_REQUIRE_EQUAL(r.findings.size(), 2u);
    BOOST_TEST(r.findings[0].relation == "a");
    BOOST_TEST(r.findings[0].suppressed);
    BOOST_TEST(r.findings[1].relation == "b");
    BOOST_TEST(!r.findings[1].suppressed);
    // A suppression of another rule does not apply.
    BOOST_TEST(flags("-- pgmig:allow drop-column not this one\nDROP TABLE a;", "drop-table"));
}

BOOST_AUTO_TEST_CASE(suppression_all_and_lists) {
    const migration_lint all = lint_up("-- pgmig:allow all reviewed with the DBA\n"
                                    "ALTER TABLE users DROP COLUMN a, ALTER COLUMN b TYPE bigint;");
    BOOST_TEST(all.findings.size() == 2u);
    BOOST_TEST(active(all).empty());
    BOOST_TEST(static_cast<int>(all.level) == static_cast<int>(risk::none));

    const migration_lint list = lint_up("-- pgmig:allow drop-column,change-column-type reviewed with the DBA\n"
                                     "ALTER TABLE users DROP COLUMN a, ALTER COLUMN b TYPE bigint, "
                                     "ALTER COLUMN c SET NOT NULL;");
    BOOST_TEST(active(list) == (std::multiset<std::string>{"set-not-null"}));

    // Case and spacing of the directive are free, like the other pgmig: directives.
    BOOST_TEST(!flags("--  PGMIG:Allow   drop-table   gone\nDROP TABLE a;", "drop-table"));
    // Inside a string it is not a comment.
    BOOST_TEST(flags("SELECT '-- pgmig:allow drop-table no';\nDROP TABLE a;", "drop-table"));
}

BOOST_AUTO_TEST_CASE(suppression_of_an_unknown_rule_is_reported) {
    const migration_lint r = lint_up("-- pgmig:allow drop-tabel,drop-table typo and real id\nDROP TABLE a;");
    const lint_finding* f = first(r, "suppression-unknown-rule");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(f->message.find("drop-tabel") != std::string::npos);
    BOOST_TEST(first(r, "drop-table")->suppressed); // the known id still works
}

BOOST_AUTO_TEST_CASE(parse_error_can_be_suppressed) {
    const migration_lint r = lint_up("-- pgmig:allow parse-error PostgreSQL 17 syntax\n"
                                  "ALTER TABLE m MERGE PARTITIONS (a, b) INTO ab;");
    const lint_finding* f = first(r, "parse-error");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(f->suppressed);
}

// ------------------------------------------------------------------ lines

BOOST_AUTO_TEST_CASE(lines_in_single_file_format) {
    const std::string content = "-- MIGRATION: drop legacy\n"  // 1
                                "-- DIRECTION: up\n"           // 2
                                "CREATE TABLE t (id bigint);\n" // 3
                                "\n"                           // 4
                                "/* multi-line\n"              // 5
                                "   comment */ ALTER TABLE users\n" // 6
                                "  DROP COLUMN email;\n"       // 7
                                "-- DIRECTION: down\n"         // 8
                                "SELECT 1;\n"                  // 9
                                "DROP TABLE users;\n";         // 10
    const pgmig::migration_set set = pgmig::migration_set::from_files({{"20240101_120000_drop_legacy.sql", content}});
    BOOST_REQUIRE_EQUAL(set.size(), 1u);
    const pgmig::migration& m = set.migrations().front();
    BOOST_TEST(m.up_line == 3);

    pgmig::lint_options options;
    options.lint_down = true;
    const migration_lint r = pgmig::lint_migration(m, options);
    BOOST_TEST(r.version == 20240101120000);
    BOOST_TEST(r.file == "20240101_120000_drop_legacy.sql");
    BOOST_TEST(r.name == m.name);
    BOOST_REQUIRE_EQUAL(r.findings.size(), 2u);
    BOOST_TEST(r.findings[0].rule_id == "drop-column");
    BOOST_TEST(r.findings[0].statement_line == 6); // after the block comment
    BOOST_TEST(r.findings[0].line == 7);           // DROP COLUMN email
    BOOST_TEST(r.findings[0].column == 3);
    BOOST_TEST(r.findings[0].statement == "ALTER TABLE users");
    BOOST_TEST(!r.findings[0].down);
    BOOST_TEST(r.findings[1].rule_id == "drop-table");
    BOOST_TEST(r.findings[1].line == 10);
    BOOST_TEST(r.findings[1].down);
    BOOST_TEST(r.findings[1].file == "20240101_120000_drop_legacy.sql");

    // Without lint_down the down section is not linted.
    const migration_lint up_only = pgmig::lint_migration(m);
    BOOST_TEST(up_only.findings.size() == 1u);
}

BOOST_AUTO_TEST_CASE(lines_in_paired_format) {
    const pgmig::migration_set set = pgmig::migration_set::from_files({
        {"000007_cleanup.up.sql", "-- clean up\n\nDELETE FROM a;\nSELECT 1;  DELETE FROM b;\n\n\nTRUNCATE\n  c;"},
        {"000007_cleanup.down.sql", "-- pgmig:no-transaction\n\nCREATE INDEX CONCURRENTLY i ON a (x);\nCREATE INDEX "
                                    "j ON a (y);\n"},
    });
    pgmig::lint_options options;
    options.lint_down = true;
    const migration_lint r = pgmig::lint_migration(set.migrations().at(0), options);
    std::vector<std::string> got;
    for (const lint_finding& f : r.findings)
        got.push_back(f.file + ":" + std::to_string(f.line) + ":" + f.rule_id + (f.down ? ":down" : ""));
    const std::vector<std::string> want = {
        "000007_cleanup.up.sql:3:delete-without-where",
        "000007_cleanup.up.sql:4:delete-without-where",
        "000007_cleanup.up.sql:8:truncate", // the table, on the line after TRUNCATE
        "000007_cleanup.down.sql:4:create-index-without-concurrently:down",
    };
    BOOST_TEST(got == want, boost::test_tools::per_element());
    BOOST_TEST(r.findings.at(1).statement == "DELETE FROM b;");
}

// ------------------------------------------------------------------ parse errors

BOOST_AUTO_TEST_CASE(parse_error_is_a_finding_and_the_rest_is_still_linted) {
    const migration_lint r = lint_up("ALTER TABLE users ADD COLUMN a int;\n"
                                  "ALTER TABLE users MERGE PARTITIONS (p1, p2) INTO p12;\n"
                                  "DROP TABLE users;");
    const lint_finding* f = first(r, "parse-error");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(f->line == 2);
    BOOST_TEST(static_cast<int>(f->level) == static_cast<int>(risk::low));
    BOOST_TEST(f->message.find("could not check") != std::string::npos);
    BOOST_TEST(f->message.find("syntax error") != std::string::npos);
    BOOST_TEST(f->message.find("line 2") != std::string::npos);
    BOOST_TEST(first(r, "drop-table") != nullptr);
    BOOST_TEST(static_cast<int>(r.level) == static_cast<int>(risk::critical));
}

BOOST_AUTO_TEST_CASE(parse_error_of_a_misspelt_first_keyword_is_not_lost) {
    // libpg_query's scanner split leaves such a statement out; lint still reports it.
    const migration_lint r = lint_up("-- ünïcödé ✓\n"
                                     "COMMENT ON TABLE t IS 'é✓';\n"
                                     "SELEC 1;\n"
                                     "SELECT 'éé',\n  'x' FROM FROM t;\n"
                                     "DROP TABLE t;");
    std::vector<std::string> got;
    for (const lint_finding& f : r.findings) got.push_back(std::to_string(f.line) + ":" + f.rule_id);
    // The second parse error points where the parser does (line 5), in a statement of line 4.
    const std::vector<std::string> want = {"3:parse-error", "5:parse-error", "6:drop-table"};
    BOOST_TEST(got == want, boost::test_tools::per_element());
    BOOST_REQUIRE_EQUAL(r.findings.size(), 3u);
    BOOST_TEST(r.findings[0].statement == "SELEC 1;");
    BOOST_TEST(r.findings[1].statement_line == 4);
    BOOST_TEST(r.findings[1].column == 12); // the second FROM
    // The parser counts characters; the line it points at is still right after multi-byte text.
    BOOST_TEST(r.findings[1].message.find("at line 5") != std::string::npos, r.findings[1].message);
}

BOOST_AUTO_TEST_CASE(parse_error_when_the_text_cannot_even_be_split) {
    const migration_lint r = lint_up("SELECT 1;\n\nSELECT 'unterminated;\nDROP TABLE users;\n");
    const lint_finding* f = first(r, "parse-error");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(f->message.find("unterminated") != std::string::npos);
    BOOST_TEST(f->message.find("line 3") != std::string::npos);
    BOOST_TEST(f->message.find('\n') == std::string::npos);
    BOOST_TEST(static_cast<int>(r.level) == static_cast<int>(risk::low));
    // Unterminated block comment.
    BOOST_TEST(flags("SELECT 1; /* never closed", "parse-error"));
}

BOOST_AUTO_TEST_CASE(tricky_lexical_content_parses) {
    const migration_lint r = lint_up("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; -- x\n"
                                  "$body$;\n"
                                  "SELECT E'it\\'s -- not a comment', \"col;--\" FROM t;\n"
                                  "/* nested /* comment */ DROP TABLE x; */\n"
                                  "DO $$ BEGIN PERFORM 1; END $$;");
    BOOST_TEST(active(r).empty(), describe(r));
}

// ------------------------------------------------------------------ levels, options, set

BOOST_AUTO_TEST_CASE(levels_aggregate_to_the_highest_unsuppressed) {
    BOOST_TEST(static_cast<int>(lint_up("SELECT 1;").level) == static_cast<int>(risk::none));
    BOOST_TEST(lint_up("SELECT 1;").findings.empty());
    BOOST_TEST(static_cast<int>(lint_up("DROP INDEX i;").level) == static_cast<int>(risk::medium));
    BOOST_TEST(static_cast<int>(lint_up("DROP INDEX i;\nALTER TABLE t RENAME TO u;").level) ==
               static_cast<int>(risk::high));
    BOOST_TEST(static_cast<int>(lint_up("DROP INDEX i;\n-- pgmig:allow drop-table gone\nDROP TABLE t;").level) ==
               static_cast<int>(risk::medium));
    BOOST_TEST(static_cast<int>(lint_up("DROP INDEX i;\nDROP TABLE t;").level) == static_cast<int>(risk::critical));

    const pgmig::migration_set set = pgmig::migration_set::from_files({
        {"000001_a.up.sql", "DROP INDEX i;"},
        {"000001_a.down.sql", "SELECT 1;"},
        {"000002_b.up.sql", "ALTER TABLE t RENAME TO u;"},
        {"000002_b.down.sql", "SELECT 1;"},
        {"000003_c.up.sql", "SELECT 1;"},
        {"000003_c.down.sql", "SELECT 1;"},
    });
    const std::vector<migration_lint> results = pgmig::lint_set(set);
    BOOST_REQUIRE_EQUAL(results.size(), 3u);
    BOOST_TEST(static_cast<int>(results[0].level) == static_cast<int>(risk::medium));
    BOOST_TEST(static_cast<int>(results[1].level) == static_cast<int>(risk::high));
    BOOST_TEST(static_cast<int>(results[2].level) == static_cast<int>(risk::none));
    BOOST_TEST(static_cast<int>(pgmig::max_level(results)) == static_cast<int>(risk::high));
    BOOST_TEST(static_cast<int>(pgmig::max_level({})) == static_cast<int>(risk::none));
}

BOOST_AUTO_TEST_CASE(disabled_rules_are_dropped_and_unknown_ones_refused) {
    pgmig::lint_options options;
    options.disabled_rules = {"drop-table", "no-down-section"};
    const migration_lint r = pgmig::lint_migration(paired("DROP TABLE a;\nDROP INDEX i;", ""), options);
    BOOST_TEST(active(r) == (std::multiset<std::string>{"drop-index-without-concurrently"}));

    options.disabled_rules = {"drop-tabel"};
    BOOST_CHECK_EXCEPTION(pgmig::lint_migration(paired("SELECT 1;"), options), pgmig::error,
                          [](const pgmig::error& e) {
                              return e.code() == pgmig::error_code::usage &&
                                     std::string(e.what()).find("drop-tabel") != std::string::npos;
                          });
}

BOOST_AUTO_TEST_CASE(down_section_is_linted_against_the_schema_the_up_left) {
    const pgmig::migration_set set = pgmig::migration_set::from_files({
        {"000001_t.up.sql", "CREATE TABLE t (a int);"},
        {"000001_t.down.sql", "DROP TABLE t;"},
        {"000002_u.up.sql", "CREATE INDEX t_a_idx ON t (a);"},
        {"000002_u.down.sql", "DROP INDEX t_a_idx;"},
    });
    pgmig::lint_options options;
    options.lint_down = true;
    const std::vector<migration_lint> results = pgmig::lint_set(set, options);
    BOOST_REQUIRE_EQUAL(results.size(), 2u);
    // Rolling back migration 1 drops a table that holds production data by then.
    BOOST_TEST(active(results[0]).count("drop-table") == 1, describe(results[0]));
    BOOST_TEST(first(results[0], "drop-table")->down);
    BOOST_TEST(first(results[0], "drop-table")->file == "000001_t.down.sql");
    const std::multiset<std::string> second = active(results[1]);
    BOOST_TEST(second.count("create-index-without-concurrently") == 1);
    BOOST_TEST(second.count("drop-index-without-concurrently") == 1);
    BOOST_TEST(first(results[1], "drop-index-without-concurrently")->relation == "t");
}

// ------------------------------------------------------------------ corpus

BOOST_AUTO_TEST_CASE(concurrently_in_a_transactional_migration_is_a_parse_error) {
    // Not a lint finding but an error of the set itself: it could never run.
    try {
        pgmig::migration_set::from_directory(std::string(PGMIG_TEST_DATA_DIR) + "/lint/not_in_transaction");
        BOOST_FAIL("expected invalid_migration");
    } catch (const pgmig::error& e) {
        const std::string msg = e.what();
        BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(pgmig::error_code::invalid_migration));
        BOOST_TEST(msg.find("000001_concurrently_in_transaction.up.sql:2: CREATE INDEX CONCURRENTLY cannot run "
                            "inside a transaction block") != std::string::npos,
                   msg);
        BOOST_TEST(msg.find("-- pgmig:no-transaction") != std::string::npos);
        BOOST_TEST(e.where().line == 2);
    }
}

BOOST_AUTO_TEST_CASE(a_broken_set_still_gets_every_other_finding) {
    const pgmig::detail::core::parse_result loaded = pgmig::detail::core::parse_migration_files({
        {"00000000000000_diesel_initial_setup.up.sql", "CREATE FUNCTION noop() RETURNS void LANGUAGE sql AS '';"},
        {"00000000000000_diesel_initial_setup.down.sql", "DROP FUNCTION noop();"},
        {"000001_index.up.sql", "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);"},
        {"000001_index.down.sql", "DROP INDEX users_email_idx;"},
        {"000002_empty.up.sql", "\n"},
        {"000003_drop.up.sql", "DROP TABLE users;"},
        {"000003_drop.down.sql", "CREATE TABLE users (id bigint);"},
        {"create_things.sql", "CREATE TABLE things (id bigint);"},
    });
    const pgmig::migration_set set = pgmig::migration_set::from_precomputed(loaded.migrations);
    const std::vector<migration_lint> results = pgmig::detail::lint::lint_loaded(set, loaded.problems);
    std::vector<std::string> got;
    for (const migration_lint& r : results)
        for (const lint_finding& f : r.findings)
            if (!f.suppressed)
                got.push_back((r.loaded ? std::to_string(r.version) : "unloaded") + " " + f.file + ":" +
                              std::to_string(f.line) + " " + f.rule_id + " " + pgmig::to_string(f.level));
    BOOST_TEST(got == (std::vector<std::string>{
                          // the statement problem is lint's own rule, not repeated as a load problem
                          "1 000001_index.up.sql:1 non-transactional-in-transaction critical",
                          "3 000003_drop.up.sql:1 drop-table critical",
                          "unloaded 000002_empty.up.sql:1 invalid-migration critical",
                          "unloaded create_things.sql:1 invalid-migration critical"}),
               boost::test_tools::per_element());
    BOOST_TEST(results.at(0).version == 0); // version 0 loads and is linted like any other
    BOOST_TEST(results.at(0).loaded);
    BOOST_TEST(results.back().findings.at(0).message.find("not a migration file name") != std::string::npos);
    BOOST_TEST(static_cast<int>(pgmig::max_level(results)) == static_cast<int>(risk::critical));
    // A problem in a file of a version that loaded goes to that migration's result.
    const pgmig::detail::core::parse_result dup_files = pgmig::detail::core::parse_migration_files(
        {{"000004_a.up.sql", "SELECT 1;"}, {"000004_a.down.sql", "SELECT 1;"}, {"000004_b.up.sql", "SELECT 2;"}});
    const std::vector<migration_lint> dup = pgmig::detail::lint::lint_loaded(
        pgmig::migration_set::from_precomputed(dup_files.migrations), dup_files.problems);
    BOOST_REQUIRE_EQUAL(dup.size(), 1u);
    BOOST_TEST(dup[0].loaded);
    BOOST_TEST(active(dup[0]) == (std::multiset<std::string>{"invalid-migration"}), describe(dup[0]));
    BOOST_TEST(dup[0].findings.at(0).file == "000004_b.up.sql");
    // It can be disabled like any rule.
    pgmig::lint_options quiet;
    quiet.disabled_rules = {"invalid-migration"};
    BOOST_TEST(pgmig::detail::lint::lint_loaded(set, loaded.problems, quiet).size() == 3u);
}

BOOST_AUTO_TEST_CASE(dangerous_corpus) {
    const pgmig::migration_set set =
        pgmig::migration_set::from_directory(std::string(PGMIG_TEST_DATA_DIR) + "/lint/dangerous");
    pgmig::lint_options options;
    options.disabled_rules = {"no-down-section"};
    const std::vector<migration_lint> results = pgmig::lint_set(set, options);

    using rules = std::set<std::string>;
    const std::map<std::int64_t, rules> expected = {
        {1, {"drop-table"}},
        {2, {"drop-column"}},
        {3, {"drop-schema"}},
        {4, {"truncate"}},
        {5, {"add-column-not-null-without-default"}},
        {6, {"add-column-volatile-default"}},
        {7, {"set-not-null"}},
        {8, {"change-column-type"}},
        {9, {"add-check-without-not-valid"}},
        {10, {"add-foreign-key-without-not-valid", "foreign-key-without-index"}},
        {11, {"add-unique-without-index"}},
        {12, {"add-primary-key-without-index"}},
        {13, {"create-index-without-concurrently"}},
        {14, {"drop-index-without-concurrently"}},
        {15, {"rename-column"}},
        {16, {"rename-table"}},
        {17, {"update-without-where"}},
        {18, {"delete-without-where"}},
        {19, {"transaction-control-in-transaction"}},
        {21, {"vacuum-full"}},
        {22, {"cluster"}},
        {23, {"add-column-generated-stored"}},
        {24, {"add-exclusion-constraint"}},
        {25, {"reindex-without-concurrently"}},
        {26, {"refresh-materialized-view-without-concurrently"}},
        {27, {"foreign-key-without-index"}},
        {28, {"drop-database"}},
        {29, {"parse-error"}},
        {30, {"prefer-bigint-over-int", "ban-char-type", "prefer-timestamptz"}},
        {31, {"suppression-without-reason", "drop-column"}},
    };
    BOOST_TEST(results.size() == expected.size());
    for (const migration_lint& r : results) {
        BOOST_TEST_CONTEXT("corpus migration " << r.file) {
            const auto it = expected.find(r.version);
            BOOST_REQUIRE(it != expected.end());
            const std::multiset<std::string> got_all = active(r);
            const rules got(got_all.begin(), got_all.end());
            BOOST_TEST(got == it->second, describe(r));
            BOOST_TEST(static_cast<int>(r.level) != static_cast<int>(risk::none));
            for (const lint_finding& f : r.findings) {
                BOOST_TEST(f.file == r.file);
                BOOST_TEST(f.line >= 1);
                BOOST_TEST(!f.statement.empty());
                BOOST_TEST(!f.message.empty());
                BOOST_TEST(!f.safe_alternative.empty());
            }
        }
    }
    BOOST_TEST(static_cast<int>(pgmig::max_level(results)) == static_cast<int>(risk::critical));
}

BOOST_AUTO_TEST_CASE(safe_corpus_has_no_unsuppressed_findings) {
    const pgmig::migration_set set =
        pgmig::migration_set::from_directory(std::string(PGMIG_TEST_DATA_DIR) + "/lint/safe");
    BOOST_TEST(set.size() >= 5u);
    const std::vector<migration_lint> results = pgmig::lint_set(set);
    std::size_t suppressed = 0;
    for (const migration_lint& r : results) {
        BOOST_TEST(active(r).empty(), r.file << describe(r));
        for (const lint_finding& f : r.findings) suppressed += f.suppressed ? 1 : 0;
    }
    BOOST_TEST(suppressed == 1u); // the reviewed DROP COLUMN
    BOOST_TEST(static_cast<int>(pgmig::max_level(results)) == static_cast<int>(risk::none));
}

// ------------------------------------------------------------------ large sections

// A section of several parse batches (lint parses about 256 KB of statements at
// a time) and a seed INSERT of many rows (whose literal rows are not parsed):
// findings keep their lines, a parse error stays with its statement, and a
// suppression still finds its statement.
BOOST_AUTO_TEST_CASE(large_sections_keep_lines_and_suppressions) {
    std::string sql = "-- seed (an existing table: rules exempt tables the section creates)\nINSERT INTO seed VALUES\n(0, 'x')";
    int line = 3;
    for (int i = 1; i < 30000; ++i, ++line) sql += ",\n(" + std::to_string(i) + ", 'row " + std::to_string(i) + "')";
    sql += "\nON CONFLICT DO NOTHING;\n";
    ++line;
    const int after_seed = line + 1;
    for (int i = 0; i < 15000; ++i, ++line) sql += "INSERT INTO seed VALUES (" + std::to_string(i) + ", 'again');\n";
    sql += "UPDATE seed SET b = 'y';\n"; // line `line + 1`
    const int update_line = ++line;
    for (int i = 0; i < 15000; ++i, ++line) sql += "INSERT INTO seed VALUES (" + std::to_string(i) + ", 'more');\n";
    sql += "INSERT INTO seed VALUES (1, 'a') ON CONFLICT (a) DO UPDATE SET b = = 2;\n"; // a syntax error
    const int error_line = ++line;
    sql += "-- pgmig:allow delete-without-where the seed is replaced as a whole\nDELETE FROM seed;\n";
    line += 2;
    sql += "DELETE FROM seed;\n";
    const int delete_line = ++line;
    BOOST_TEST_REQUIRE(sql.size() > 3u * 256 * 1024);
    BOOST_TEST(after_seed > 30000);

    const migration_lint r = lint_up(sql);
    const lint_finding* update = first(r, "update-without-where");
    BOOST_TEST_REQUIRE(update != nullptr);
    BOOST_TEST(update->line == update_line);
    BOOST_TEST(update->statement == "UPDATE seed SET b = 'y';");
    const lint_finding* error = first(r, "parse-error");
    BOOST_TEST_REQUIRE(error != nullptr, describe(r));
    BOOST_TEST(error->line == error_line);
    std::vector<int> deletes;
    for (const lint_finding& f : r.findings)
        if (f.rule_id == "delete-without-where") deletes.push_back(f.suppressed ? -f.line : f.line);
    BOOST_TEST(deletes == (std::vector<int>{-(delete_line - 1), delete_line}), describe(r));
    BOOST_TEST(active(r).count("parse-error") == 1u, describe(r));
}

BOOST_AUTO_TEST_SUITE_END()
