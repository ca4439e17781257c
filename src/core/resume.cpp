// Resuming an interrupted no-transaction migration (see resume.hpp).
#include "core/resume.hpp"
#include "core/code_migration.hpp"

#include "core/admin_command.hpp"
#include "core/sql_lexer.hpp"
#include "core/sql_split.hpp"
#include "core/statement_kind.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <map>

namespace pgmig::detail::core {

namespace {

/// The significant tokens (no comments) of one statement, as text.
struct tokens {
    std::string_view sql;
    std::vector<token> t;

    explicit tokens(std::string_view s) : sql(s) {
        sql_lexer lex(s);
        token tok;
        while (lex.next(tok))
            if (!tok.is_comment()) t.push_back(tok);
    }
    std::string_view text(std::size_t i) const {
        return i < t.size() ? sql.substr(t[i].begin, t[i].end - t[i].begin) : std::string_view{};
    }
    bool is(std::size_t i, std::string_view upper) const {
        return i < t.size() && t[i].kind == token_kind::word && keyword_equals(text(i), upper);
    }
    bool is_punct(std::size_t i, char c) const { return i < t.size() && t[i].kind == token_kind::punct && text(i)[0] == c; }
    /// The text from token a to the end of token b (inclusive), as written.
    std::string span(std::size_t a, std::size_t b) const {
        return std::string(sql.substr(t[a].begin, t[b].end - t[a].begin));
    }
    /// An identifier token as the server stores it.
    std::optional<std::string> identifier(std::size_t i) const {
        if (i >= t.size()) return std::nullopt;
        const std::string_view v = text(i);
        if (t[i].kind == token_kind::word) return lower(v);
        if (t[i].kind != token_kind::quoted_identifier || v.size() < 2 || v[0] != '"') return std::nullopt;
        std::string out;
        for (std::size_t k = 1; k + 1 < v.size(); ++k) {
            out += v[k];
            if (v[k] == '"') ++k; // "" stands for "
        }
        return out;
    }
};

std::string first_line(const std::string& s) {
    std::string l = s.substr(0, s.find('\n'));
    if (l.size() > 120) l = l.substr(0, 117) + "...";
    return l;
}

std::string stmt_label(const attempt& a) {
    return "statement " + std::to_string(a.next + 1) + " of " + std::to_string(a.row->statements_total) + " (" +
           (a.m ? a.m->file : std::string("?")) + ":" + std::to_string(a.line) + ": " + first_line(a.statement) + ")";
}

} // namespace

std::string first_statements(std::size_t n) {
    return n == 1 ? std::string("statement 1") : "statements 1.." + std::to_string(n);
}

notx_statement classify_notx_statement(std::string_view statement) {
    const tokens t(statement);
    if (t.is(0, "CALL") || t.is(0, "DO")) return notx_statement::opaque;
    const std::string what = non_transactional_statement(statement);
    if (what.empty()) return notx_statement::with_progress;
    if (what == "CREATE INDEX CONCURRENTLY") return notx_statement::index_build;
    if (what == "DROP INDEX CONCURRENTLY") return notx_statement::index_drop;
    if (what == "VACUUM" || what == "CLUSTER" || what == "REINDEX SCHEMA" || what == "REINDEX DATABASE" ||
        what == "REINDEX SYSTEM")
        return notx_statement::rerunnable;
    return notx_statement::opaque;
}

std::optional<index_target> concurrent_index(std::string_view statement) {
    const tokens t(statement);
    std::size_t i = 0;
    if (t.is(0, "CREATE")) {
        i = 1;
        if (t.is(i, "UNIQUE")) ++i;
        if (!t.is(i, "INDEX") || !t.is(i + 1, "CONCURRENTLY")) return std::nullopt;
        i += 2;
        if (t.is(i, "IF") && t.is(i + 1, "NOT") && t.is(i + 2, "EXISTS")) i += 3;
        if (t.is(i, "ON")) return std::nullopt; // no name: the server picks one
        const std::optional<std::string> name = t.identifier(i);
        if (!name || !t.is(i + 1, "ON")) return std::nullopt;
        std::size_t from = i + 2;
        if (t.is(from, "ONLY")) ++from;
        std::size_t to = from;
        while (to + 2 < t.t.size() && t.is_punct(to + 1, '.')) to += 2; // schema.table
        if (from >= t.t.size() || !t.identifier(to)) return std::nullopt;
        return index_target{true, *name, t.span(from, to)};
    }
    if (t.is(0, "DROP") && t.is(1, "INDEX") && t.is(2, "CONCURRENTLY")) {
        i = 3;
        if (t.is(i, "IF") && t.is(i + 1, "EXISTS")) i += 2;
        std::size_t to = i;
        while (to + 2 < t.t.size() && t.is_punct(to + 1, '.')) to += 2;
        const std::optional<std::string> name = t.identifier(to);
        if (i >= t.t.size() || !name || t.is_punct(to + 1, ',')) return std::nullopt;
        return index_target{false, *name, t.span(i, to)};
    }
    return std::nullopt;
}

std::vector<attempt> attempts_to_judge(const migration_set& set, const std::vector<history_row>& rows) {
    std::map<std::int64_t, const history_row*> latest;
    std::map<std::int64_t, int> outstanding;
    std::map<std::int64_t, const history_row*> latest_success;
    for (const history_row& r : rows) {
        const history_row*& slot = latest[r.version];
        if (slot == nullptr || r.id >= slot->id) slot = &r;
        if (r.status == row_status::success) {
            const history_row*& done = latest_success[r.version];
            if (done == nullptr || r.id >= done->id) done = &r;
        }
        if (r.status == row_status::failed || r.status == row_status::running) ++outstanding[r.version];
    }
    std::vector<attempt> out;
    for (const auto& [version, row] : latest) {
        const bool running = row->status == row_status::running && row->backend_pid != 0;
        const history_row* done = latest_success[version];
        const bool applied = done != nullptr && done->dir == direction::up;
        const bool repaired = row->status == row_status::repaired && row->dir == direction::up && !row->run_id.empty() &&
                              row->statements_total > 0 && outstanding[version] == 0 && !applied;
        if (!running && !repaired) continue;
        attempt a;
        a.row = row;
        const migration* m = set.find(version);
        if (row->dir == direction::up && m != nullptr && is_code(*m) && m->up_no_transaction &&
            m->checksum == row->checksum && row->statements_total == 1 && row->statements_done >= 0 &&
            row->statements_done <= 1) {
            // A no-transaction C++ migration is one "statement", its up
            // function, which must be safe to run again (code_migration).
            a.m = m;
            a.next = static_cast<std::size_t>(row->statements_done);
            a.kind = notx_statement::rerunnable;
        } else if (row->dir == direction::up && m != nullptr && m->up_no_transaction && m->checksum == row->checksum) {
            const std::vector<sql_statement> stmts = split_sql(m->up_sql);
            if (static_cast<int>(stmts.size()) == row->statements_total && row->statements_done >= 0 &&
                row->statements_done <= row->statements_total) {
                a.m = m;
                a.next = static_cast<std::size_t>(row->statements_done);
                if (a.next < stmts.size()) {
                    a.statement = stmts[a.next].text;
                    a.line = m->up_line + stmts[a.next].line - 1;
                    a.kind = classify_notx_statement(a.statement);
                    a.index = concurrent_index(a.statement);
                }
            }
        }
        if (repaired && a.m == nullptr) continue; // changed since: it runs from its first statement
        out.push_back(std::move(a));
    }
    return out;
}

attempt_verdict judge_attempt(const attempt& a, const attempt_facts& facts, const std::string& admin_command) {
    const std::string cmd = admin_command_or_default(admin_command);
    const history_row& row = *a.row;
    const bool running = row.status == row_status::running;
    attempt_verdict v;
    v.report.kind = problem_kind::interrupted;
    v.report.level = severity::refusal;
    v.report.version = row.version;
    if (a.m != nullptr) v.report.file = a.m->file;
    const std::string k = std::to_string(a.next + 1);
    std::string invalid_note;
    if (facts.index_known && facts.index.exists && !facts.index.valid && a.index && a.index->build)
        invalid_note = " It left the INVALID index " + facts.index.qualified + " behind (DROP INDEX CONCURRENTLY IF EXISTS " +
                       facts.index.qualified + "; removes it).";

    if (facts.backend) {
        const backend_activity& b = *facts.backend;
        const std::string pid = std::to_string(b.pid);
        v.report.message = std::string(running ? "Its" : "It was repaired, but its") + " backend is still running: pid " + pid +
                           " (" + (b.state.empty() ? std::string("state unknown") : b.state) +
                           (b.since.empty() ? std::string() : " since " + b.since) + ")" +
                           (b.query.empty() ? std::string() : ": " + first_line(b.query)) +
                           ". pgmig does not run the migration while that backend may still be running it." + invalid_note;
        v.report.fix = "Wait for it to finish, or stop it: SELECT pg_cancel_backend(" + pid +
                       "); cancels its statement, SELECT pg_terminate_backend(" + pid +
                       "); ends its session. Then run " + command_hint(cmd, "up") +
                       " (or start the service) again: it resumes the migration where it stopped.";
        return v;
    }
    if (a.m == nullptr) {
        std::string why = row.dir == direction::down ? "an interrupted rollback is never resumed"
                                                      : "the migration's file changed since the run started, or it is "
                                                        "no longer a no-transaction migration of the set";
        v.report.message = "No backend is running it any more, but it is not resumed automatically: " + why + "." +
                           invalid_note;
        v.report.fix = "Check what the interrupted run left behind, then run " + command_hint(cmd, "repair") + ".";
        return v;
    }

    resume_point r;
    r.version = row.version;
    r.row_id = row.id;
    r.was_running = running;
    r.first = a.next;
    r.total = static_cast<std::size_t>(row.statements_total);
    std::string why;
    bool provable = true;
    if (a.next >= r.total) {
        why = "every statement had finished; only its history row is written";
    } else {
        switch (a.kind) {
        case notx_statement::with_progress:
            why = "statement " + k + " ran with its progress in one transaction, so nothing of it took effect";
            break;
        case notx_statement::rerunnable:
            why = is_code(*a.m) ? "its C++ up function runs again from its start (a no-transaction C++ migration "
                                  "must be safe to run again)"
                                : "running statement " + k + " again is harmless";
            break;
        case notx_statement::index_build:
        case notx_statement::index_drop:
            if (!a.index || !facts.index_known) {
                provable = false;
                why = "statement " + k + " commits on its own, and the index it names could not be looked up";
            } else if (a.index->build && !facts.index.exists) {
                why = "its index " + a.index->name + " does not exist, so statement " + k + " builds it";
            } else if (a.index->build && !facts.index.valid) {
                r.drop_index = facts.index.qualified;
                why = "statement " + k + " left the INVALID index " + facts.index.qualified +
                      ", which is dropped first (DROP INDEX CONCURRENTLY IF EXISTS " + facts.index.qualified + ")";
            } else if (a.index->build) {
                ++r.first;
                why = "its index " + facts.index.qualified + " exists and is valid: statement " + k + " had finished";
            } else if (!facts.index.exists) {
                ++r.first;
                why = "the index it drops is gone: statement " + k + " had finished";
            } else {
                why = "the index it drops is still there: statement " + k + " runs again";
            }
            break;
        case notx_statement::opaque:
            provable = false;
            why = "statement " + k + " commits on its own and leaves no trace pgmig can check";
            break;
        }
    }
    if (!provable && running) {
        v.report.message = "No backend is running it any more, but pgmig cannot tell whether " + stmt_label(a) +
                           " took effect: " + why + "." + invalid_note;
        v.report.fix = "Check what statement " + k + " did, then run " + command_hint(cmd, "repair") +
                       ": the next run resumes the migration at statement " + k + " (which runs again).";
        return v;
    }
    if (!provable) why = "it was repaired, so statement " + k + " runs again";
    const std::string at = r.first >= r.total ? "after its last statement" : "at statement " + std::to_string(r.first + 1) +
                                                                                  " of " + std::to_string(r.total);
    r.note = "resuming migration " + std::to_string(row.version) + " (" + a.m->file + ") " + at + ": " + why +
             " (history row " + std::to_string(row.id) + ", run " + row.run_id + ")";
    v.report.level = severity::warning;
    v.report.message = "No backend is running it any more; the next run resumes it " + at + " (" + why + ").";
    v.report.fix = "Nothing to do: " + command_hint(cmd, "up") + " or the next start of the service resumes it.";
    v.resume = std::move(r);
    return v;
}

void apply_verdicts(reconcile_report& report, const std::vector<attempt>& attempts,
                    const std::vector<attempt_verdict>& verdicts) {
    for (std::size_t i = 0; i < attempts.size() && i < verdicts.size(); ++i) {
        const attempt_verdict& v = verdicts[i];
        if (attempts[i].row->status != row_status::running) {
            if (v.resume) continue; // a repaired row: the migration is pending and resumes
            problem p = v.report;
            p.message = "migration " + std::to_string(p.version) + (p.file.empty() ? "" : " (" + p.file + ")") +
                        " was repaired after an interrupted run (history row " + std::to_string(attempts[i].row->id) +
                        "). " + p.message;
            report.problems.push_back(std::move(p));
            continue;
        }
        for (problem& p : report.problems) {
            if (p.kind != problem_kind::interrupted || p.version != v.report.version) continue;
            p.message += " " + v.report.message;
            p.fix = v.report.fix;
            p.level = v.report.level;
            break;
        }
    }
}

} // namespace pgmig::detail::core
