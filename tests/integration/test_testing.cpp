// pgmig::testing against a real server: the template is built once and cloned
// after that, a changed set gets its own, parallel processes share one, handles
// drop their databases (or keep them), earlier runs' leftovers are cleaned.
//
// Every test makes migration sets of its own (a marker unique to the run in a
// comment changes the checksums), so that its templates are its own even when
// other test programs use the same server at the same time, and it drops them
// at the end.
#include "support/server.hpp"

#include "engine/db.hpp"
#include "testing/naming.hpp"

#include <pgmig/testing.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <set>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

using namespace pgmig_test;
using pgmig::detail::engine::quote_ident;
using pgmig::detail::engine::quote_literal;
namespace fs = std::filesystem;
namespace t = pgmig::testing;

namespace {

/// A marker no other run shares: in a comment of each set's first migration.
std::string run_marker() {
    static const std::string marker = std::to_string(::getpid()) + "_" + pgmig::detail::testing::random_name_suffix();
    return marker;
}

/// `count` migrations (tables t1…), unique to this run and `variant`.
std::vector<std::pair<std::string, std::string>> migration_files(int count, const std::string& variant) {
    std::vector<std::pair<std::string, std::string>> files;
    for (int i = 1; i <= count; ++i) {
        char name[64];
        std::snprintf(name, sizeof name, "%06d_create_t%d.up.sql", i, i);
        std::string sql = i == 1 ? "-- " + run_marker() + " " + variant + "\n" : "";
        sql += "CREATE TABLE t" + std::to_string(i) + " (id bigint PRIMARY KEY, note text);\n"
               "INSERT INTO t" + std::to_string(i) + " VALUES (1, 'seed');\n";
        files.emplace_back(name, sql);
    }
    return files;
}

pgmig::migration_set migration_set(int count, const std::string& variant) {
    return make_set(migration_files(count, variant));
}

/// Quiet options that keep nothing whatever the environment says; messages go to `log` when given.
t::options quiet(pgmig::logger log = {}) {
    t::options o;
    o.keep = t::keep_policy::never;
    o.migrate.log = log ? log : [](pgmig::log_level, const std::string&) {};
    return o;
}

struct captured_log {
    std::mutex m;
    std::vector<std::string> lines;
    pgmig::logger logger() {
        return [this](pgmig::log_level l, const std::string& s) {
            std::lock_guard<std::mutex> g(m);
            lines.push_back(std::string(pgmig::to_string(l)) + ": " + s);
        };
    }
    std::string text() {
        std::lock_guard<std::mutex> g(m);
        std::string out;
        for (const auto& l : lines) out += l + "\n";
        return out;
    }
};

/// A session on the server's maintenance database, to look at pg_database.
class catalog {
public:
    catalog() : conn_(connect(server_url())) {}
    bool exists(const std::string& db) {
        return !conn_->query("SELECT 1 FROM pg_database WHERE datname = " + quote_literal(db)).empty();
    }
    /// "template=t allowconn=f" of a database, "" when absent.
    std::string flags(const std::string& db) {
        const auto r = conn_->query("SELECT datistemplate, datallowconn FROM pg_database WHERE datname = " +
                                    quote_literal(db));
        return r.empty() ? "" : "template=" + r.text(0, 0) + " allowconn=" + r.text(0, 1);
    }
    std::string comment(const std::string& db) {
        const auto r = conn_->query("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = " +
                                    quote_literal(db));
        return r.empty() ? "" : r.text(0, 0);
    }
    /// Databases whose name starts with `prefix`.
    std::vector<std::string> named(const std::string& prefix) {
        const auto r = conn_->query("SELECT datname FROM pg_database WHERE starts_with(datname, " +
                                    quote_literal(prefix) + ") ORDER BY 1");
        std::vector<std::string> out;
        for (std::size_t i = 0; i < r.size(); ++i) out.push_back(r.text(i, 0));
        return out;
    }
    /// Drop a template this test made (never another program's).
    void drop_template(const std::string& name) {
        if (!exists(name)) return;
        conn_->exec("ALTER DATABASE " + quote_ident(name) + " IS_TEMPLATE false");
        conn_->exec("DROP DATABASE IF EXISTS " + quote_ident(name) + " WITH (FORCE)");
    }
    db_connection& session() { return *conn_; }

private:
    std::unique_ptr<db_connection> conn_;
};

/// Drops the templates of a test when it ends, however it ends.
struct template_guard {
    catalog& cat;
    std::vector<std::string> names;
    ~template_guard() {
        for (const auto& n : names) {
            try {
                cat.drop_template(n);
                cat.drop_template(pgmig::detail::testing::building_database_name(n));
            } catch (const std::exception& e) {
                BOOST_TEST_MESSAGE("could not drop template " << n << ": " << e.what());
            }
        }
    }
};

std::string scalar_on(const std::string& url, const std::string& sql) {
    return connect(url)->query(sql).text(0, 0);
}

struct env_var {
    std::string name;
    std::optional<std::string> saved;
    env_var(std::string n, const char* value) : name(std::move(n)) {
        if (const char* v = std::getenv(name.c_str())) saved = v;
        if (value)
            ::setenv(name.c_str(), value, 1);
        else
            ::unsetenv(name.c_str());
    }
    ~env_var() {
        if (saved)
            ::setenv(name.c_str(), saved->c_str(), 1);
        else
            ::unsetenv(name.c_str());
    }
};

struct process_result {
    int exit_code = -1;
    std::string out, err;
};

/// Start the helper with `args` (after the server URL); the result once it ends.
class helper_process {
public:
    helper_process(const fs::path& dir, const std::string& tag, std::vector<std::string> args) {
        out_ = (dir / (tag + ".out")).string();
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&actions, 2, (out_ + ".err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        args.insert(args.begin(), server_url());
        args.insert(args.begin(), PGMIG_TESTING_HELPER_PATH);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        const int rc = posix_spawn(&pid_, PGMIG_TESTING_HELPER_PATH, &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) throw std::runtime_error("posix_spawn failed: " + std::to_string(rc));
    }
    process_result wait() {
        int status = 0;
        ::waitpid(pid_, &status, 0);
        process_result r;
        r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        std::ifstream o(out_), e(out_ + ".err");
        r.out.assign(std::istreambuf_iterator<char>(o), std::istreambuf_iterator<char>());
        r.err.assign(std::istreambuf_iterator<char>(e), std::istreambuf_iterator<char>());
        return r;
    }

private:
    pid_t pid_ = 0;
    std::string out_;
};

fs::path write_directory(const std::string& tag, const std::vector<std::pair<std::string, std::string>>& files) {
    const fs::path dir = fs::temp_directory_path() / ("pgmig_testing_" + tag + "_" + run_marker());
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (const auto& [name, sql] : files) std::ofstream(dir / name) << sql;
    return dir;
}

std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        const std::string line = text.substr(at, end - at);
        if (line.rfind(prefix, 0) == 0) out.push_back(line.substr(prefix.size()));
        at = end + 1;
    }
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(testing_databases)

BOOST_AUTO_TEST_CASE(the_template_is_built_once_then_cloned) {
    catalog cat;
    const auto set = migration_set(12, "once");
    t::factory first(server_url(), set, quiet());
    template_guard guard{cat, {first.template_name()}};
    BOOST_TEST(!cat.exists(first.template_name()));
    BOOST_TEST(!first.built_template());

    t::database a = first.create("built_once/a");
    BOOST_TEST(first.built_template());
    BOOST_TEST(a.template_name() == first.template_name());
    // A template nobody may connect to, marked as pgmig's, with the set's digest.
    BOOST_TEST(cat.flags(first.template_name()) == "template=t allowconn=f");
    const std::string mark = cat.comment(first.template_name());
    BOOST_TEST(mark.find("pgmig.testing kind=template ") == 0u, mark);
    BOOST_TEST(mark.find("digest=" + first.set_digest()) != std::string::npos, mark);
    BOOST_TEST(mark.find("migrations=12") != std::string::npos, mark);
    BOOST_TEST(!cat.exists(pgmig::detail::testing::building_database_name(first.template_name())));

    // The clone holds the set: tables, rows, and a history that says it is up to date.
    BOOST_TEST(scalar_on(a.url(), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^t[0-9]+$'") == "12");
    BOOST_TEST(scalar_on(a.url(), "SELECT note FROM t12") == "seed");
    pgmig::options verify;
    verify.mode = pgmig::run_mode::verify_only;
    verify.log = [](pgmig::log_level, const std::string&) {};
    const auto report = pgmig::migrate_on_startup(a.url(), set, verify);
    BOOST_TEST(report.state.applied.size() == 12u);
    BOOST_TEST(!report.took_lock);

    // Later databases, from this factory and from another one (another process
    // would do the same), are clones: nobody builds again.
    t::database b = first.create("built_once/b");
    t::factory second(server_url(), set, quiet());
    BOOST_TEST(second.template_name() == first.template_name());
    t::database c = second.create("built_once/c");
    BOOST_TEST(!second.built_template());
    BOOST_TEST(scalar_on(c.url(), "SELECT count(*) FROM schema_migrations") == "12");
    // Clones are separate databases: what one test writes, the others do not see.
    connect(b.url())->exec("INSERT INTO t1 VALUES (2, 'only in b')");
    BOOST_TEST(scalar_on(b.url(), "SELECT count(*) FROM t1") == "2");
    BOOST_TEST(scalar_on(c.url(), "SELECT count(*) FROM t1") == "1");
    std::set<std::string> names{a.name(), b.name(), c.name()};
    BOOST_TEST(names.size() == 3u);
    for (const t::database* d : {&a, &b, &c}) {
        BOOST_TEST(cat.flags(d->name()) == "template=f allowconn=t");
        BOOST_TEST(cat.comment(d->name()).find("pgmig.testing kind=clone ") == 0u);
        BOOST_TEST(cat.comment(d->name()).find("template=" + first.template_name()) != std::string::npos);
    }
    // Nobody stays on the template.
    BOOST_TEST(cat.session().query("SELECT count(*) FROM pg_stat_activity WHERE datname = " +
                                   quote_literal(first.template_name())).text(0, 0) == "0");
}

BOOST_AUTO_TEST_CASE(a_changed_set_builds_a_new_template) {
    catalog cat;
    const auto v1 = migration_set(5, "changed");
    auto files = migration_files(5, "changed");
    files.emplace_back("000006_create_t6.up.sql", "CREATE TABLE t6 (id int);");
    const auto v2 = make_set(files);
    auto edited_files = migration_files(5, "changed");
    edited_files[4].second += "-- edited\n";
    const auto edited = make_set(edited_files);

    t::factory f1(server_url(), v1, quiet()), f2(server_url(), v2, quiet()), f3(server_url(), edited, quiet());
    template_guard guard{cat, {f1.template_name(), f2.template_name(), f3.template_name()}};
    BOOST_TEST(f1.template_name() != f2.template_name());
    BOOST_TEST(f1.template_name() != f3.template_name());
    t::database d1 = f1.create("changed/v1");
    t::database d2 = f2.create("changed/v2");
    t::database d3 = f3.create("changed/edited");
    BOOST_TEST(f1.built_template());
    BOOST_TEST(f2.built_template());
    BOOST_TEST(f3.built_template());
    BOOST_TEST(cat.flags(f1.template_name()) == "template=t allowconn=f");
    BOOST_TEST(cat.flags(f2.template_name()) == "template=t allowconn=f");
    BOOST_TEST(scalar_on(d1.url(), "SELECT count(*) FROM schema_migrations") == "5");
    BOOST_TEST(scalar_on(d2.url(), "SELECT count(*) FROM schema_migrations") == "6");
    BOOST_TEST(scalar_on(d2.url(), "SELECT to_regclass('t6') IS NOT NULL") == "t");
    BOOST_TEST(scalar_on(d1.url(), "SELECT to_regclass('t6') IS NULL") == "t");
    BOOST_TEST(scalar_on(d3.url(), "SELECT checksum FROM schema_migrations WHERE version = 5") ==
               edited.migrations().back().checksum);

    // Old templates can be cleaned: here the two others of this test (never
    // another program's, which may be running on this server right now).
    t::cleanup_options what;
    what.leftovers = false;
    what.templates = true;
    what.log = [](pgmig::log_level, const std::string&) {};
    for (const std::string& name : cat.named("pgmig_tpl_"))
        if (name != f1.template_name() && name != f3.template_name()) what.keep_templates.push_back(name);
    const t::cleanup_report r = t::cleanup(server_url(), what);
    BOOST_TEST(std::set<std::string>(r.dropped.begin(), r.dropped.end()) ==
               (std::set<std::string>{f1.template_name(), f3.template_name()}));
    BOOST_TEST(!cat.exists(f1.template_name()));
    BOOST_TEST(!cat.exists(f3.template_name()));
    BOOST_TEST(cat.exists(f2.template_name()));
    // The clones are databases of their own: they outlive their template.
    BOOST_TEST(scalar_on(d1.url(), "SELECT count(*) FROM t1") == "1");
    // A template dropped under a factory that knew it: built again on demand.
    t::database again = f1.create("changed/rebuilt");
    BOOST_TEST(cat.exists(f1.template_name()));
    BOOST_TEST(scalar_on(again.url(), "SELECT count(*) FROM schema_migrations") == "5");
}

BOOST_AUTO_TEST_CASE(eight_processes_five_databases_each) {
    catalog cat;
    const auto files = migration_files(40, "parallel");
    const fs::path dir = write_directory("parallel", files);
    const std::string tpl = t::factory(server_url(), make_set(files), quiet()).template_name();
    template_guard guard{cat, {tpl}};
    BOOST_TEST(!cat.exists(tpl));

    constexpr int processes = 8, per_process = 5;
    std::vector<std::unique_ptr<helper_process>> running;
    for (int i = 0; i < processes; ++i)
        running.push_back(std::make_unique<helper_process>(
            dir, "p" + std::to_string(i), std::vector<std::string>{dir.string(), "create", std::to_string(per_process)}));
    int ok = 0, builders = 0;
    std::set<std::string> names;
    for (int i = 0; i < processes; ++i) {
        const process_result r = running[static_cast<std::size_t>(i)]->wait();
        BOOST_TEST_INFO("process " << i << " exited " << r.exit_code << "; stdout:\n" << r.out << "stderr:\n" << r.err);
        BOOST_TEST(r.exit_code == 0);
        if (r.exit_code == 0) ++ok;
        for (const auto& b : lines_starting(r.out, "built ")) builders += std::atoi(b.c_str());
        const auto dbs = lines_starting(r.out, "db ");
        BOOST_TEST(dbs.size() == static_cast<std::size_t>(per_process));
        for (const auto& d : dbs) {
            BOOST_TEST(d.size() <= 63u);
            names.insert(d);
        }
    }
    BOOST_TEST(ok == processes);
    BOOST_TEST(builders == 1); // one build; everybody else cloned it
    BOOST_TEST(names.size() == static_cast<std::size_t>(processes * per_process));
    BOOST_TEST(cat.flags(tpl) == "template=t allowconn=f");
    BOOST_TEST(!cat.exists(pgmig::detail::testing::building_database_name(tpl)));
    // Every process dropped its databases when it ended.
    for (const auto& n : names) BOOST_TEST(!cat.exists(n), n << " was left behind");
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(the_handle_drops_its_database) {
    catalog cat;
    const auto set = migration_set(3, "drop");
    t::factory f(server_url(), set, quiet());
    template_guard guard{cat, {f.template_name()}};
    std::string name;
    {
        t::database db = f.create("drop/scope");
        name = db.name();
        BOOST_TEST(cat.exists(name));
        // A session the test forgot to close does not keep it alive.
        auto forgotten = connect(db.url());
        forgotten->query("SELECT 1");
        t::database moved = std::move(db);
        BOOST_TEST(!db);
        BOOST_TEST(cat.exists(name));
        BOOST_TEST(moved.name() == name);
        BOOST_TEST(!moved.will_keep());
    }
    BOOST_TEST(!cat.exists(name));

    // Move assignment drops what the target held; drop() drops at once.
    t::database x = f.create("drop/assign"), y = f.create("drop/assign");
    const std::string x_name = x.name(), y_name = y.name();
    x = std::move(y);
    BOOST_TEST(!cat.exists(x_name));
    BOOST_TEST(x.name() == y_name);
    x.drop();
    BOOST_TEST(!x);
    BOOST_TEST(!cat.exists(y_name));
    BOOST_CHECK_THROW((void)x.name(), pgmig::error);
}

BOOST_AUTO_TEST_CASE(kept_databases_stay_and_say_where_they_are) {
    catalog cat;
    const auto set = migration_set(2, "keep");
    captured_log log;
    t::options keep_all = quiet(log.logger());
    keep_all.keep = t::keep_policy::always;
    t::factory f(server_url(), set, keep_all);
    template_guard guard{cat, {f.template_name()}};
    std::string kept, kept_url;
    {
        t::database db = f.create("keep/always");
        BOOST_TEST(db.will_keep());
        kept = db.name();
        kept_url = db.url();
    }
    BOOST_TEST(cat.exists(kept));
    BOOST_TEST(cat.comment(kept).find("pgmig.testing kind=kept ") == 0u);
    BOOST_TEST(log.text().find("kept the test database " + kept + " of keep/always: " + pgmig::mask_password(kept_url)) !=
               std::string::npos, log.text());
    const std::string password = password_of(server_url());
    if (!password.empty()) BOOST_TEST(log.text().find(password) == std::string::npos);
    // The caller has the full URL: the kept database is usable.
    BOOST_TEST(scalar_on(kept_url, "SELECT count(*) FROM schema_migrations") == "2");

    // keep(false) overrides the policy; on_failure keeps only a failed test's.
    t::options on_failure = quiet(log.logger());
    on_failure.keep = t::keep_policy::on_failure;
    t::factory g(server_url(), set, on_failure);
    std::string passed, failed, unkept;
    {
        t::database p = g.create("keep/passed");
        t::database q = g.create("keep/failed");
        t::database r = f.create("keep/unkept");
        passed = p.name();
        failed = q.name();
        unkept = r.name();
        q.mark_failed();
        r.keep(false);
        BOOST_TEST(!p.will_keep());
        BOOST_TEST(q.will_keep());
    }
    BOOST_TEST(!cat.exists(passed));
    BOOST_TEST(cat.exists(failed));
    BOOST_TEST(!cat.exists(unkept));

    // From the environment.
    {
        env_var keep("PGMIG_TESTING_KEEP", "1");
        t::options from_env = quiet(log.logger());
        from_env.keep = t::keep_policy::from_environment;
        t::factory e(server_url(), set, from_env);
        t::database d = e.create("keep/env");
        BOOST_TEST(d.will_keep());
        const std::string name = d.name();
        d.drop(); // dropped all the same when asked
        BOOST_TEST(!d);
        BOOST_TEST(!cat.exists(name));
    }
    {
        env_var keep("PGMIG_TESTING_KEEP", "sometimes");
        t::options from_env = quiet();
        from_env.keep = t::keep_policy::from_environment;
        const pgmig::error e = expect_error([&] { (void)t::factory(server_url(), set, from_env); });
        BOOST_TEST((e.code() == pgmig::error_code::usage));
        BOOST_TEST(std::string(e.what()).find("PGMIG_TESTING_KEEP is 'sometimes'") != std::string::npos, e.what());
    }

    // cleanup() leaves kept databases alone unless asked. (Scoped to this
    // test's databases: the server may hold other people's kept ones.)
    t::cleanup_options leftovers_only;
    leftovers_only.log = [](pgmig::log_level, const std::string&) {};
    leftovers_only.name_prefix = kept;
    BOOST_TEST(t::cleanup(server_url(), leftovers_only).dropped.empty());
    BOOST_TEST(cat.exists(kept));
    for (const std::string& name : {kept, failed}) {
        t::cleanup_options kept_too = leftovers_only;
        kept_too.leftovers = false;
        kept_too.kept = true;
        kept_too.name_prefix = name;
        BOOST_TEST(t::cleanup(server_url(), kept_too).dropped == std::vector<std::string>{name});
        BOOST_TEST(!cat.exists(name));
    }
}

BOOST_AUTO_TEST_CASE(names_are_valid_and_say_which_test) {
    catalog cat;
    const auto set = migration_set(1, "names");
    t::factory f(server_url(), set, quiet());
    template_guard guard{cat, {f.template_name()}};
    const std::string long_name = "Suite/" + std::string(200, 'x') + "/Case";
    for (const std::string& test : {std::string("Orders/Are numbered (3)"), std::string("ünïcødé ☃"), long_name,
                                   std::string()}) {
        t::database db = f.create(test);
        BOOST_TEST_INFO(test << " → " << db.name());
        BOOST_TEST(db.name().size() <= 63u);
        BOOST_TEST(db.name().rfind("pgmig_test_", 0) == 0u);
        BOOST_TEST(db.name().find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos);
        BOOST_TEST(cat.exists(db.name())); // PostgreSQL kept the name as given (no truncation)
        BOOST_TEST(db.url().find(db.name()) != std::string::npos);
        BOOST_TEST(db.masked_url() == pgmig::mask_password(db.url()));
    }
    t::database db = f.create("Orders/Are numbered (3)");
    BOOST_TEST(db.name().rfind("pgmig_test_orders_are_numbered_3_", 0) == 0u, db.name());
    BOOST_TEST(cat.comment(db.name()).find(" test=orders_are_numbered_3") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(leftovers_of_a_crashed_run_are_dropped) {
    catalog cat;
    const auto files = migration_files(2, "crash");
    const fs::path dir = write_directory("crash", files);
    const auto set = make_set(files);
    const std::string tpl = t::factory(server_url(), set, quiet()).template_name();
    template_guard guard{cat, {tpl}};

    helper_process crashing(dir, "crash", {dir.string(), "crash"});
    const process_result r = crashing.wait();
    BOOST_TEST_INFO("stdout:\n" << r.out << "stderr:\n" << r.err);
    BOOST_TEST(r.exit_code == 3);
    const auto left = lines_starting(r.out, "db ");
    BOOST_REQUIRE(left.size() == 1u);
    BOOST_TEST(cat.exists(left[0])); // its process died without dropping it

    // Databases marked by other hosts: a young one might be in use; an old one is not.
    const std::string young = "pgmig_test_other_host_young_" + run_marker(), old = "pgmig_test_other_host_old_" + run_marker();
    for (const auto& [name, age] : {std::pair<std::string, int>{young, 60}, {old, 25 * 3600}}) {
        cat.session().exec("DROP DATABASE IF EXISTS " + quote_ident(name));
        cat.session().exec("CREATE DATABASE " + quote_ident(name));
        pgmig::detail::testing::testing_mark m;
        m.host = "another-host-" + run_marker();
        m.pid = 1;
        m.created = static_cast<std::int64_t>(std::time(nullptr)) - age;
        cat.session().exec("COMMENT ON DATABASE " + quote_ident(name) + " IS " +
                           quote_literal(pgmig::detail::testing::format_mark(m)));
    }
    // A database in use is never forced: a live session on the old one keeps it for now.
    auto on_old = connect(url_for_database(server_url(), old));
    on_old->query("SELECT 1");

    // The next run's first database cleans up.
    captured_log log;
    t::options opts = quiet(log.logger());
    t::factory next(server_url(), set, opts);
    t::database db = next.create("after_the_crash");
    BOOST_TEST(!cat.exists(left[0]), log.text());
    BOOST_TEST(cat.exists(young));
    BOOST_TEST(cat.exists(old));
    BOOST_TEST(log.text().find("dropped clone database " + left[0]) != std::string::npos, log.text());
    on_old.reset();

    t::cleanup_options what;
    what.log = [](pgmig::log_level, const std::string&) {};
    what.name_prefix = "pgmig_test_other_host_";
    (void)t::cleanup(server_url(), what); // (another program's cleanup may get there first)
    BOOST_TEST(!cat.exists(old));
    BOOST_TEST(cat.exists(young));
    // Nor does it touch the running test's database or this run's template.
    BOOST_TEST(cat.exists(db.name()));
    BOOST_TEST(cat.exists(tpl));
    cat.session().exec("DROP DATABASE IF EXISTS " + quote_ident(young));
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(without_a_template_each_database_is_migrated) {
    catalog cat;
    const auto set = migration_set(4, "no_template");
    t::options opts = quiet();
    opts.use_template = false;
    t::factory f(server_url(), set, opts);
    t::database db = f.create("no_template");
    BOOST_TEST(db.template_name().empty());
    BOOST_TEST(!f.built_template());
    BOOST_TEST(!cat.exists(f.template_name()));
    BOOST_TEST(scalar_on(db.url(), "SELECT count(*) FROM schema_migrations") == "4");
    BOOST_TEST(cat.comment(db.name()).find("pgmig.testing kind=clone ") == 0u);
}

BOOST_AUTO_TEST_CASE(options_reach_the_migrator) {
    catalog cat;
    const auto set = migration_set(2, "options");
    t::options opts = quiet();
    opts.migrate.history_table = {"app_meta", "migrations_applied"};
    t::factory f(server_url(), set, opts);
    template_guard guard{cat, {f.template_name()}};
    // Another history table is another template.
    BOOST_TEST(f.template_name() != t::factory(server_url(), set, quiet()).template_name());
    t::database db = f.create("options");
    BOOST_TEST(scalar_on(db.url(), "SELECT count(*) FROM app_meta.migrations_applied") == "2");
    BOOST_TEST(scalar_on(db.url(), "SELECT to_regclass('public.schema_migrations') IS NULL") == "t");

    t::options verify = quiet();
    verify.migrate.mode = pgmig::run_mode::verify_only;
    BOOST_TEST((expect_error([&] { (void)t::factory(server_url(), set, verify); }).code() == pgmig::error_code::usage));
    t::options strategy = quiet();
    strategy.clone_strategy = "fast";
    BOOST_TEST((expect_error([&] { (void)t::factory(server_url(), set, strategy); }).code() == pgmig::error_code::usage));
    // Every strategy makes the same copy of the same template.
    for (const char* how : {"wal_log", ""}) {
        strategy.clone_strategy = how;
        t::factory other(server_url(), set, strategy);
        BOOST_TEST(other.template_name() == t::factory(server_url(), set, quiet()).template_name());
        guard.names.push_back(other.template_name());
        t::database copied = other.create(std::string("strategy_") + how);
        BOOST_TEST(scalar_on(copied.url(), "SELECT count(*) FROM schema_migrations") == "2");
    }
}

BOOST_AUTO_TEST_CASE(a_broken_migration_fails_the_build_and_leaves_nothing) {
    catalog cat;
    auto files = migration_files(3, "broken");
    files.emplace_back("000004_broken.up.sql", "CREATE TABLE t1 (id int);"); // t1 exists
    const auto set = make_set(files);
    t::factory f(server_url(), set, quiet());
    template_guard guard{cat, {f.template_name()}};
    const pgmig::error e = expect_error([&] { (void)f.create("broken"); });
    BOOST_TEST((e.code() == pgmig::error_code::migration_failed));
    BOOST_TEST(std::string(e.what()).find("applying the 4 migrations to the template database") != std::string::npos,
               e.what());
    BOOST_TEST(std::string(e.what()).find("000004_broken.up.sql") != std::string::npos, e.what());
    BOOST_TEST(e.where().sqlstate == "42P07");
    BOOST_TEST(!cat.exists(f.template_name()));
    BOOST_TEST(!cat.exists(pgmig::detail::testing::building_database_name(f.template_name())));
    BOOST_TEST(cat.named("pgmig_test_broken_").empty());
    // The lock was released: another process tries (and fails the same way) at once.
    t::options short_wait = quiet();
    short_wait.migrate.lock_timeout = std::chrono::seconds(5);
    t::factory again(server_url(), set, short_wait);
    BOOST_TEST((expect_error([&] { (void)again.create("broken"); }).code() == pgmig::error_code::migration_failed));
}

BOOST_AUTO_TEST_CASE(a_clone_waits_for_a_session_on_the_template_to_end) {
    catalog cat;
    const auto set = migration_set(2, "busy");
    t::factory f(server_url(), set, quiet());
    template_guard guard{cat, {f.template_name()}};
    f.prepare();
    BOOST_TEST(f.built_template());
    // Someone connects to the template (it must first allow it).
    cat.session().exec("ALTER DATABASE " + quote_ident(f.template_name()) + " ALLOW_CONNECTIONS true");
    auto intruder = connect(url_for_database(server_url(), f.template_name()), "template_intruder");
    intruder->query("SELECT 1");

    // With a short clone_timeout the clone gives up, naming the session. (The
    // server itself waits up to 5 s for sessions to leave before it refuses.)
    t::options impatient = quiet();
    impatient.clone_timeout = std::chrono::milliseconds(1);
    t::factory g(server_url(), set, impatient);
    const pgmig::error e = expect_error([&] { (void)g.create("busy/impatient"); });
    BOOST_TEST(e.where().sqlstate == "55006");
    BOOST_TEST(std::string(e.what()).find("application_name 'template_intruder'") != std::string::npos, e.what());

    // With the default, it retries until the session is gone.
    auto pending = std::async(std::launch::async, [&] { return f.create("busy/patient"); });
    // Past the server's own 5 s wait, so that pgmig's retry is what succeeds.
    const bool done_early = pending.wait_for(std::chrono::seconds(7)) == std::future_status::ready;
    BOOST_TEST(!done_early);
    intruder.reset();
    t::database db = pending.get();
    BOOST_TEST(cat.exists(db.name()));
    cat.session().exec("ALTER DATABASE " + quote_ident(f.template_name()) + " ALLOW_CONNECTIONS false");
}

BOOST_AUTO_TEST_CASE(fresh_database_and_the_shared_factory) {
    catalog cat;
    const auto set = migration_set(2, "shared");
    t::factory& shared = t::shared_factory(server_url(), set, quiet());
    template_guard guard{cat, {shared.template_name()}};
    BOOST_TEST(&t::shared_factory(server_url(), set, quiet()) == &shared);
    BOOST_TEST(&t::shared_factory(server_url(), migration_set(2, "shared-other"), quiet()) != &shared);
    guard.names.push_back(t::shared_factory(server_url(), migration_set(2, "shared-other"), quiet()).template_name());
    t::database a = t::fresh_database(server_url(), set, "shared/a", quiet());
    t::database b = t::fresh_database(server_url(), set, "shared/b", quiet());
    BOOST_TEST(a.name() != b.name());
    BOOST_TEST(shared.built_template());
    BOOST_TEST(scalar_on(b.url(), "SELECT count(*) FROM schema_migrations") == "2");

    env_var url("PGMIG_TESTING_URL", "postgresql://example.invalid/postgres");
    BOOST_TEST(t::server_url_from_environment() == "postgresql://example.invalid/postgres");
    env_var none("PGMIG_TESTING_URL", nullptr), fallback("DATABASE_URL", "host=elsewhere");
    BOOST_TEST(t::server_url_from_environment() == "host=elsewhere");
    env_var neither("DATABASE_URL", nullptr);
    BOOST_TEST((expect_error([] { (void)t::server_url_from_environment(); }).code() == pgmig::error_code::usage));
}

BOOST_AUTO_TEST_SUITE_END()
