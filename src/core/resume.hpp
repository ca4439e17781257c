// pgmig — resuming an interrupted no-transaction migration (pure; the policy).
//
// A no-transaction migration runs statement by statement. Its `running` row
// records the run id, the backend that runs the statements and how many have
// finished (statements_done). Every statement that can run in a transaction
// block is sent together with its progress update in one implicit transaction,
// so for those statements_done is exact: the statement took effect if and only
// if its progress was recorded. A statement that cannot run in a transaction
// block (CREATE INDEX CONCURRENTLY, VACUUM, …), CALL and DO are sent alone,
// and its progress is recorded after it: if the run dies in between, whether
// it took effect must be found out from the database.
//
// The policy. The next run (boot or `up`) resumes an interrupted up run at
// statement statements_done + 1 automatically when that is provably safe:
//   1. the row was written by this protocol (it has a run id), it is the only
//      outstanding row of its version, and the migration's checksum and
//      statement count are the ones recorded;
//   2. the backend that ran it is no longer active (pg_stat_activity has no
//      session of that pid and backend start), and the row read again after
//      that check is the row judged (a backend may commit a statement with its
//      progress and end between the two reads; the engine then reads and
//      judges again: engine/history read_rows_and_judge); and
//   3. what the interrupted statement left is known: it is sent with its
//      progress (nothing of it took effect), or running it again is harmless
//      (VACUUM, CLUSTER, REINDEX SCHEMA|DATABASE|SYSTEM), or it is a
//      named CREATE [UNIQUE] INDEX CONCURRENTLY (absent: build it; INVALID:
//      drop it with DROP INDEX CONCURRENTLY IF EXISTS, then build it; valid:
//      it had finished, go on with the next statement) or DROP INDEX
//      CONCURRENTLY (absent: it had finished; present: drop it again).
// Otherwise it refuses with the exact state (which statement, which backend is
// still running it and how to stop it, which INVALID index it left), and
// `repair` is for the rest: after `repair` the next run resumes at the same
// statement (the operator has checked it; condition 3 is then not required,
// and the interrupted statement runs again), unless the file changed since
// (another checksum: it runs from its first statement, as it always did).
// Interrupted rollbacks (down rows) are never resumed.
#pragma once

#include <pgmig/history.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/reconcile.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail::core {

/// "statement 1" or "statements 1..n": the first n statements of a migration (n >= 1).
std::string first_statements(std::size_t n);

/// How a statement of a no-transaction part is sent, and what an interruption leaves.
enum class notx_statement {
    with_progress, ///< sent with its progress update in one implicit transaction
    index_build,   ///< CREATE [UNIQUE] INDEX CONCURRENTLY, sent alone
    index_drop,    ///< DROP INDEX CONCURRENTLY, sent alone
    rerunnable,    ///< sent alone; running it again is harmless (VACUUM, CLUSTER, REINDEX …)
    opaque,        ///< sent alone; commits on its own with no trace to look for (CALL, DO, CREATE DATABASE, …)
};
notx_statement classify_notx_statement(std::string_view statement);

/// The index a CREATE/DROP INDEX CONCURRENTLY names.
struct index_target {
    bool build = true;
    std::string name;  ///< build: the index's name as the server stores it (unquoted names folded to lower case)
    std::string table; ///< build: the table as written (for to_regclass); drop: the index as written
};
/// nullopt for other statements and for CREATE INDEX CONCURRENTLY without a name.
std::optional<index_target> concurrent_index(std::string_view statement);

/// An interrupted (`running`) or repaired no-transaction attempt whose resumption
/// the next run considers, with what the engine must look up for it.
struct attempt {
    const history_row* row = nullptr;
    const migration* m = nullptr;     ///< the set's migration (nullptr for a down row)
    std::size_t next = 0;             ///< 0-based index of the first statement that did not finish
    std::string statement;            ///< its text ("" when every statement finished)
    int line = 0;                     ///< its line in the file
    notx_statement kind = notx_statement::with_progress;
    std::optional<index_target> index;
};
/// The attempts to judge: for each version, its latest row when it is a
/// `running` row with a backend recorded, or a `repaired` up row of this
/// protocol whose migration is unchanged (condition 1 above for up rows).
std::vector<attempt> attempts_to_judge(const migration_set& set, const std::vector<history_row>& rows);

/// What the database says about an attempt (looked up by the engine).
struct backend_activity {
    int pid = 0;
    std::string state, query, since;
};
struct index_state {
    bool exists = false;
    bool valid = false;
    std::string qualified; ///< "schema"."name", quoted
};
struct attempt_facts {
    std::optional<backend_activity> backend; ///< the recorded backend, still active
    bool index_known = false;                ///< the index lookup succeeded
    index_state index;
};

/// How a resumed run starts.
struct resume_point {
    std::int64_t version = 0;
    std::int64_t row_id = 0;       ///< the attempt's row (a running one is closed when the new run starts)
    bool was_running = false;
    std::size_t first = 0;         ///< 0-based index of the first statement to run
    std::size_t total = 0;
    std::string drop_index;        ///< an INVALID index to DROP INDEX CONCURRENTLY IF EXISTS first
    std::string note;              ///< for the log: where it resumes and why
};

/// The verdict on one attempt: resume (with the problem, for a running row,
/// turned into a warning that says so) or refuse (with the exact state).
struct attempt_verdict {
    std::optional<resume_point> resume;
    problem report; ///< kind interrupted; level refusal unless resumed
};
attempt_verdict judge_attempt(const attempt& a, const attempt_facts& facts, const std::string& admin_command);

/// Put the verdicts into the report: an interrupted row's problem is replaced
/// by its verdict's; a refused repaired row adds its problem.
void apply_verdicts(reconcile_report& report, const std::vector<attempt>& attempts,
                    const std::vector<attempt_verdict>& verdicts);

} // namespace pgmig::detail::core
