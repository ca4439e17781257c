// pgmig benchmarks, each printed as a ratio to a baseline measured in the same run.
//
//  (a) boot with 1000 applied migrations and nothing to do
//      vs. a bare connect + SELECT 1                           target <= 1.5x
//  (b) applying 1000 trivial migrations (CREATE TABLE t_i (id int))
//      vs. replaying the same SQL plus one history INSERT per
//      migration, one transaction each, over one connection,
//      into a table of pgmig's history shape                     target <= 1.1x
//      pgmig's time is the whole migrate_on_startup() call (connect, probe,
//      lock connection, history DDL, 1000 transactions, execution times, the
//      final read); the replay's is opening its connection + 1000 transactions
//      (its history table is created before its clock starts).
//
// Usage: pgmig_bench [--rounds N]   (server from $DB_URL; creates and drops its own databases)
#include "engine/db.hpp"
#include "engine/history.hpp"

#include <pgmig/pgmig.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using pgmig::detail::db_connection;
using clock_type = std::chrono::steady_clock;

namespace {

std::string with_database(const std::string& url, const std::string& db) {
    // postgresql://user:pw@host:port/db?params  or key=value
    if (url.rfind("postgres", 0) == 0 && url.find("://") != std::string::npos) {
        const std::size_t start = url.find('/', url.find("://") + 3);
        const std::size_t q = url.find('?');
        if (start == std::string::npos) return url + "/" + db;
        return url.substr(0, start + 1) + db + (q == std::string::npos ? "" : url.substr(q));
    }
    return url + " dbname=" + db;
}

double ms_since(clock_type::time_point t0) {
    return std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : (v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2);
}

pgmig::migration_set trivial_set(int n) {
    std::vector<pgmig::source_file> files;
    files.reserve(static_cast<std::size_t>(n));
    for (int i = 1; i <= n; ++i) {
        char name[64];
        std::snprintf(name, sizeof name, "%06d_create_t_%d.up.sql", i, i);
        files.push_back({name, "CREATE TABLE t_" + std::to_string(i) + " (id int)"});
    }
    return pgmig::migration_set::from_files(std::move(files));
}

void recreate(db_connection& admin, const std::string& db) {
    admin.exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    admin.exec("CREATE DATABASE " + db);
}

} // namespace

int main(int argc, char** argv) {
    int rounds = 41;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--rounds") == 0) rounds = std::max(1, std::atoi(argv[i + 1]));
    const char* env = std::getenv("DB_URL");
    if (!env || !*env) env = std::getenv("PGMIG_TEST_DB_URL");
    if (!env || !*env) {
        std::fprintf(stderr, "pgmig_bench: set DB_URL (or run scripts/bench, which starts a throwaway server)\n");
        return 1;
    }
    const std::string server = env;
    auto admin = db_connection::open(server, "pgmig_bench");
    const int n = 1000;
    const auto set = trivial_set(n);
    pgmig::options quiet;
    quiet.log = [](pgmig::log_level, const std::string&) {};

    // ------------------------------------------------------------------ (a)
    const std::string db_a = "pgmig_bench_boot";
    recreate(*admin, db_a);
    const std::string url_a = with_database(server, db_a);
    pgmig::migrate_on_startup(url_a, set, quiet); // 1000 applied
    std::vector<double> boot, bare;
    const int boot_iters = 4 * rounds;
    for (int i = 0; i < boot_iters; ++i) {
        // Interleave so that both see the same machine conditions.
        auto t0 = clock_type::now();
        {
            auto c = db_connection::open_plain(url_a);
            c->query("SELECT 1");
        }
        bare.push_back(ms_since(t0));
        t0 = clock_type::now();
        auto r = pgmig::migrate_on_startup(url_a, set, quiet);
        boot.push_back(ms_since(t0));
        if (!r.applied.empty() || r.took_lock) {
            std::fprintf(stderr, "pgmig_bench: the no-op boot did work\n");
            return 2;
        }
    }
    const double boot_ms = median(boot), bare_ms = median(bare);

    // ------------------------------------------------------------------ (b)
    std::vector<double> apply, replay;
    const std::string db_b = "pgmig_bench_apply";
    auto run_replay = [&] {
        // Baseline: same SQL + one INSERT into a history table per migration, one transaction each.
        recreate(*admin, db_b);
        // The same history table pgmig creates (the specified columns, primary key and
        // partial unique index), so the ratio measures pgmig's machinery, not the schema.
        // It exists before the clock starts; pgmig's run creates its own.
        const pgmig::history_table_name history{"public", "baseline_history"};
        db_connection::open_plain(with_database(server, db_b))->exec(pgmig::detail::history_create_sql(history));
        admin->exec("CHECKPOINT");
        const std::string tbl = pgmig::detail::qualified_table(history);
        // A replay has to connect too: its one connection is opened on the clock.
        const auto t0 = clock_type::now();
        auto c = db_connection::open_plain(with_database(server, db_b));
        for (const auto& m : set) {
            c->exec("BEGIN; " + m.up_sql + ";\nINSERT INTO " + tbl +
                    " (version, name, checksum, direction, status) VALUES (" + std::to_string(m.version) + ", " +
                    pgmig::detail::quote_literal(m.name) + ", " + pgmig::detail::quote_literal(m.checksum) +
                    ", 'up', 'success'); COMMIT");
        }
        replay.push_back(ms_since(t0));
    };
    auto run_pgmig = [&]() -> bool {
        recreate(*admin, db_b);
        // The replay's setup connection (its history table) is the first one into its
        // fresh database and pays for building the relation cache; do the same here.
        db_connection::open_plain(with_database(server, db_b))->query("SELECT 1");
        admin->exec("CHECKPOINT");
        const auto t0 = clock_type::now();
        auto r = pgmig::migrate_on_startup(with_database(server, db_b), set, quiet);
        apply.push_back(ms_since(t0));
        if (r.applied.size() != static_cast<std::size_t>(n)) {
            std::fprintf(stderr, "pgmig_bench: applied %zu of %d\n", r.applied.size(), n);
            return false;
        }
        return true;
    };
    for (int round = 0; round < rounds; ++round) {
        // Alternate the order so that neither side always runs right after a DROP DATABASE.
        if (round % 2 == 0) {
            run_replay();
            if (!run_pgmig()) return 2;
        } else {
            if (!run_pgmig()) return 2;
            run_replay();
        }
    }
    admin->exec("DROP DATABASE IF EXISTS " + db_a + " WITH (FORCE)");
    admin->exec("DROP DATABASE IF EXISTS " + db_b + " WITH (FORCE)");
    const double apply_ms = median(apply), replay_ms = median(replay);

    std::printf("pgmig benchmarks (medians; %d boot samples, %d apply rounds)\n", boot_iters, rounds);
    std::printf("apply samples (pgmig / replay, ms):");
    for (std::size_t i = 0; i < apply.size(); ++i) std::printf(" %.0f/%.0f", apply[i], replay[i]);
    std::printf("\n");
    std::printf("| benchmark | pgmig | baseline | ratio | target |\n|---|---|---|---|---|\n");
    std::printf("| (a) no-op boot, 1000 applied vs. bare connect + SELECT 1 | %.2f ms | %.2f ms | %.2fx | <= 1.5x |\n",
                boot_ms, bare_ms, boot_ms / bare_ms);
    std::printf("| (b) apply 1000 trivial migrations vs. raw replay + history INSERT | %.0f ms | %.0f ms | %.2fx | <= 1.1x |\n",
                apply_ms, replay_ms, apply_ms / replay_ms);
    // Rounds drift (catalog growth from creating and dropping 1000-table databases),
    // and each round's two runs are adjacent: the median of per-round ratios is the
    // steadier estimate.
    std::vector<double> paired;
    for (std::size_t i = 0; i < apply.size(); ++i) paired.push_back(apply[i] / replay[i]);
    std::printf("| (b) same, median of per-round ratios | | | %.2fx | <= 1.1x |\n", median(paired));
    return 0;
}
