// The admin CLI's text for people (see render_text.hpp).
#include "cli/render_text.hpp"
#include "cli/text_format.hpp"
#include "core/admin_command.hpp"
#include "core/drift_diff.hpp"
#include "core/duration.hpp"
#include "lint/report_format.hpp"

#include <algorithm>
#include <sstream>

namespace pgmig::detail::cli {

namespace {

// ------------------------------------------------------------------ colour

enum class tone { good, bad, warning };

std::string paint(const text_context& ctx, const char* sgr, const std::string& text) {
    if (!ctx.color) return text;
    return std::string("\033[") + sgr + "m" + text + "\033[0m";
}

std::string paint(const text_context& ctx, tone t, const std::string& text) {
    switch (t) {
    case tone::good: return paint(ctx, "32", text);
    case tone::bad: return paint(ctx, "31", text);
    case tone::warning: return paint(ctx, "33", text);
    }
    return text;
}

/// A risk level, coloured by how bad it is.
std::string level(const text_context& ctx, risk r) {
    const std::string name = to_string(r);
    switch (r) {
    case risk::critical: return paint(ctx, "1;31", name);
    case risk::high: return paint(ctx, "31", name);
    case risk::medium: return paint(ctx, "33", name);
    case risk::low: return paint(ctx, "36", name);
    case risk::none: return paint(ctx, "32", name);
    }
    return name;
}

std::string ok_mark(const text_context& ctx) { return paint(ctx, tone::good, "✓"); }
std::string bad_mark(const text_context& ctx) { return paint(ctx, tone::bad, "✗"); }

// ------------------------------------------------------------------ small pieces

/// Padded to `width` code points, so that ✓ and … count as one.
std::string pad(const std::string& s, std::size_t width) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n >= width ? s : s + std::string(width - n, ' ');
}

std::string plural(std::size_t n, const std::string& one, const std::string& many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

/// "20240101120000", or "0 (nothing applied)" when nothing is (`v` empty).
std::string version_text(std::optional<std::int64_t> v) { return v ? std::to_string(*v) : std::string("0 (nothing applied)"); }
std::string version_text(const version_state& v) { return version_text(v.newest); }
/// The version a command left (or read, when it stopped before it ran anything).
std::string version_text(const std::optional<version_state>& v) { return version_text(v.value_or(version_state{})); }

/// "`pgmig repair`", "`myapp db repair`": a command as this front end spells it.
std::string hint(const text_context& ctx, const std::string& command) {
    return core::command_hint(ctx.program, command);
}

/// A drift's "what changed" lines (core::drift_detail_lines), the diff coloured on a terminal.
std::string drift_detail_text(const drifted_migration& d, const text_context& ctx) {
    std::string out;
    const std::vector<std::string> lines = core::drift_detail_lines(d, core::diff_lines_in_text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& l = lines[i];
        const bool diff_line = i > 0 && d.text == drift_text::diff;
        std::string shown = l;
        if (diff_line && ctx.color) {
            if (l.rfind("@@", 0) == 0) shown = paint(ctx, "36", l);
            else if (l.rfind("---", 0) == 0 || l.rfind("+++", 0) == 0) shown = paint(ctx, "1", l);
            else if (!l.empty() && l[0] == '-') shown = paint(ctx, tone::bad, l);
            else if (!l.empty() && l[0] == '+') shown = paint(ctx, tone::good, l);
        }
        out += (i == 0 ? "      " : "        ") + shown + "\n";
    }
    return out;
}

/// Each problem with its fix; a drift with what changed (`drifted`: the report's).
std::string problems_text(const std::vector<problem>& ps, const std::vector<drifted_migration>& drifted,
                          const text_context& ctx) {
    std::string out;
    for (const problem& p : ps) {
        out += std::string("  ") + (p.level == severity::refusal ? bad_mark(ctx) : paint(ctx, tone::warning, "!")) +
               " " + to_string(p.kind) + ": " + p.message + "\n";
        if (p.kind == problem_kind::drift)
            for (const drifted_migration& d : drifted)
                if (d.version == p.version) out += drift_detail_text(d, ctx);
        if (!p.fix.empty()) out += "      fix: " + p.fix + "\n";
    }
    return out;
}

std::string statements_text(const std::vector<engine::statement>& ss, const std::string& intro) {
    std::string out = intro;
    int i = 0;
    for (const engine::statement& s : ss) {
        out += "\n-- [" + std::to_string(++i) + "] " + s.purpose + "\n" + s.sql;
        if (s.sql.empty() || s.sql.back() != ';') out += ";";
        out += "\n";
    }
    return out;
}

/// The dry run's closing comment on lock timeouts (what a real run would do).
std::string lock_retry_text(const std::optional<engine::lock_retry_policy>& p) {
    if (!p) return {};
    std::string pauses;
    for (int i = 0; i < p->retries; ++i) pauses += (i ? ", " : "") + std::to_string(p->pause(i).count()) + "ms";
    if (p->retries == 0) return "-- On a lock timeout (SQLSTATE 55P03) the migration fails at once (no retries).\n";
    return "-- On a lock timeout (SQLSTATE 55P03) a migration's transaction (a no-transaction migration: the "
           "statement) is rolled back and sent again, up to " + std::to_string(p->retries) + " times, after " +
           pauses + "; then the migration fails.\n";
}

/// "-- Dry run: nothing was changed. `pgmig up` would send 5 statement batches to T, in order:" and the statements.
std::string dry_run_text(const std::vector<engine::statement>& ss, const text_context& ctx, const std::string& command,
                         const std::string& coda) {
    return statements_text(ss, "-- Dry run: nothing was changed. " + hint(ctx, command) + " would send " +
                                   plural(ss.size(), "statement batch", "statement batches") + " to " + ctx.database +
                                   coda + "\n");
}

std::string steps_text(const std::vector<step_result>& steps, const text_context& ctx) {
    std::string out;
    for (const step_result& d : steps)
        out += "  " + ok_mark(ctx) + " " + std::to_string(d.version) + " " + d.name + " (" +
               std::to_string(d.execution_ms) + " ms)\n";
    return out;
}

/// " on public.orders (~12 M rows, 3.1 GB)", " on orders (new table, …)", or "".
std::string size_text(const lint_finding& f, const std::optional<table_size>& t) {
    if (!t) return {};
    if (!t->exists) return " on " + f.relation + " (new table, not in the database yet)";
    std::string out = " on " + f.relation + " (" + (t->rows ? human_rows(*t->rows) : std::string("rows unknown, never analyzed"));
    if (t->bytes) out += ", " + human_bytes(*t->bytes);
    return out + ")";
}

std::string finding_text(const lint_finding& f, const std::optional<table_size>& t, const text_context& ctx) {
    std::string out = std::string("   ") + (f.suppressed ? "(allowed) " : "") + "[" + level(ctx, f.level) + "] " +
                      f.rule_id + size_text(f, t) + " at " + f.file + ":" + std::to_string(f.line) + ": " + f.message + "\n";
    if (!f.suppressed && !f.safe_alternative.empty()) out += "      instead: " + f.safe_alternative + "\n";
    return out;
}

std::string rollback_details(const std::vector<core::rollback_step>& steps,
                             const std::optional<std::vector<sized_finding>>& data_loss, const text_context& ctx) {
    std::string out;
    for (const core::rollback_step& s : steps)
        out += "  - " + std::to_string(s.version) + " " + s.name + " (down SQL from " +
               (s.from_history ? "the history table" : s.file) + ")\n";
    if (data_loss && !data_loss->empty()) {
        out += "  Data this destroys:\n";
        for (const sized_finding& f : *data_loss) out += finding_text(f.finding, f.table, ctx);
    }
    return out;
}

std::string changes_text(const std::vector<core::bookkeeping_change>& changes) {
    std::string out;
    for (const core::bookkeeping_change& c : changes) out += "  - " + c.detail + "\n";
    return out;
}

// ------------------------------------------------------------------ phases

std::size_t waiting_count(const std::vector<pending_migration>& pending) {
    return static_cast<std::size_t>(std::count_if(pending.begin(), pending.end(), [](const pending_migration& p) {
        return p.phase == deploy_phase::post_deploy;
    }));
}

std::string phase_note(const pending_migration& p) {
    return p.phase == deploy_phase::post_deploy ? ", post-deploy: waiting for the post-deploy step" : "";
}

/// The pending post-deploy migrations: waiting for their step, not a failure.
std::string waiting_text(const std::vector<pending_migration>& pending, const text_context& ctx) {
    const std::size_t n = waiting_count(pending);
    if (n == 0) return {};
    std::string out = "  " + plural(n, "post-deploy migration is", "post-deploy migrations are") +
                      " waiting for the post-deploy step (" + hint(ctx, "up --phase post-deploy") + "):\n";
    for (const pending_migration& p : pending)
        if (p.phase == deploy_phase::post_deploy) out += "  … " + std::to_string(p.version) + " " + p.name + "\n";
    return out;
}

/// What a boot (and `up`) would apply of the pending migrations, and what it would leave.
std::string boot_summary(const std::vector<pending_migration>& pending, const text_context& ctx) {
    const std::size_t post = waiting_count(pending);
    if (post == 0) return {};
    const std::size_t pre = pending.size() - post;
    return "\nA boot (and " + hint(ctx, "up") + ") would apply " +
           (pre == 0 ? std::string("nothing") : plural(pre, "pre-deploy migration", "pre-deploy migrations")) +
           " and leave " + plural(post, "post-deploy migration", "post-deploy migrations") + " for " +
           hint(ctx, "up --phase post-deploy") + ".\n";
}

// ------------------------------------------------------------------ read-only commands

std::string text(const status_result& r, const text_context& ctx) {
    const reconcile_report& rep = r.report;
    std::ostringstream t;
    t << "Database  " << ctx.database << "\n";
    t << "History   " << ctx.history_table << (r.history_table_exists ? "" : " (not created yet)") << "\n";
    t << "Version   " << version_text(version_of(rep)) << " — " << rep.applied.size() << " applied, "
      << rep.pending.size() << " pending\n";
    const auto drifted = [&](std::int64_t v) {
        return std::any_of(rep.drifted.begin(), rep.drifted.end(), [v](const drifted_migration& d) { return d.version == v; });
    };
    // One list by version: applied (✓, ✗ drifted, ? unknown) and pending (…).
    struct line {
        std::int64_t version;
        std::string mark, name, info;
    };
    std::vector<line> lines;
    const auto unknown = [&](std::int64_t v) {
        const auto is_v = [v](const applied_migration& u) { return u.version == v; };
        return std::any_of(rep.unknown_newer.begin(), rep.unknown_newer.end(), is_v) ||
               std::any_of(rep.unknown_inside.begin(), rep.unknown_inside.end(), is_v);
    };
    for (const applied_migration& a : rep.applied) {
        const std::string mark =
            unknown(a.version) ? paint(ctx, tone::warning, "?") : drifted(a.version) ? bad_mark(ctx) : ok_mark(ctx);
        std::string info = "applied " + a.applied_at + " in " + std::to_string(a.execution_ms) + " ms";
        if (a.phase == deploy_phase::post_deploy) info += ", post-deploy";
        if (a.kind == migration_kind::code) info += ", C++";
        if (!a.in_set && !unknown(a.version)) // the pgmig CLI on a directory: a service's C++ migration
            info += ", not in this directory: a C++ migration of the service";
        else if (!a.in_set)
            info += ", not in the migrations";
        if (drifted(a.version)) info += ", CHANGED since applied";
        lines.push_back({a.version, mark, a.name, info});
    }
    for (const pending_migration& p : rep.pending)
        lines.push_back({p.version, "…", p.name,
                         "pending  " + p.file + (p.kind == migration_kind::code ? ", C++" : "") +
                             (p.out_of_order ? ", out of order" : "") +
                             (p.reversible ? "" : ", not reversible") + phase_note(p)});
    std::sort(lines.begin(), lines.end(), [](const line& x, const line& y) { return x.version < y.version; });
    std::size_t wv = 0, wn = 0;
    for (const line& l : lines) {
        wv = std::max(wv, std::to_string(l.version).size());
        wn = std::max(wn, l.name.size());
    }
    if (!lines.empty()) t << "\n";
    for (const line& l : lines)
        t << "  " << l.mark << " " << pad(std::to_string(l.version), wv) << "  " << pad(l.name, wn) << "  " << l.info << "\n";
    if (lines.empty()) t << "\nNo migrations applied or pending.\n";
    if (!rep.outstanding.empty()) {
        t << "\nFailed or interrupted runs (" << rep.outstanding.size() << "):\n";
        for (const history_row& h : rep.outstanding)
            t << "  " << bad_mark(ctx) << " row " << h.id << ": " << to_string(h.dir) << " of " << h.version << " "
              << h.name << " " << to_string(h.status) << " at " << h.applied_at
              << (h.error_message.empty() ? "" : ": " + h.error_message) << "\n";
    }
    if (!rep.problems.empty()) t << "\nProblems:\n" << problems_text(rep.problems, rep.drifted, ctx);
    else if (rep.pending.empty()) t << "\n" << ok_mark(ctx) << " Up to date.\n";
    t << boot_summary(rep.pending, ctx);
    if (!rep.pending.empty() && !rep.refuses())
        t << "\nNext: " << hint(ctx, "plan") << " shows what would run, " << hint(ctx, "up") << " applies"
          << (waiting_count(rep.pending) > 0 ? " the pre-deploy ones, " + hint(ctx, "up --phase post-deploy") +
                                                   " the post-deploy ones once every replica runs the new release"
                                             : std::string())
          << ".\n";
    return t.str();
}

std::string text(const plan_result& r, const text_context& ctx) {
    // The SQL goes straight into one buffer of about the right size (a seed
    // file of many megabytes is copied once, not grown by doubling); the
    // lines around it go through a stream.
    std::size_t sql_bytes = 0;
    for (const plan_migration& m : r.pending) sql_bytes += m.sql.size();
    std::string out;
    out.reserve(sql_bytes + 4096);
    std::ostringstream t;
    const auto flush = [&] {
        out += t.str();
        t.str(std::string());
    };
    t << "Plan for " << ctx.database << ", current version " << version_text(r.current_version) << "\n";
    std::vector<pending_migration> pending;
    for (const plan_migration& m : r.pending) pending.push_back(m.pending);
    if (r.pending.empty()) t << "\nNothing to apply: no migration is pending.\n";
    else t << "\n" << plural(r.pending.size(), "migration is", "migrations are") << " pending, in this order:\n";
    for (const plan_migration& m : r.pending) {
        t << "\n== " << m.pending.version << " " << m.pending.name << " (" << m.pending.file << ")";
        const bool code = m.pending.kind == migration_kind::code;
        if (code) t << "  [C++ migration]";
        if (!m.pending.reversible) t << (code ? "  [NOT REVERSIBLE: no down function]" : "  [NOT REVERSIBLE: no down section]");
        if (m.pending.out_of_order) t << "  [out of order]";
        t << (m.pending.phase == deploy_phase::post_deploy ? "  [post-deploy: a boot does not apply it]" : "  [pre-deploy]");
        if (m.no_transaction) t << "  [no transaction]";
        if (m.level) t << "  [risk: " << level(ctx, *m.level) << "]";
        t << "\n";
        flush();
        if (code)
            t << "-- a C++ migration: the SQL its up function sends is not known before it runs, so it cannot be "
                 "shown here\n";
        out += m.sql;
        if (!code && (m.sql.empty() || m.sql.back() != '\n')) t << "\n";
        if (!m.findings.empty()) {
            t << "-- lint:\n";
            for (const sized_finding& f : m.findings) t << finding_text(f.finding, f.table, ctx);
        }
    }
    if (!r.pending.empty() && r.level)
        t << "\nRisk: " << level(ctx, *r.level) << " (" << plural(r.finding_count, "lint finding", "lint findings")
          << " in the pending migrations)\n";
    t << boot_summary(pending, ctx);
    if (!r.problems.empty()) t << "\nProblems:\n" << problems_text(r.problems, {}, ctx);
    if (r.refusal && r.problems.empty()) // not a problem of the history (an empty migration): say it here
        t << "\n" << bad_mark(ctx) << " " << hint(ctx, "up") << " would refuse (" << to_string(r.refusal->code())
          << "): " << r.refusal->what() << "\n";
    else if (r.refusal)
        t << "\n" << bad_mark(ctx) << " " << hint(ctx, "up") << " would refuse (" << to_string(r.refusal->code())
          << "): nothing would be applied until the problems above are resolved.\n";
    else if (!r.pending.empty())
        t << "\nNext: " << hint(ctx, "up --dry-run") << " shows every statement, " << hint(ctx, "up") << " applies.\n";
    flush();
    return out;
}

std::string text(const verify_result& r, const text_context& ctx) {
    const reconcile_report& rep = r.report;
    std::ostringstream t;
    if (r.refusal) {
        t << bad_mark(ctx) << " " << to_string(r.refusal->code()) << ": the database does not match the migrations\n"
          << problems_text(rep.problems, rep.drifted, ctx);
    } else if (waiting_count(rep.pending) < rep.pending.size()) {
        const std::size_t boot = rep.pending.size() - waiting_count(rep.pending);
        t << "… " << plural(boot, "migration is", "migrations are") << " pending (checksums of the "
          << rep.applied.size() << " applied ones match)\n";
        for (const pending_migration& p : rep.pending)
            if (p.phase == deploy_phase::pre_deploy) t << "  … " << p.version << " " << p.name << "\n";
        t << waiting_text(rep.pending, ctx) << problems_text(rep.problems, rep.drifted, ctx);
    } else if (!rep.pending.empty()) {
        t << ok_mark(ctx) << " clean for a boot: " << plural(rep.applied.size(), "migration", "migrations")
          << " applied, checksums match, nothing pre-deploy pending\n"
          << waiting_text(rep.pending, ctx) << problems_text(rep.problems, rep.drifted, ctx);
    } else {
        t << ok_mark(ctx) << " clean: " << plural(rep.applied.size(), "migration", "migrations")
          << " applied, checksums match, nothing pending\n"
          << problems_text(rep.problems, rep.drifted, ctx);
    }
    return t.str();
}

std::string text(const history_result& r, const text_context& ctx) {
    if (!r.history_table_exists)
        return ctx.history_table + " does not exist yet: pgmig has not migrated " + ctx.database + ".\n";
    if (r.rows.empty()) return ctx.history_table + " is empty.\n";
    std::vector<std::vector<std::string>> cells = {
        {"id", "version", "dir", "status", "applied_at", "ms", "name", "applied_by", "error"}};
    for (const history_row& h : r.rows)
        cells.push_back({std::to_string(h.id), std::to_string(h.version), to_string(h.dir), to_string(h.status),
                         h.applied_at, std::to_string(h.execution_ms), h.name, h.applied_by, h.error_message});
    std::vector<std::size_t> w(cells[0].size(), 0);
    for (const auto& row : cells)
        for (std::size_t i = 0; i < row.size(); ++i) w[i] = std::max(w[i], row[i].size());
    std::string out;
    for (const auto& row : cells) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) line += (i ? "  " : "") + (i + 1 < row.size() ? pad(row[i], w[i]) : row[i]);
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    }
    return out;
}

// ------------------------------------------------------------------ up, rollback, redo

std::string up_command(const up_result& r) {
    const std::string phase =
        r.phase == phase_selection::pre_deploy ? std::string() : std::string(" --phase ") + to_string(r.phase);
    if (r.to) return "up --to " + std::to_string(*r.to) + phase;
    if (r.steps) return "up --steps " + std::to_string(*r.steps) + phase;
    return "up" + phase;
}

/// Pending migrations of phases this `up` did not apply.
std::string up_waiting_text(const up_result& r, const text_context& ctx) {
    if (r.waiting.empty()) return {};
    const bool post = r.phase == phase_selection::pre_deploy;
    std::string out = plural(r.waiting.size(), "migration waits", "migrations wait") + " for " +
                      hint(ctx, post ? "up --phase post-deploy" : "up") +
                      (post ? " (once every replica runs the new release)" : "") + ":\n";
    for (const up_migration& w : r.waiting) out += "  … " + std::to_string(w.version) + " " + w.name + " (" + w.file + ")\n";
    return out;
}

std::string text(const up_result& r, const text_context& ctx) {
    const std::string version = version_text(r.current_version);
    if (r.planned && r.planned->empty())
        return "Nothing to apply: " + ctx.database + " is up to date (version " + version +
               (r.to ? ", target " + std::to_string(*r.to) : std::string()) +
               (r.waiting.empty() ? std::string() : ", for the " + std::string(to_string(r.phase)) + " phase") + ").\n" +
               up_waiting_text(r, ctx);
    if (r.statements) return dry_run_text(*r.statements, ctx, up_command(r), ", in order:") + lock_retry_text(r.lock_retry);
    if (r.applied.empty())
        return "Nothing to apply: another process applied the pending migrations meanwhile (version " +
               version + ").\n";
    return "Applied " + plural(r.applied.size(), "migration", "migrations") + " to " + ctx.database + ":\n" +
           steps_text(r.applied, ctx) + "Database is now at version " + version + ".\n" + up_waiting_text(r, ctx);
}

std::string rollback_command(const rollback_result& r) {
    if (r.to) return "rollback --to " + std::to_string(*r.to);
    if (r.steps && *r.steps > 1) return "rollback --steps " + std::to_string(*r.steps);
    return "rollback";
}

std::string text(const rollback_result& r, const text_context& ctx) {
    const std::string version = version_text(r.current_version);
    if (r.planned && r.planned->empty())
        return "Nothing to roll back on " + ctx.database + " (version " + version + ").\n";
    if (r.statements) return dry_run_text(*r.statements, ctx, rollback_command(r), ", in order:") + lock_retry_text(r.lock_retry);
    return "Rolled back " + plural(r.rolled_back.size(), "migration", "migrations") + " on " + ctx.database + ":\n" +
           steps_text(r.rolled_back, ctx) + "Database is now at version " + version + ".\n";
}

std::string text(const redo_result& r, const text_context& ctx) {
    if (!r.planned || r.planned->steps.empty()) return "Nothing to redo: no migration is applied on " + ctx.database + ".\n";
    if (r.statements) return dry_run_text(*r.statements, ctx, "redo", ", in order:") + lock_retry_text(r.lock_retry);
    const core::rollback_step& step = r.planned->steps.front();
    return "Redid " + std::to_string(step.version) + " " + step.name + " on " + ctx.database + ": rolled back in " +
           std::to_string(r.rolled_back.empty() ? 0 : r.rolled_back.front().execution_ms) + " ms, applied in " +
           std::to_string(r.applied.empty() ? 0 : r.applied.front().execution_ms) +
           " ms.\nDatabase is now at version " + version_text(r.current_version) + ".\n";
}

// ------------------------------------------------------------------ baseline, repair, force

std::string bookkeeping_command_text(const bookkeeping_result& r) {
    switch (r.command) {
    case bookkeeping_command::baseline: return "baseline --version " + std::to_string(r.version);
    case bookkeeping_command::repair: return r.accept_checksums ? "repair --accept-checksums" : "repair";
    case bookkeeping_command::force: return "force " + std::to_string(r.version);
    case bookkeeping_command::import_history: return r.accept_checksums ? "import --accept-checksums" : "import";
    }
    return {};
}

std::string nothing_to_record(const bookkeeping_result& r, const text_context& ctx) {
    switch (r.command) {
    case bookkeeping_command::baseline: return "Nothing to record.\n";
    case bookkeeping_command::repair: {
        std::string out = "Nothing to repair: no failed or interrupted run is recorded";
        // Mention drift that only --accept-checksums would accept.
        if (!r.accept_checksums && !r.remaining_drift.empty())
            out += "; " + plural(r.remaining_drift.size(), "migration has", "migrations have") + " changed since applied (accept with " +
                   hint(ctx, "repair --accept-checksums") + ")";
        else if (r.accept_checksums)
            out += " and no migration has changed since it was applied";
        return out + ".\n";
    }
    case bookkeeping_command::force:
        return "Nothing to change: the recorded state of " + ctx.database + " is already version " +
               version_text(r.force_target) + ".\n";
    case bookkeeping_command::import_history: return "Nothing to import: the tool records no applied migration.\n";
    }
    return {};
}

std::string recorded_text(const bookkeeping_result& r, const text_context& ctx) {
    switch (r.command) {
    case bookkeeping_command::baseline:
        return "Baselined " + ctx.database + " at version " + std::to_string(r.version) + " (no migration SQL was run):";
    case bookkeeping_command::repair: return "Repaired " + ctx.database + ":";
    case bookkeeping_command::force: return "Forced " + ctx.database + " to version " + version_text(r.force_target) + ":";
    case bookkeeping_command::import_history:
        return "Imported into " + ctx.database + " (no migration SQL was run; the other tool's table is unchanged):";
    }
    return {};
}

std::string text(const bookkeeping_result& r, const text_context& ctx) {
    const std::vector<core::bookkeeping_change> none;
    const std::vector<core::bookkeeping_change>& changes = r.changes ? *r.changes : none;
    if (changes.empty()) return nothing_to_record(r, ctx);
    if (r.statements)
        return changes_text(changes) +
               dry_run_text(*r.statements, ctx, bookkeeping_command_text(r), " (no migration SQL runs):");
    std::string out = recorded_text(r, ctx) + "\n" + changes_text(changes) + "Recorded version is now " +
                      version_text(r.current_version) + ".\n";
    if (!r.remaining_drift.empty())
        out += "Still changed since applied: " + plural(r.remaining_drift.size(), "migration", "migrations") +
               " (accept with " + hint(ctx, "repair --accept-checksums") + ").\n";
    return out;
}

// ------------------------------------------------------------------ import

std::string text(const import_result& r, const text_context& ctx) {
    std::string out;
    if (r.report) {
        const core::import_report& rep = *r.report;
        out = "Read " + plural(rep.rows, "row", "rows") + " of " + r.tool + "'s history (" + r.table + ").\n";
        for (const std::string& s : rep.skipped) out += "  skipped: " + s + "\n";
        std::size_t compared = 0, not_comparable = 0;
        for (const core::imported_version& v : rep.versions) {
            compared += v.checksum == core::checksum_verdict::matches || v.checksum == core::checksum_verdict::differs;
            not_comparable += v.checksum == core::checksum_verdict::not_comparable;
        }
        if (compared > 0) out += "Checksums compared: " + std::to_string(compared) + ".\n";
        if (not_comparable > 0)
            out += "Checksums not compared: " + plural(not_comparable, "migration is", "migrations are") +
                   " a single file's section, not the file " + r.tool + " hashed.\n";
    }
    out += text(r.book, ctx);
    if (r.report && !r.report->pending.empty() && !r.book.statements) {
        std::string list;
        for (std::int64_t v : r.report->pending) list += (list.empty() ? "" : ", ") + std::to_string(v);
        out += "Pending, for " + hint(ctx, "up") + ": " + list + ".\n";
    }
    return out;
}

// ------------------------------------------------------------------ check-rollback

std::string text(const check_rollback_result& r, const text_context& ctx) {
    const std::vector<engine::rollback_check> none;
    const std::vector<engine::rollback_check>& checks = r.checks ? *r.checks : none;
    std::ostringstream t;
    if (checks.empty())
        t << "Nothing to check: no migration is pending on " << ctx.database << ".\n";
    else
        t << "Checked " << plural(checks.size(), "pending migration", "pending migrations") << " on " << ctx.database
          << " (up, then down, inside one transaction that was rolled back; nothing was changed):\n";
    for (const engine::rollback_check& c : checks) {
        const std::string mark = c.status == "ok" ? ok_mark(ctx) : c.status == "skipped" ? "-" : bad_mark(ctx);
        t << "  " << mark << " " << c.version << " " << c.name << " (" << c.file << "): ";
        if (c.status == "ok") t << "down restores the schema\n";
        else if (c.status == "differs") t << "down does NOT restore the schema (- before up, + after down):\n";
        else t << c.status << ": " << c.reason << "\n";
        for (const std::string& d : c.diff) t << "      " << d << "\n";
    }
    if (!checks.empty()) {
        t << "\n" << r.counts.ok << " ok, " << r.counts.differs << " differ, " << r.counts.failed << " failed, "
          << r.counts.skipped << " skipped.\n";
        if (r.differs)
            t << bad_mark(ctx) << " exit " << check_rollback_exit_code
              << ": fix the down sections above so that rollback restores the schema.\n";
    }
    return t.str();
}

// ------------------------------------------------------------------ lint

std::string fail_on_text(const lint_result& r) { return r.fail_on ? to_string(*r.fail_on) : std::string("none"); }

/// A CI report format (lint's report_format) on stdout, the summary on stderr.
text_output ci_report(const lint_result& r) {
    const lint::path_mapper path = [&r](const std::string& file) { return r.path_of(file); };
    const std::vector<migration_lint> lints = r.lints();
    std::string out;
    if (r.format == lint_format::github) out = lint::github_annotations(lints, path);
    else if (r.format == lint_format::sarif) out = lint::sarif_log(lints, path).dump(2) + "\n";
    else out = lint::gitlab_code_quality(lints, path).dump(2) + "\n";
    return {out, "pgmig: " + plural(r.total, "lint finding", "lint findings") + ", " + std::to_string(r.failing) +
                     " at or above --fail-on " + fail_on_text(r) + "\n"};
}

text_output text(const lint_result& r, const text_context& ctx) {
    if (r.format == lint_format::github || r.format == lint_format::sarif || r.format == lint_format::gitlab)
        return ci_report(r);
    std::ostringstream t;
    for (const linted_migration& m : r.migrations) {
        const migration_lint& l = m.lint;
        if (l.loaded)
            t << "== " << l.version << " " << l.name << " (" << r.path_of(l.file) << ")  risk: " << level(ctx, l.level) << "\n";
        else
            t << "== " << r.path_of(l.file) << " (did not load)  risk: " << level(ctx, l.level) << "\n";
        if (!l.skipped.empty()) t << "  not linted: " << l.skipped << "\n";
        for (const lint_finding& f : l.findings) {
            t << "  " << r.path_of(f.file.empty() ? l.file : f.file) << ":" << f.line << ":" << f.column << ": [" << level(ctx, f.level)
              << "] " << f.rule_id << ": " << (f.down ? "(down) " : "") << f.message << "\n";
            if (f.suppressed)
                t << "      suppressed: " << (f.suppression_reason.empty() ? "(no reason given)" : f.suppression_reason) << "\n";
            else if (!f.safe_alternative.empty())
                t << "      instead: " << f.safe_alternative << "\n";
        }
    }
    const auto count = [&](risk level) {
        const auto it = r.counts.find(level);
        return it == r.counts.end() ? std::size_t(0) : it->second;
    };
    t << "\n" << plural(r.migrations.size(), "migration", "migrations") << " linted: " << plural(r.total, "finding", "findings");
    std::string parts;
    for (risk l : {risk::critical, risk::high, risk::medium, risk::low})
        if (count(l) > 0) parts += (parts.empty() ? "" : ", ") + std::to_string(count(l)) + " " + level(ctx, l);
    if (!parts.empty()) t << " (" << parts << ")";
    t << ", " << r.suppressed << " suppressed; highest risk " << level(ctx, r.highest) << ".\n";
    if (r.failing > 0)
        t << bad_mark(ctx) << " " << plural(r.failing, "finding is", "findings are") << " at or above --fail-on "
          << fail_on_text(r) << " (exit " << lint_findings_exit_code
          << "). Fix them, or accept one with -- pgmig:allow <rule-id> <reason>.\n";
    else
        t << ok_mark(ctx) << " nothing at or above --fail-on " << fail_on_text(r) << ".\n";
    return {t.str(), ""};
}

// ------------------------------------------------------------------ new

std::string text(const new_result& r, const text_context&) {
    std::string t;
    if (r.created_directory) t += "Created directory " + r.directory + "\n";
    for (const std::string& p : r.paths) t += "Created " + p + "\n";
    return t;
}

// ------------------------------------------------------------------ dispatch over results

text_output as_output(std::string out) { return {std::move(out), ""}; }
text_output as_output(text_output out) { return out; }

} // namespace

text_output render_text(const command_output& o, const text_context& ctx) {
    if (o.failure) return {"", "pgmig: error: " + std::string(o.failure->what()) + "\n"};
    return std::visit(
        [&](const auto& r) -> text_output {
            if constexpr (std::is_same_v<std::decay_t<decltype(r)>, std::monostate>) return {};
            else return as_output(text(r, ctx));
        },
        o.result);
}

// ------------------------------------------------------------------ prompts, progress, logs

std::string confirmation_prompt(const up_result& r, const text_context& ctx) {
    std::string details;
    if (r.risky)
        for (const risky_migration& m : *r.risky) {
            details += "  - " + std::to_string(m.version) + " " + m.name + " (" + m.file + "), risk " +
                       to_string(m.level) + "\n";
            for (const lint_finding& f : m.findings) details += finding_text(f, std::nullopt, ctx);
        }
    const bool destroys = r.data_loss && !r.data_loss->empty();
    return "Applying these migrations to " + ctx.database + " is risky: lint found high or critical findings" +
           (destroys ? std::string(", some of which destroy data") : std::string()) +
           " (accept an intended one with -- pgmig:allow <rule> <reason>):\n" + details;
}

std::string confirmation_prompt(const rollback_result& r, const text_context& ctx) {
    const std::vector<core::rollback_step> none;
    const std::vector<core::rollback_step>& steps = r.planned ? *r.planned : none;
    return "This rolls back " + plural(steps.size(), "migration", "migrations") + " on " + ctx.database +
           ", latest first (their down SQL runs and may drop data):\n" + rollback_details(steps, r.data_loss, ctx);
}

std::string confirmation_prompt(const redo_result& r, const text_context& ctx) {
    const std::vector<core::rollback_step> none;
    const std::vector<core::rollback_step>& steps = r.planned ? r.planned->steps : none;
    return "This rolls back and re-applies migration " + (steps.empty() ? std::string() : std::to_string(steps.front().version)) +
           " on " + ctx.database + " (its down SQL runs and may drop data):\n" + rollback_details(steps, r.data_loss, ctx);
}

std::string confirmation_prompt(const bookkeeping_result& r, const text_context& ctx) {
    std::string summary;
    switch (r.command) {
    case bookkeeping_command::baseline:
        summary = "This records " + ctx.database + " as migrated up to version " + std::to_string(r.version) +
                  " without running any migration SQL:";
        break;
    case bookkeeping_command::repair:
        summary = "This changes the history table of " + ctx.database + " (no migration SQL runs):";
        break;
    case bookkeeping_command::force:
        summary = "This sets the recorded state of " + ctx.database + " to version " + version_text(r.force_target) +
                  " without running any migration SQL:";
        break;
    case bookkeeping_command::import_history:
        summary = "This records in the history of " + ctx.database +
                  " what the other tool applied, without running any migration SQL (its table is not changed):";
        break;
    }
    return summary + "\n" + changes_text(r.changes ? *r.changes : std::vector<core::bookkeeping_change>());
}

std::string progress_line(direction dir, std::int64_t version, const std::string& name, int index, int total,
                          std::chrono::milliseconds elapsed) {
    return std::string(dir == direction::up ? "applying " : "rolling back ") + std::to_string(version) + " " + name +
           " [" + std::to_string(index) + "/" + std::to_string(total) + "] … " + core::format_duration(elapsed);
}

std::string log_line(log_level level, const std::string& message) {
    return std::string("pgmig: ") + to_string(level) + ": " + message + "\n";
}

std::string warning_text(const problem& p) { return p.message + (p.fix.empty() ? "" : " (" + p.fix + ")"); }

} // namespace pgmig::detail::cli
