// The admin command dispatcher shared by `myapp db …` (embedded set) and `pgmig …` (directory).
//
// Output rules: text for people on stdout, or with --json exactly one JSON
// document on stdout; logs, progress and prompts on stderr. Every byte written
// passes through console::hide(), which masks the connection's password.
#include "cli/cli_internal.hpp"
#include "cli/text_format.hpp"
#include "core/admin_command.hpp"
#include "core/conninfo.hpp"
#include "core/duration.hpp"
#include "core/planner.hpp"
#include "core/refusal.hpp"
#include "engine/check_rollback.hpp"
#include "engine/connect.hpp"
#include "engine/executor.hpp"
#include "engine/history.hpp"
#include "engine/migrator.hpp"
#include "engine/statements.hpp"
#include "engine/table_sizes.hpp"
#include "lint/lint_loaded.hpp"
#include "lint/live_risk.hpp"
#include "lint/report_format.hpp"

#include <pgmig/cli.hpp>
#include <pgmig/lint.hpp>
#include <pgmig/version.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#ifdef _WIN32
#include <io.h>
#define PGMIG_ISATTY _isatty
#else
#include <unistd.h>
#define PGMIG_ISATTY isatty
#endif

namespace pgmig::cli {

namespace {

using json = nlohmann::json;
namespace ad = pgmig::detail::admin;
using namespace pgmig::cli::detail;
using steady = std::chrono::steady_clock;

constexpr int json_schema_version = 1;

// ------------------------------------------------------------------ console

class console {
public:
    console(std::istream& in, std::ostream& out, std::ostream& err, bool stdin_tty, bool stderr_tty)
        : in_(in), out_(out), err_(err), stdin_tty_(stdin_tty), stderr_tty_(stderr_tty) {}

    bool json = false;
    log_level min_level = log_level::info;

    std::istream& in() { return in_; }
    bool stdin_tty() const { return stdin_tty_; }
    bool stderr_tty() const { return stderr_tty_; }

    /// Remember a connection string whose password must never be printed.
    void add_secret_source(const std::string& conninfo) {
        if (conninfo.empty()) return;
        std::lock_guard<std::mutex> g(m_);
        for (const std::string& token : pgmig::detail::secret_tokens(conninfo)) add_secret(token);
    }

    /// Every byte written goes through here: the passwords of every connection
    /// string seen, as whole tokens (see core/conninfo.hpp scrub).
    std::string hide(std::string text) const { return pgmig::detail::scrub(std::move(text), secrets_); }

    /// Text for people (stdout); nothing in JSON mode.
    void print(const std::string& text) {
        if (json) return;
        std::lock_guard<std::mutex> g(m_);
        clear_progress_locked();
        out_ << hide(text) << std::flush;
    }
    void print_json(const nlohmann::json& doc) {
        std::lock_guard<std::mutex> g(m_);
        out_ << hide(doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)) << '\n' << std::flush;
    }
    /// Text on stderr (messages, prompts).
    void note(const std::string& text) {
        std::lock_guard<std::mutex> g(m_);
        clear_progress_locked();
        err_ << hide(text) << std::flush;
    }
    void log(log_level level, const std::string& message) {
        if (static_cast<int>(level) < static_cast<int>(min_level)) return;
        note(std::string("pgmig: ") + to_string(level) + ": " + message + "\n");
    }
    logger make_logger() {
        return [this](log_level l, const std::string& m) { log(l, m); };
    }
    /// One progress line (terminal only), overwritten by the next.
    void progress(const std::string& line) {
        std::lock_guard<std::mutex> g(m_);
        err_ << "\r\033[K" << hide(line) << std::flush;
        progress_shown_ = true;
    }
    void clear_progress() {
        std::lock_guard<std::mutex> g(m_);
        clear_progress_locked();
    }
    std::ostream& err_stream() { return err_; }

private:
    void add_secret(const std::string& s) {
        if (s.empty()) return;
        for (const std::string& have : secrets_)
            if (have == s) return;
        secrets_.push_back(s);
        // Longest first, so that a password containing another is masked whole.
        std::sort(secrets_.begin(), secrets_.end(),
                  [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    }
    void clear_progress_locked() {
        if (!progress_shown_) return;
        err_ << "\r\033[K" << std::flush;
        progress_shown_ = false;
    }

    std::istream& in_;
    std::ostream& out_;
    std::ostream& err_;
    bool stdin_tty_, stderr_tty_;
    bool progress_shown_ = false;
    std::vector<std::string> secrets_;
    std::mutex m_;
};

/// Shows "applying 3 add_index [2/5] 12s" on a terminal while a migration runs for more than a second.
class ticker {
public:
    ticker(console& io, bool enabled) : io_(io), enabled_(enabled) {
        if (enabled_) thread_ = std::thread([this] { loop(); });
    }
    ~ticker() {
        if (!enabled_) return;
        {
            std::lock_guard<std::mutex> g(m_);
            stop_ = true;
        }
        cv_.notify_all();
        thread_.join();
        io_.clear_progress();
    }
    ticker(const ticker&) = delete;
    ticker& operator=(const ticker&) = delete;

    void begin(const std::string& label) {
        std::lock_guard<std::mutex> g(m_);
        label_ = label;
        start_ = steady::now();
        active_ = true;
    }
    void end() {
        {
            std::lock_guard<std::mutex> g(m_);
            active_ = false;
        }
        if (enabled_) io_.clear_progress();
    }

private:
    void loop() {
        std::unique_lock<std::mutex> lk(m_);
        while (!stop_) {
            cv_.wait_for(lk, std::chrono::milliseconds(250));
            if (stop_ || !active_) continue;
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - start_).count();
            if (ms < 1000) continue;
            const std::string line = label_ + " … " + pgmig::detail::format_duration(std::chrono::milliseconds(ms));
            lk.unlock();
            io_.progress(line);
            lk.lock();
        }
    }

    console& io_;
    bool enabled_;
    std::mutex m_;
    std::condition_variable cv_;
    bool stop_ = false, active_ = false;
    std::string label_;
    steady::time_point start_;
    std::thread thread_;
};

// ------------------------------------------------------------------ JSON shapes

json version_or_null(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }
json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json error_json(const error& e) {
    json j;
    j["code"] = to_string(e.code());
    j["exit_code"] = exit_code(e.code());
    j["message"] = e.what();
    j["file"] = text_or_null(e.where().file);
    j["line"] = e.where().line > 0 ? json(e.where().line) : json(nullptr);
    j["migration_version"] = version_or_null(e.where().version);
    j["sqlstate"] = text_or_null(e.where().sqlstate);
    return j;
}

json problem_json(const problem& p) {
    return {{"kind", to_string(p.kind)}, {"severity", to_string(p.level)}, {"migration_version", p.version},
            {"file", text_or_null(p.file)}, {"message", p.message}, {"fix", p.fix}};
}

json problems_json(const std::vector<problem>& ps) {
    json a = json::array();
    for (const problem& p : ps) a.push_back(problem_json(p));
    return a;
}

bool is_drifted(const reconcile_report& r, std::int64_t v) {
    for (const drifted_migration& d : r.drifted)
        if (d.version == v) return true;
    return false;
}

json applied_json(const applied_migration& a, const reconcile_report& r) {
    return {{"migration_version", a.version}, {"name", a.name}, {"file", text_or_null(a.file)},
            {"checksum", a.checksum}, {"applied_at", a.applied_at}, {"execution_ms", a.execution_ms},
            {"applied_by", a.applied_by}, {"in_set", a.in_set}, {"reversible", a.reversible},
            {"drifted", is_drifted(r, a.version)}};
}

json pending_json(const pending_migration& p) {
    return {{"migration_version", p.version}, {"name", p.name}, {"file", p.file},
            {"out_of_order", p.out_of_order}, {"reversible", p.reversible}};
}

json row_json(const history_row& r) {
    return {{"id", r.id}, {"migration_version", r.version}, {"name", r.name}, {"checksum", r.checksum},
            {"applied_at", r.applied_at}, {"direction", to_string(r.dir)}, {"status", to_string(r.status)},
            {"error_message", text_or_null(r.error_message)}, {"execution_ms", r.execution_ms},
            {"applied_by", r.applied_by}, {"has_down_sql", r.has_down_sql},
            {"statements_done", r.statements_done}, {"statements_total", r.statements_total}};
}

json statements_json(const std::vector<ad::statement>& ss) {
    json a = json::array();
    for (const ad::statement& s : ss)
        a.push_back({{"migration_version", s.version ? json(s.version) : json(nullptr)},
                     {"purpose", s.purpose}, {"sql", s.sql}});
    return a;
}

json steps_json(const std::vector<step_result>& done) {
    json a = json::array();
    for (const step_result& s : done)
        a.push_back({{"migration_version", s.version}, {"name", s.name}, {"file", s.file},
                     {"execution_ms", s.execution_ms}});
    return a;
}

json rollback_plan_json(const ad::rollback_plan& p) {
    json a = json::array();
    for (const ad::rollback_step& s : p.steps)
        a.push_back({{"migration_version", s.version}, {"name", s.name},
                     {"down_source", s.from_history ? "history" : "file"}, {"file", text_or_null(s.file)},
                     {"applied_at", s.applied_at}, {"no_transaction", s.no_transaction}});
    return a;
}

json changes_json(const std::vector<ad::bookkeeping_change>& changes) {
    json a = json::array();
    for (const ad::bookkeeping_change& c : changes) {
        json j = {{"action", c.action}, {"migration_version", c.version}, {"name", c.name},
                  {"file", text_or_null(c.file)}, {"row_id", c.row_id ? json(c.row_id) : json(nullptr)},
                  {"detail", c.detail}};
        if (c.action == "accept_checksum") {
            j["old_checksum"] = c.old_checksum;
            j["new_checksum"] = c.new_checksum;
        }
        a.push_back(j);
    }
    return a;
}

// ------------------------------------------------------------------ lint (risk of pending migrations)

/// Lint of every migration of the set (schema knowledge carries from one to the next),
/// by version, for the server the connection talks to; empty (with a warning logged)
/// if lint itself fails.
std::map<std::int64_t, migration_lint> lint_by_version(const migration_set& set, const logger& log,
                                                       pgmig::detail::db_connection& conn) {
    std::map<std::int64_t, migration_lint> out;
    lint_options options;
    try {
        options.server = ad::lint_server_facts(conn);
    } catch (const pgmig::detail::db_error& x) {
        log(log_level::warning, std::string("could not read the server's version and TimeZone for lint: ") + x.what());
    }
    try {
        for (migration_lint& l : lint_set(set, options)) out.emplace(l.version, std::move(l));
    } catch (const std::exception& e) {
        log(log_level::warning, std::string("could not lint the migrations, no risk summary: ") + e.what());
        out.clear();
    }
    return out;
}

/// Which findings of a migration's up section to show.
enum class finding_filter { all, data_loss, needs_confirmation };

bool selected(const lint_finding& f, finding_filter which) {
    if (f.down) return false;
    switch (which) {
    case finding_filter::all: return true;
    case finding_filter::data_loss: return pgmig::lint_detail::destroys_data(f);
    case finding_filter::needs_confirmation: return pgmig::lint_detail::up_needs_confirmation(f);
    }
    return false;
}

/// Live table sizes by relation name as lint writes it (plan, when connected).
using size_map = pgmig::lint_detail::table_size_map;

const ad::table_size* size_of(const lint_finding& f, const size_map* sizes) {
    return sizes == nullptr ? nullptr : pgmig::lint_detail::size_of(f, *sizes);
}

json findings_json(const migration_lint& l, finding_filter which = finding_filter::all, const size_map* sizes = nullptr) {
    json a = json::array();
    for (const lint_finding& f : l.findings) {
        if (!selected(f, which)) continue;
        json j = {{"rule", f.rule_id}, {"risk", to_string(f.level)}, {"migration_version", f.version},
                  {"file", f.file}, {"line", f.line}, {"statement", f.statement}, {"message", f.message},
                  {"safe_alternative", f.safe_alternative}, {"suppressed", f.suppressed}};
        if (sizes != nullptr) {
            const ad::table_size* t = size_of(f, sizes);
            j["relation"] = text_or_null(f.relation);
            j["table_exists"] = t != nullptr ? json(t->exists) : json(nullptr);
            j["table_rows_estimate"] = t != nullptr && t->rows ? json(*t->rows) : json(nullptr);
            j["table_bytes"] = t != nullptr && t->bytes ? json(*t->bytes) : json(nullptr);
        }
        a.push_back(j);
    }
    return a;
}

/// Live size of every table the up findings of `versions` name (one catalog query).
/// Empty, with a warning logged, when it cannot be read.
size_map live_sizes(pgmig::detail::db_connection& conn, const std::map<std::int64_t, migration_lint>& lints,
                    const std::vector<std::int64_t>& versions, const logger& log) {
    std::vector<std::string> relations;
    for (std::int64_t v : versions) {
        const auto l = lints.find(v);
        if (l == lints.end()) continue;
        for (const lint_finding& f : l->second.findings)
            if (!f.down && !f.relation.empty()) relations.push_back(f.relation);
    }
    if (relations.empty()) return {};
    try {
        return ad::table_sizes(conn, relations);
    } catch (const pgmig::detail::db_error& x) {
        log(log_level::warning, std::string("could not read table sizes: ") + x.what());
        return {};
    }
}

/// " on public.orders (~12 M rows, 3.1 GB)", " on orders (new table)", or "".
std::string size_text(const lint_finding& f, const size_map* sizes) {
    const ad::table_size* t = size_of(f, sizes);
    if (t == nullptr) return {};
    if (!t->exists) return " on " + f.relation + " (new table, not in the database yet)";
    std::string out = " on " + f.relation + " (" + (t->rows ? human_rows(*t->rows) : std::string("rows unknown, never analyzed"));
    if (t->bytes) out += ", " + human_bytes(*t->bytes);
    return out + ")";
}

std::string findings_text(const migration_lint& l, finding_filter which = finding_filter::all,
                          const size_map* sizes = nullptr) {
    std::string out;
    for (const lint_finding& f : l.findings) {
        if (!selected(f, which)) continue;
        out += std::string("   ") + (f.suppressed ? "(allowed) " : "") + "[" + to_string(f.level) + "] " + f.rule_id +
               size_text(f, sizes) + " at " + f.file + ":" + std::to_string(f.line) + ": " + f.message + "\n";
        if (!f.suppressed && !f.safe_alternative.empty()) out += "      instead: " + f.safe_alternative + "\n";
    }
    return out;
}

// ------------------------------------------------------------------ text helpers

std::string pad(const std::string& s, std::size_t width) {
    // Width in code points, so that ✓ and … count as one.
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n >= width ? s : s + std::string(width - n, ' ');
}

std::string plural(std::size_t n, const std::string& one, const std::string& many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string problems_text(const std::vector<problem>& ps) {
    std::string out;
    for (const problem& p : ps) {
        out += std::string("  ") + (p.level == severity::refusal ? "✗ " : "! ") + to_string(p.kind) + ": " + p.message + "\n";
        if (!p.fix.empty()) out += "      fix: " + p.fix + "\n";
    }
    return out;
}

std::string statements_text(const std::vector<ad::statement>& ss, const std::string& intro) {
    std::string out = intro;
    int i = 0;
    for (const ad::statement& s : ss) {
        out += "\n-- [" + std::to_string(++i) + "] " + s.purpose + "\n" + s.sql;
        if (s.sql.empty() || s.sql.back() != ';') out += ";";
        out += "\n";
    }
    return out;
}

/// "20240101120000", or "0 (nothing applied)" when nothing is (`v` empty). Version 0
/// itself is a version like any other (diesel's initial setup).
std::string version_text(std::optional<std::int64_t> v) {
    return v ? std::to_string(*v) : std::string("0 (nothing applied)");
}

/// The newest applied version, or nothing when no migration is applied.
std::optional<std::int64_t> current_of(const reconcile_report& r) {
    return r.applied.empty() ? std::nullopt : std::optional<std::int64_t>(r.newest_applied);
}

// ------------------------------------------------------------------ the command environment

struct command_env {
    console& io;
    const parsed_args& a;
    const migration_set& set;
    pgmig::options opts;
    std::string conninfo;
    std::string program;
    json& doc;

    std::string target() const { return mask_password(conninfo); }

    std::unique_ptr<pgmig::detail::db_connection> connect() {
        return pgmig::detail::connect_with_retry(conninfo, opts, opts.log);
    }

    void log_warnings(const std::vector<problem>& ws) {
        for (const problem& p : ws) opts.log(log_level::warning, p.message + (p.fix.empty() ? "" : " (" + p.fix + ")"));
    }

    /// Ask (terminal), accept --yes, or refuse. Returns true when a person confirmed interactively.
    bool confirm_or_refuse(const std::string& summary, const std::string& details) {
        const confirmation c = confirm(io.in(), io.err_stream(), io.stdin_tty(), a.yes,
                                       io.hide(summary + "\n" + details));
        switch (c) {
        case confirmation::confirmed: return true;
        case confirmation::assumed_yes: return false;
        case confirmation::declined:
            throw error(error_code::confirmation_required, "not confirmed; nothing was changed");
        case confirmation::no_terminal: break;
        }
        throw error(error_code::confirmation_required,
                    summary + "\n" + details +
                        "This needs confirmation, and stdin is not a terminal, so pgmig cannot ask: nothing was changed. "
                        "Re-run with --yes to confirm (see the statements first with --dry-run).");
    }

    /// "`pgmig repair`", "`myapp db repair`": a command as this front end spells it.
    std::string hint(const std::string& command) const { return pgmig::detail::command_hint(program, command); }

    /// Show the progress of the migrator's run on `t`.
    static void show_progress(pgmig::detail::migrator& m, ticker& t) {
        pgmig::detail::run_observer obs;
        obs.begin = [&t](direction dir, std::int64_t v, const std::string& name, const std::string&, int i, int n) {
            t.begin((dir == direction::up ? "applying " : "rolling back ") + std::to_string(v) + " " + name + " [" +
                    std::to_string(i) + "/" + std::to_string(n) + "]");
        };
        obs.end = [&t](std::int64_t, std::int64_t) { t.end(); };
        m.observe(std::move(obs));
    }
};

// ------------------------------------------------------------------ read-only commands

int cmd_status(command_env& e) {
    auto conn = e.connect();
    const ad::db_state s = ad::read_state(*conn, e.set, e.opts);
    const reconcile_report& r = s.report;

    json applied = json::array(), unknown = json::array(), pending = json::array(), drifted = json::array(),
         failed = json::array();
    for (const applied_migration& a : r.applied) applied.push_back(applied_json(a, r));
    for (const applied_migration& a : r.unknown_newer) {
        json j = applied_json(a, r);
        j["where"] = "newer";
        unknown.push_back(j);
    }
    for (const applied_migration& a : r.unknown_inside) {
        json j = applied_json(a, r);
        j["where"] = "inside";
        unknown.push_back(j);
    }
    for (const pending_migration& p : r.pending) pending.push_back(pending_json(p));
    for (const drifted_migration& d : r.drifted)
        drifted.push_back({{"migration_version", d.version}, {"name", d.name}, {"file", d.file},
                           {"recorded_checksum", d.recorded_checksum}, {"current_checksum", d.current_checksum}});
    for (const history_row& h : r.outstanding) failed.push_back(row_json(h));
    e.doc["history_table_exists"] = s.table_exists;
    e.doc["current_version"] = r.newest_applied;
    e.doc["up_to_date"] = r.up_to_date();
    e.doc["applied"] = applied;
    e.doc["pending"] = pending;
    e.doc["drifted"] = drifted;
    e.doc["unknown"] = unknown;
    e.doc["failed"] = failed;
    e.doc["problems"] = problems_json(r.problems);

    std::ostringstream t;
    t << "Database  " << e.target() << "\n";
    t << "History   " << e.opts.history_table.qualified() << (s.table_exists ? "" : " (not created yet)") << "\n";
    t << "Version   " << version_text(current_of(r)) << " — " << r.applied.size() << " applied, "
      << r.pending.size() << " pending\n";
    // One list by version: applied (✓, ✗ drifted, ? unknown) and pending (…).
    struct line {
        std::int64_t version;
        std::string mark, name, info;
    };
    std::vector<line> lines;
    for (const applied_migration& a : r.applied) {
        std::string mark = !a.in_set ? "?" : is_drifted(r, a.version) ? "✗" : "✓";
        std::string info = "applied " + a.applied_at + " in " + std::to_string(a.execution_ms) + " ms";
        if (!a.in_set) info += ", not in the migrations";
        if (is_drifted(r, a.version)) info += ", CHANGED since applied";
        lines.push_back({a.version, mark, a.name, info});
    }
    for (const pending_migration& p : r.pending)
        lines.push_back({p.version, "…", p.name,
                         "pending  " + p.file + (p.out_of_order ? ", out of order" : "") + (p.reversible ? "" : ", not reversible")});
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
    if (!r.outstanding.empty()) {
        t << "\nFailed or interrupted runs (" << r.outstanding.size() << "):\n";
        for (const history_row& h : r.outstanding)
            t << "  ✗ row " << h.id << ": " << to_string(h.dir) << " of " << h.version << " " << h.name << " "
              << to_string(h.status) << " at " << h.applied_at
              << (h.error_message.empty() ? "" : ": " + h.error_message) << "\n";
    }
    if (!r.problems.empty()) t << "\nProblems:\n" << problems_text(r.problems);
    else if (r.pending.empty()) t << "\n✓ Up to date.\n";
    e.io.print(t.str());
    return 0;
}

int cmd_plan(command_env& e) {
    auto conn = e.connect();
    const ad::db_state s = ad::read_state(*conn, e.set, e.opts);
    const reconcile_report& r = s.report;
    const std::optional<error> refusal = pgmig::detail::refusal_error(r);

    json pending = json::array();
    std::ostringstream t;
    t << "Plan for " << e.target() << ", current version " << version_text(current_of(r)) << "\n";
    if (r.pending.empty()) t << "\nNothing to apply: no migration is pending.\n";
    else t << "\n" << e.hint("up") << " would apply " << plural(r.pending.size(), "migration", "migrations") << ", in this order:\n";
    auto lints = r.pending.empty() ? std::map<std::int64_t, migration_lint>() : lint_by_version(e.set, e.opts.log, *conn);
    // Live size of every table a finding of a pending migration names.
    std::vector<std::int64_t> versions;
    for (const pending_migration& p : r.pending) versions.push_back(p.version);
    const size_map sizes = live_sizes(*conn, lints, versions, e.opts.log);
    pgmig::lint_detail::adjust_to_live_database(lints, sizes, versions);
    risk overall = risk::none;
    std::size_t finding_count = 0;
    for (const pending_migration& p : r.pending) {
        const migration& m = *e.set.find(p.version);
        json j = pending_json(p);
        const auto lint = lints.find(p.version);
        if (lint != lints.end()) {
            j["risk"] = to_string(lint->second.level);
            j["findings"] = findings_json(lint->second, finding_filter::all, &sizes);
            overall = std::max(overall, lint->second.level);
            for (const lint_finding& f : lint->second.findings)
                if (!f.down && !f.suppressed) ++finding_count;
        } else {
            j["risk"] = nullptr;
            j["findings"] = json::array();
        }
        j["no_transaction"] = m.up_no_transaction;
        j["lock_timeout_ms"] = pgmig::detail::effective_lock_timeout_ms(e.opts, m.lock_timeout_ms);
        j["sql"] = m.up_sql;
        j["down_sql"] = m.reversible ? json(m.down_sql) : json(nullptr);
        pending.push_back(j);
        t << "\n== " << m.version << " " << m.name << " (" << m.file << ")";
        if (!m.reversible) t << "  [NOT REVERSIBLE: no down section]";
        if (p.out_of_order) t << "  [out of order]";
        if (m.up_no_transaction) t << "  [no transaction]";
        if (lint != lints.end()) t << "  [risk: " << to_string(lint->second.level) << "]";
        t << "\n" << m.up_sql;
        if (m.up_sql.empty() || m.up_sql.back() != '\n') t << "\n";
        if (lint != lints.end() && !lint->second.findings.empty()) t << "-- lint:\n" << findings_text(lint->second, finding_filter::all, &sizes);
    }
    e.doc["current_version"] = r.newest_applied;
    e.doc["pending"] = pending;
    e.doc["problems"] = problems_json(r.problems);
    e.doc["refusal"] = refusal ? error_json(*refusal) : json(nullptr);
    e.doc["risk"] = lints.empty() && !r.pending.empty() ? json(nullptr) : json(to_string(overall));
    if (!r.pending.empty() && !lints.empty())
        t << "\nRisk: " << to_string(overall) << " (" << plural(finding_count, "lint finding", "lint findings")
          << " in the pending migrations)\n";
    int code = 0;
    if (refusal) {
        code = exit_code(refusal->code());
        e.doc["result"] = to_string(refusal->code());
    } else if (!r.pending.empty()) {
        code = exit_code(error_code::pending);
        e.doc["result"] = "pending";
    } else {
        e.doc["result"] = "up_to_date";
    }
    if (!r.problems.empty()) t << "\nProblems:\n" << problems_text(r.problems);
    if (refusal)
        t << "\n✗ " << e.hint("up") << " would refuse (" << to_string(refusal->code()) << "): nothing would be applied until the problems above are resolved.\n";
    else if (!r.pending.empty())
        t << "\nNext: `" << e.program << " up --dry-run` shows every statement, `" << e.program << " up` applies.\n";
    e.io.print(t.str());
    return code;
}

int cmd_verify(command_env& e) {
    auto conn = e.connect();
    const ad::db_state s = ad::read_state(*conn, e.set, e.opts);
    const reconcile_report& r = s.report;
    const std::optional<error> refusal = pgmig::detail::refusal_error(r);
    json pending = json::array();
    for (const pending_migration& p : r.pending) pending.push_back(pending_json(p));
    e.doc["current_version"] = r.newest_applied;
    e.doc["applied_count"] = r.applied.size();
    e.doc["pending"] = pending;
    e.doc["problems"] = problems_json(r.problems);
    std::ostringstream t;
    int code = 0;
    if (refusal) {
        code = exit_code(refusal->code());
        e.doc["result"] = to_string(refusal->code());
        t << "✗ " << to_string(refusal->code()) << ": the database does not match the migrations\n" << problems_text(r.problems);
    } else if (!r.pending.empty()) {
        code = exit_code(error_code::pending);
        e.doc["result"] = "pending";
        t << "… " << plural(r.pending.size(), "migration is", "migrations are") << " pending (checksums of the "
          << r.applied.size() << " applied ones match)\n";
        for (const pending_migration& p : r.pending) t << "  … " << p.version << " " << p.name << "\n";
        if (!r.problems.empty()) t << problems_text(r.problems);
    } else {
        e.doc["result"] = "clean";
        t << "✓ clean: " << plural(r.applied.size(), "migration", "migrations")
          << " applied, checksums match, nothing pending\n";
        if (!r.problems.empty()) t << problems_text(r.problems);
    }
    e.io.print(t.str());
    return code;
}

int cmd_history(command_env& e) {
    auto conn = e.connect();
    const ad::db_state s = ad::read_state(*conn, e.set, e.opts);
    json rows = json::array();
    for (const history_row& h : s.rows) rows.push_back(row_json(h));
    e.doc["history_table_exists"] = s.table_exists;
    e.doc["rows"] = rows;
    std::ostringstream t;
    if (!s.table_exists) {
        t << e.opts.history_table.qualified() << " does not exist yet: pgmig has not migrated " << e.target() << ".\n";
    } else if (s.rows.empty()) {
        t << e.opts.history_table.qualified() << " is empty.\n";
    } else {
        std::vector<std::vector<std::string>> cells = {
            {"id", "version", "dir", "status", "applied_at", "ms", "name", "applied_by", "error"}};
        for (const history_row& h : s.rows)
            cells.push_back({std::to_string(h.id), std::to_string(h.version), to_string(h.dir), to_string(h.status),
                             h.applied_at, std::to_string(h.execution_ms), h.name, h.applied_by, h.error_message});
        std::vector<std::size_t> w(cells[0].size(), 0);
        for (const auto& row : cells)
            for (std::size_t i = 0; i < row.size(); ++i) w[i] = std::max(w[i], row[i].size());
        for (const auto& row : cells) {
            std::string line;
            for (std::size_t i = 0; i < row.size(); ++i) line += (i ? "  " : "") + (i + 1 < row.size() ? pad(row[i], w[i]) : row[i]);
            while (!line.empty() && line.back() == ' ') line.pop_back();
            t << line << "\n";
        }
    }
    e.io.print(t.str());
    return 0;
}

// ------------------------------------------------------------------ up, rollback, redo
//
// Each writing command plans from the state its migrator read (no lock), shows
// the plan (--dry-run, confirmation), then hands it to the migrator, which takes
// the lock, reads and plans again, and runs it (refusing when a confirmed plan
// changed meanwhile). What a run that stops part-way did comes with its
// partial_error (report_error puts it in the JSON).

int cmd_up(command_env& e) {
    std::optional<std::int64_t> to;
    if (!e.a.to.empty()) to = parse_version("--to", e.a.to);
    e.doc["dry_run"] = e.a.dry_run;
    e.doc["to"] = version_or_null(to);
    e.doc["applied"] = json::array();
    pgmig::detail::migrator session(e.conninfo, e.set, e.opts);
    const ad::db_state& s = session.read();
    e.doc["current_version"] = s.report.newest_applied;
    const ad::up_plan p = ad::plan_up(s, e.set, to);
    e.log_warnings(p.warnings);
    e.doc["warnings"] = problems_json(p.warnings);
    json planned = json::array();
    for (const migration* m : p.migrations)
        planned.push_back({{"migration_version", m->version}, {"name", m->name}, {"file", m->file}, {"reversible", m->reversible}});
    e.doc["planned"] = planned;
    if (p.migrations.empty()) {
        e.io.print("Nothing to apply: " + e.target() + " is up to date (version " + version_text(current_of(s.report)) +
                   (to ? ", target " + std::to_string(*to) : std::string()) + ").\n");
        return 0;
    }
    // Pending migrations with a high or critical lint finding (data loss included)
    // need a confirmation, like a rollback.
    auto lints = lint_by_version(e.set, e.opts.log, session.connection());
    {
        std::vector<std::int64_t> versions;
        for (const migration* m : p.migrations) versions.push_back(m->version);
        pgmig::lint_detail::adjust_to_live_database(lints, live_sizes(session.connection(), lints, versions, e.opts.log),
                                                    versions);
    }
    json data_loss = json::array(), risky = json::array();
    std::string risky_text;
    for (const migration* m : p.migrations) {
        const auto l = lints.find(m->version);
        if (l == lints.end()) continue;
        for (auto& f : findings_json(l->second, finding_filter::data_loss)) data_loss.push_back(f);
        for (auto& f : findings_json(l->second, finding_filter::needs_confirmation)) risky.push_back(f);
        const std::string t = findings_text(l->second, finding_filter::needs_confirmation);
        if (!t.empty())
            risky_text += "  - " + std::to_string(m->version) + " " + m->name + " (" + m->file + "), risk " +
                          to_string(l->second.level) + "\n" + t;
    }
    e.doc["data_loss"] = data_loss;
    e.doc["risky"] = risky;
    if (e.a.dry_run) {
        const auto st = ad::up_statements(p, s, session.opts());
        e.doc["statements"] = statements_json(st);
        e.io.print(statements_text(st, "-- Dry run: nothing was changed. " +
                                           e.hint(to ? "up --to " + std::to_string(*to) : std::string("up")) + " would send " +
                                           plural(st.size(), "statement batch", "statement batches") + " to " +
                                           e.target() + ", in order:\n"));
        return 0;
    }
    bool asked = false;
    if (!risky.empty())
        asked = e.confirm_or_refuse("Applying these migrations to " + e.target() + " is risky: lint found high or critical findings" +
                                        (data_loss.empty() ? std::string() : std::string(", some of which destroy data")) +
                                        " (accept an intended one with -- pgmig:allow <rule> <reason>):",
                                    risky_text);

    ticker t(e.io, e.io.stderr_tty());
    command_env::show_progress(session, t);
    const pgmig::detail::run_result r = session.apply(to, asked ? &p : nullptr);
    e.doc["applied"] = steps_json(r.applied);
    const std::optional<std::int64_t> now = current_of(r.after.report);
    e.doc["current_version"] = now.value_or(0);
    std::ostringstream out;
    if (r.applied.empty()) {
        out << "Nothing to apply: another process applied the pending migrations meanwhile (version " << version_text(now) << ").\n";
    } else {
        out << "Applied " << plural(r.applied.size(), "migration", "migrations") << " to " << e.target() << ":\n";
        for (const step_result& d : r.applied) out << "  ✓ " << d.version << " " << d.name << " (" << d.execution_ms << " ms)\n";
        out << "Database is now at version " << version_text(now) << ".\n";
    }
    e.io.print(out.str());
    return 0;
}

int parse_steps(const std::string& s) {
    if (s.empty() || s.size() > 6 || s.find_first_not_of("0123456789") != std::string::npos || std::stoi(s) < 1)
        throw error(error_code::usage, "--steps: '" + s + "' is not a positive number");
    return std::stoi(s);
}

std::string rollback_details(const ad::rollback_plan& p) {
    std::string out;
    for (const ad::rollback_step& s : p.steps)
        out += "  - " + std::to_string(s.version) + " " + s.name + " (down SQL from " +
               (s.from_history ? "the history table" : s.file) + ")\n";
    return out;
}

int cmd_rollback(command_env& e) {
    ad::rollback_target target;
    if (!e.a.to.empty()) target.to = parse_version("--to", e.a.to);
    if (!e.a.steps.empty()) target.steps = parse_steps(e.a.steps);
    e.doc["dry_run"] = e.a.dry_run;
    e.doc["to"] = version_or_null(target.to);
    e.doc["steps"] = target.to ? json(nullptr) : json(target.steps);
    e.doc["rolled_back"] = json::array();
    pgmig::detail::migrator session(e.conninfo, e.set, e.opts);
    const ad::db_state& s = session.read();
    e.doc["current_version"] = s.report.newest_applied;
    const ad::rollback_plan p = ad::plan_rollback(s, e.set, session.opts(), target);
    e.log_warnings(p.warnings);
    e.doc["warnings"] = problems_json(p.warnings);
    e.doc["planned"] = rollback_plan_json(p);
    if (p.steps.empty()) {
        e.io.print("Nothing to roll back on " + e.target() + " (version " + version_text(current_of(s.report)) + ").\n");
        return 0;
    }
    if (e.a.dry_run) {
        const auto st = ad::rollback_statements(p, session.opts());
        e.doc["statements"] = statements_json(st);
        const std::string command = target.to      ? "rollback --to " + std::to_string(*target.to)
                                    : target.steps > 1 ? "rollback --steps " + std::to_string(target.steps)
                                                       : std::string("rollback");
        e.io.print(statements_text(st, "-- Dry run: nothing was changed. " + e.hint(command) + " would send " +
                                           plural(st.size(), "statement batch", "statement batches") + " to " +
                                           e.target() + ", in order:\n"));
        return 0;
    }
    const bool asked = e.confirm_or_refuse(
        "This rolls back " + plural(p.steps.size(), "migration", "migrations") + " on " + e.target() +
            ", latest first (their down SQL runs and may drop data):",
        rollback_details(p));

    ticker t(e.io, e.io.stderr_tty());
    command_env::show_progress(session, t);
    const pgmig::detail::run_result r = session.rollback(target, asked ? &p : nullptr);
    e.doc["rolled_back"] = steps_json(r.rolled_back);
    const std::optional<std::int64_t> v = current_of(r.after.report);
    e.doc["current_version"] = v.value_or(0);
    std::ostringstream out;
    out << "Rolled back " << plural(r.rolled_back.size(), "migration", "migrations") << " on " << e.target() << ":\n";
    for (const step_result& d : r.rolled_back) out << "  ✓ " << d.version << " " << d.name << " (" << d.execution_ms << " ms)\n";
    out << "Database is now at version " << version_text(v) << ".\n";
    e.io.print(out.str());
    return 0;
}

int cmd_redo(command_env& e) {
    e.doc["dry_run"] = e.a.dry_run;
    e.doc["rolled_back"] = json::array();
    e.doc["applied"] = json::array();
    pgmig::detail::migrator session(e.conninfo, e.set, e.opts);
    const ad::db_state& s = session.read();
    e.doc["current_version"] = s.report.newest_applied;
    const ad::redo_plan p = ad::plan_redo(s, e.set, session.opts());
    if (p.down.steps.empty()) {
        e.doc["migration_version"] = nullptr;
        e.io.print("Nothing to redo: no migration is applied on " + e.target() + ".\n");
        return 0;
    }
    const ad::rollback_step& step = p.down.steps.front();
    e.doc["migration_version"] = step.version;
    e.log_warnings(p.down.warnings);
    e.doc["warnings"] = problems_json(p.down.warnings);
    if (e.a.dry_run) {
        const auto st = ad::redo_statements(p, s, session.opts());
        e.doc["statements"] = statements_json(st);
        e.io.print(statements_text(st, "-- Dry run: nothing was changed. " + e.hint("redo") + " would send " +
                                           plural(st.size(), "statement batch", "statement batches") + " to " +
                                           e.target() + ", in order:\n"));
        return 0;
    }
    const bool asked = e.confirm_or_refuse("This rolls back and re-applies migration " + std::to_string(step.version) +
                                               " on " + e.target() + " (its down SQL runs and may drop data):",
                                           rollback_details(p.down));
    ticker t(e.io, e.io.stderr_tty());
    command_env::show_progress(session, t);
    const pgmig::detail::run_result r = session.redo(asked ? &p : nullptr);
    e.doc["rolled_back"] = steps_json(r.rolled_back);
    e.doc["applied"] = steps_json(r.applied);
    const std::optional<std::int64_t> v = current_of(r.after.report);
    e.doc["current_version"] = v.value_or(0);
    std::ostringstream out;
    out << "Redid " << step.version << " " << step.name << " on " << e.target() << ": rolled back in "
        << (r.rolled_back.empty() ? 0 : r.rolled_back.front().execution_ms) << " ms, applied in "
        << (r.applied.empty() ? 0 : r.applied.front().execution_ms) << " ms.\nDatabase is now at version "
        << version_text(v) << ".\n";
    e.io.print(out.str());
    return 0;
}

// ------------------------------------------------------------------ bookkeeping commands

std::string changes_text(const std::vector<ad::bookkeeping_change>& changes) {
    std::string out;
    for (const ad::bookkeeping_change& c : changes) out += "  - " + c.detail + "\n";
    return out;
}

/// What baseline/repair/force share: the plan (from the migrator's state) shown, dry-run or confirmed, then run.
struct bookkeeping_command {
    std::string command;       ///< as given, e.g. "force 3", "repair --accept-checksums"
    bool destructive = false;  ///< needs confirmation
    std::string nothing_text, summary, done_text;
    /// The migrator's writing verb for this command.
    std::function<pgmig::detail::run_result(pgmig::detail::migrator&, const ad::bookkeeping_plan*)> run;
};

int run_bookkeeping(command_env& e, pgmig::detail::migrator& m, const ad::bookkeeping_plan& p,
                    const bookkeeping_command& c) {
    e.doc["dry_run"] = e.a.dry_run;
    e.doc["changes"] = changes_json(p.changes);
    e.doc["applied_changes"] = false;
    e.doc["current_version"] = m.state().report.newest_applied;
    if (p.changes.empty()) {
        e.io.print(c.nothing_text);
        return 0;
    }
    if (e.a.dry_run) {
        const auto st = ad::bookkeeping_statements(p, m.state(), m.opts());
        e.doc["statements"] = statements_json(st);
        e.io.print(changes_text(p.changes) +
                   statements_text(st, "-- Dry run: nothing was changed. " + e.hint(c.command) + " would send " +
                                           plural(st.size(), "statement batch", "statement batches") + " to " +
                                           e.target() + " (no migration SQL runs):\n"));
        return 0;
    }
    bool asked = false;
    if (c.destructive) asked = e.confirm_or_refuse(c.summary, changes_text(p.changes));
    const pgmig::detail::run_result r = c.run(m, asked ? &p : nullptr);
    e.doc["changes"] = changes_json(r.changes);
    e.doc["applied_changes"] = true;
    const std::optional<std::int64_t> v = current_of(r.after.report);
    e.doc["current_version"] = v.value_or(0);
    e.io.print(c.done_text + "\n" + changes_text(r.changes) + "Recorded version is now " + version_text(v) + ".\n");
    return 0;
}

int cmd_baseline(command_env& e) {
    const std::int64_t v = parse_version("--version", e.a.version);
    e.doc["baseline_version"] = v;
    pgmig::detail::migrator session(e.conninfo, e.set, e.opts);
    e.doc["dry_run"] = e.a.dry_run;
    const ad::bookkeeping_plan p = ad::plan_baseline(session.read(), e.set, session.opts(), v);
    return run_bookkeeping(e, session, p,
                           {"baseline --version " + std::to_string(v), false, "Nothing to record.\n", "",
                            "Baselined " + e.target() + " at version " + std::to_string(v) + " (no migration SQL was run):",
                            [v](pgmig::detail::migrator& mg, const ad::bookkeeping_plan* c) { return mg.baseline(v, c); }});
}

int cmd_repair(command_env& e) {
    e.doc["accept_checksums"] = e.a.accept_checksums;
    e.doc["dry_run"] = e.a.dry_run;
    pgmig::detail::migrator session(e.conninfo, e.set, e.opts);
    const ad::db_state& s = session.read();
    const ad::bookkeeping_plan p = ad::plan_repair(s, e.set, e.a.accept_checksums);
    std::string nothing = "Nothing to repair: no failed or interrupted run is recorded";
    // Mention drift that only --accept-checksums would accept.
    if (!e.a.accept_checksums && !s.report.drifted.empty())
        nothing += "; " + plural(s.report.drifted.size(), "migration has", "migrations have") +
                   " changed since applied (accept with " + e.hint("repair --accept-checksums") + ")";
    else if (e.a.accept_checksums)
        nothing += " and no migration has changed since it was applied";
    const bool accept = e.a.accept_checksums;
    return run_bookkeeping(e, session, p,
                           {accept ? "repair --accept-checksums" : "repair", true, nothing + ".\n",
                            "This changes the history table of " + e.target() + " (no migration SQL runs):",
                            "Repaired " + e.target() + ":",
                            [accept](pgmig::detail::migrator& mg, const ad::bookkeeping_plan* c) { return mg.repair(accept, c); }});
}

int cmd_force(command_env& e) {
    const std::int64_t v = parse_version("version", e.a.version);
    // force 0 is "nothing applied" unless 0 is a version of the set (then it is recorded as applied).
    const std::string target = v == 0 && e.set.find(0) == nullptr ? version_text(std::nullopt) : std::to_string(v);
    e.doc["force_version"] = v;
    e.doc["dry_run"] = e.a.dry_run;
    pgmig::detail::migrator session(e.conninfo, e.set, e.opts);
    const ad::bookkeeping_plan p = ad::plan_force(session.read(), e.set, v);
    return run_bookkeeping(
        e, session, p,
        {"force " + std::to_string(v), true,
         "Nothing to change: the recorded state of " + e.target() + " is already version " + target + ".\n",
         "This sets the recorded state of " + e.target() + " to version " + target +
             " without running any migration SQL:",
         "Forced " + e.target() + " to version " + target + ":",
         [v](pgmig::detail::migrator& mg, const ad::bookkeeping_plan* c) { return mg.force(v, c); }});
}

// ------------------------------------------------------------------ new

int cmd_new(console& io, const parsed_args& a, json& doc) {
    new_request req;
    req.directory = a.migrations_dir;
    for (std::size_t i = 0; i < a.name_words.size(); ++i) req.name += (i ? " " : "") + a.name_words[i];
    if (!a.format.empty()) req.format = a.format == "paired" ? new_format::paired : new_format::timestamp;
    req.now = std::time(nullptr);
    const new_result r = create_migration(req);
    doc["directory"] = a.migrations_dir;
    doc["format"] = to_string(r.format);
    doc["migration_version"] = r.version;
    doc["name"] = r.name;
    doc["files"] = r.paths;
    doc["created_directory"] = r.created_directory;
    std::string t;
    if (r.created_directory) t += "Created directory " + a.migrations_dir + "\n";
    for (const std::string& p : r.paths) t += "Created " + p + "\n";
    io.print(t);
    return 0;
}

// ------------------------------------------------------------------ check-rollback

/// Exit code of `check-rollback` when a down does not restore the schema (or fails).
constexpr int check_rollback_exit_code = 12;

int cmd_check_rollback(command_env& e) {
    std::optional<std::int64_t> to;
    if (!e.a.to.empty()) {
        to = parse_version("--to", e.a.to);
        if (e.set.find(*to) == nullptr)
            throw error(error_code::usage, "--to " + std::to_string(*to) + " is not a version of the migrations");
    }
    e.doc["to"] = version_or_null(to);
    auto conn = e.connect();
    const ad::db_state s = ad::read_state(*conn, e.set, e.opts);
    e.doc["current_version"] = s.report.newest_applied;
    std::vector<const migration*> ms;
    for (const pending_migration& p : s.report.pending)
        if (!to || p.version <= *to) ms.push_back(e.set.find(p.version));
    const std::vector<ad::rollback_check> results = ad::check_rollbacks(*conn, ms, e.opts);

    json arr = json::array();
    std::map<std::string, std::size_t> counts;
    std::ostringstream t;
    if (results.empty())
        t << "Nothing to check: no migration is pending on " << e.target() << ".\n";
    else
        t << "Checked " << plural(results.size(), "pending migration", "pending migrations") << " on " << e.target()
          << " (up, then down, inside one transaction that was rolled back; nothing was changed):\n";
    for (const ad::rollback_check& r : results) {
        ++counts[r.status];
        arr.push_back({{"migration_version", r.version}, {"name", r.name}, {"file", r.file}, {"status", r.status},
                       {"reason", text_or_null(r.reason)}, {"diff", r.diff}});
        const char* mark = r.status == "ok" ? "✓" : r.status == "skipped" ? "-" : "✗";
        t << "  " << mark << " " << r.version << " " << r.name << " (" << r.file << "): ";
        if (r.status == "ok") t << "down restores the schema\n";
        else if (r.status == "differs") t << "down does NOT restore the schema (- before up, + after down):\n";
        else t << r.status << ": " << r.reason << "\n";
        for (const std::string& d : r.diff) t << "      " << d << "\n";
    }
    const bool bad = counts["differs"] + counts["failed"] > 0;
    e.doc["migrations"] = arr;
    e.doc["result"] = bad ? "differs" : "ok";
    if (!results.empty()) {
        t << "\n" << counts["ok"] << " ok, " << counts["differs"] << " differ, " << counts["failed"] << " failed, "
          << counts["skipped"] << " skipped.\n";
        if (bad) t << "✗ exit " << check_rollback_exit_code << ": fix the down sections above so that rollback restores the schema.\n";
    }
    e.io.print(t.str());
    return bad ? check_rollback_exit_code : 0;
}

// ------------------------------------------------------------------ lint

/// Exit code of `lint` when an unsuppressed finding is at or above --fail-on.
constexpr int lint_findings_exit_code = 11;

int cmd_lint(console& io, const parsed_args& a, const migration_set& set,
             const std::vector<pgmig::detail::migration_problem>& problems, bool standalone, json& doc) {
    risk threshold = risk::high;
    const bool never_fail = a.fail_on == "none";
    if (!a.fail_on.empty() && !never_fail) parse_risk(a.fail_on, threshold);
    const std::string format = a.json ? "json" : a.format.empty() ? "text" : a.format;

    lint_options lo;
    lo.lint_down = a.lint_down;
    lo.disabled_rules = a.disable;
    lo.enabled_rules = a.enable;
    // Load problems are findings too: a broken file never hides the others' findings.
    const std::vector<migration_lint> results = pgmig::lint_detail::lint_loaded(set, problems, lo);

    // Paths as a person (or GitHub) finds them: relative to the migrations directory as given.
    const auto path_of = [&](const std::string& file) {
        if (!standalone || file.empty()) return file;
        std::string dir = a.migrations_dir;
        while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
        return dir.empty() || dir == "." ? file : dir + "/" + file;
    };
    const auto fails = [&](const lint_finding& f) { return !never_fail && !f.suppressed && f.level >= threshold; };

    std::map<risk, std::size_t> counts;
    std::size_t suppressed = 0, failing = 0;
    json migrations = json::array();
    std::ostringstream t;
    for (const migration_lint& l : results) {
        json findings = json::array();
        const migration* m = l.loaded ? set.find(l.version) : nullptr;
        if (l.loaded)
            t << "== " << l.version << " " << l.name << " (" << path_of(l.file) << ")  risk: " << to_string(l.level) << "\n";
        else
            t << "== " << path_of(l.file) << " (did not load)  risk: " << to_string(l.level) << "\n";
        for (const lint_finding& f : l.findings) {
            if (f.suppressed) ++suppressed;
            else ++counts[f.level];
            if (fails(f)) ++failing;
            const std::string file = f.file.empty() ? l.file : f.file;
            findings.push_back({{"rule_id", f.rule_id}, {"level", to_string(f.level)}, {"file", file}, {"line", f.line},
                                {"column", f.column}, {"statement_line", f.statement_line},
                                {"statement", f.statement}, {"message", f.message},
                                {"safe_alternative", f.safe_alternative}, {"relation", text_or_null(f.relation)},
                                {"suppressed", f.suppressed},
                                {"suppression_reason", f.suppressed ? json(f.suppression_reason) : json(nullptr)},
                                {"down", f.down}});
            t << "  " << path_of(file) << ":" << f.line << ":" << f.column << ": [" << to_string(f.level) << "] " << f.rule_id << ": "
              << (f.down ? "(down) " : "") << f.message << "\n";
            if (f.suppressed)
                t << "      suppressed: " << (f.suppression_reason.empty() ? "(no reason given)" : f.suppression_reason) << "\n";
            else if (!f.safe_alternative.empty())
                t << "      instead: " << f.safe_alternative << "\n";
        }
        migrations.push_back({{"migration_version", l.loaded || l.version != 0 ? json(l.version) : json(nullptr)},
                              {"name", l.name}, {"file", l.file}, {"loaded", l.loaded},
                              {"level", to_string(l.level)},
                              {"reversible", m != nullptr ? json(m->reversible) : json(nullptr)},
                              {"findings", findings}});
    }
    const risk highest = max_level(results);
    std::size_t total = 0;
    for (const auto& c : counts) total += c.second;
    json count_doc = json::object();
    for (risk r : {risk::critical, risk::high, risk::medium, risk::low}) count_doc[to_string(r)] = counts[r];
    count_doc["suppressed"] = suppressed;
    doc["migrations_dir"] = standalone ? json(a.migrations_dir) : json(nullptr);
    doc["fail_on"] = never_fail ? "none" : to_string(threshold);
    doc["lint_down"] = a.lint_down;
    doc["disabled_rules"] = a.disable;
    doc["enabled_rules"] = a.enable;
    doc["risk"] = to_string(highest);
    doc["counts"] = count_doc;
    doc["failing_findings"] = failing;
    doc["migrations"] = migrations;
    doc["result"] = failing > 0 ? "findings" : "clean";

    t << "\n" << plural(results.size(), "migration", "migrations") << " linted: "
      << plural(total, "finding", "findings");
    std::string parts;
    for (risk r : {risk::critical, risk::high, risk::medium, risk::low})
        if (counts[r] > 0) parts += (parts.empty() ? "" : ", ") + std::to_string(counts[r]) + " " + to_string(r);
    if (!parts.empty()) t << " (" << parts << ")";
    t << ", " << suppressed << " suppressed; highest risk " << to_string(highest) << ".\n";
    if (failing > 0)
        t << "✗ " << plural(failing, "finding is", "findings are") << " at or above --fail-on " << to_string(threshold)
          << " (exit " << lint_findings_exit_code << "). Fix them, or accept one with -- pgmig:allow <rule-id> <reason>.\n";
    else
        t << "✓ nothing at or above --fail-on " << (never_fail ? std::string("none") : to_string(threshold)) << ".\n";

    const int code = failing > 0 ? lint_findings_exit_code : 0;
    if (format == "github" || format == "sarif" || format == "gitlab") {
        if (!io.json) {
            if (format == "github") io.print(pgmig::lint_detail::github_annotations(results, path_of));
            else if (format == "sarif") io.print(pgmig::lint_detail::sarif_log(results, path_of).dump(2) + "\n");
            else io.print(pgmig::lint_detail::gitlab_code_quality(results, path_of).dump(2) + "\n");
            io.note("pgmig: " + plural(total, "lint finding", "lint findings") + ", " + std::to_string(failing) +
                    " at or above --fail-on " + (never_fail ? std::string("none") : to_string(threshold)) + "\n");
        }
    } else {
        io.print(t.str());
    }
    return code;
}

// ------------------------------------------------------------------ dispatch

pgmig::options build_options(const parsed_args& a, const cli_options& base, console& io) {
    pgmig::options o = base.defaults;
    if (!a.history_table.empty()) o.history_table = parse_history_table(a.history_table);
    if (!a.drift.empty()) o.policy.drift = a.drift == "warn" ? drift_policy::warn : drift_policy::refuse;
    if (!a.unknown.empty()) o.policy.unknown_newer = a.unknown == "refuse" ? unknown_policy::refuse : unknown_policy::warn;
    if (!a.out_of_order.empty())
        o.policy.out_of_order = a.out_of_order == "allow" ? out_of_order_policy::allow : out_of_order_policy::refuse;
    if (!a.lock_timeout.empty()) o.lock_timeout = parse_duration("--lock-timeout", a.lock_timeout);
    if (!a.connect_timeout.empty()) o.connect_timeout = parse_duration("--connect-timeout", a.connect_timeout);
    if (a.lock_mode == "session") o.lock_mode = pgmig::lock_mode::session;
    if (a.lock_mode == "transaction") o.lock_mode = pgmig::lock_mode::transaction;
    if (!a.direct_db.empty()) {
        o.migration_url = a.direct_db;
        io.add_secret_source(a.direct_db);
    }
    o.mode = run_mode::apply;
    o.log = io.make_logger();
    // Fix hints name the commands as this front end spells them.
    o.admin_command = base.program_name.empty() ? "db" : base.program_name;
    return o;
}

int dispatch(console& io, const parse_outcome& po, const migration_set* embedded, const cli_options& base, json& doc) {
    const parsed_args& a = po.args;
    pgmig::options o = build_options(a, base, io);
    if (a.command == "new") return cmd_new(io, a, doc);
    if (a.command == "lint") {
        // No database: only the migrations.
        if (embedded != nullptr) return cmd_lint(io, a, *embedded, {}, false, doc);
        // Load what loads; the problems become findings (a broken file hides nothing).
        pgmig::detail::directory_files listed = pgmig::detail::read_migration_directory(a.migrations_dir);
        pgmig::detail::parse_result parsed =
            pgmig::detail::parse_migration_files(std::move(listed.files), std::move(listed.problems));
        return cmd_lint(io, a, migration_set::from_precomputed(std::move(parsed.migrations)), parsed.problems, true, doc);
    }

    // Every value is checked before anything is read or connected: usage errors come first.
    if (!a.to.empty()) parse_version("--to", a.to);
    if (!a.steps.empty()) parse_steps(a.steps);
    if (!a.version.empty()) parse_version(a.command == "force" ? "version" : "--version", a.version);

    migration_set from_dir;
    if (embedded == nullptr) from_dir = migration_set::from_directory(a.migrations_dir);
    const migration_set& set = embedded != nullptr ? *embedded : from_dir;

    const resolved_conninfo conn = resolve_conninfo(a.db, std::getenv("DB_URL"), ".env");
    if (conn.source == conninfo_source::none)
        throw error(error_code::usage,
                    "no database given: pass --db URL, or set DB_URL in the environment or in ./.env "
                    "(e.g. DB_URL=postgresql://user@localhost/app)");
    io.add_secret_source(conn.conninfo);
    const std::string program = base.program_name.empty() ? "db" : base.program_name;
    command_env e{io, a, set, o, conn.conninfo, program, doc};
    doc["database"] = e.target();
    doc["history_table"] = o.history_table.qualified();
    io.log(log_level::debug, "database " + e.target() + " (from " + to_string(conn.source) + "), history table " +
                                 o.history_table.qualified() + ", " + std::to_string(set.size()) + " migrations");

    const std::string& c = a.command;
    if (c == "status") return cmd_status(e);
    if (c == "plan") return cmd_plan(e);
    if (c == "up") return cmd_up(e);
    if (c == "rollback") return cmd_rollback(e);
    if (c == "redo") return cmd_redo(e);
    if (c == "verify") return cmd_verify(e);
    if (c == "history") return cmd_history(e);
    if (c == "baseline") return cmd_baseline(e);
    if (c == "repair") return cmd_repair(e);
    if (c == "force") return cmd_force(e);
    if (c == "check-rollback") return cmd_check_rollback(e);
    throw error(error_code::usage, "unknown command '" + c + "'");
}

/// Pre-scan argv for connection strings, so that even a usage error never echoes a password.
void collect_secrets(console& io, int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) {
        if (argv[i] == nullptr) continue;
        const std::string s = argv[i];
        if (s == "--db" && i + 1 < argc && argv[i + 1] != nullptr) io.add_secret_source(argv[i + 1]);
        if (s.rfind("--db=", 0) == 0) io.add_secret_source(s.substr(5));
        if (s == "--direct-db" && i + 1 < argc && argv[i + 1] != nullptr) io.add_secret_source(argv[i + 1]);
        if (s.rfind("--direct-db=", 0) == 0) io.add_secret_source(s.substr(12));
        if (s.find("://") != std::string::npos || s.find("password") != std::string::npos) io.add_secret_source(s);
    }
    if (const char* env = std::getenv("DB_URL")) io.add_secret_source(env);
    const resolved_conninfo dotenv = resolve_conninfo("", nullptr, ".env");
    io.add_secret_source(dotenv.conninfo);
}

int report_error(console& io, json& doc, const error& e) {
    doc["error"] = error_json(e);
    // A run that stopped part-way: what it did before, in the arrays the command declared.
    if (const auto* partial = dynamic_cast<const partial_error*>(&e)) {
        if (doc.contains("applied")) doc["applied"] = steps_json(partial->applied());
        if (doc.contains("rolled_back")) doc["rolled_back"] = steps_json(partial->rolled_back());
    }
    if (!io.json) {
        std::string msg = e.what();
        io.note("pgmig: error: " + msg + "\n");
    }
    return exit_code(e.code());
}

} // namespace

int run_with(int argc, const char* const* argv, const migration_set* set, const cli_options& opts, std::istream& in,
             std::ostream& out, std::ostream& err, bool stdin_is_terminal, bool stderr_is_terminal) {
    try {
        console io(in, out, err, stdin_is_terminal, stderr_is_terminal);
        collect_secrets(io, argc, argv);
        const std::string program = opts.program_name.empty() ? "db" : opts.program_name;
        const parse_outcome po = parse_arguments(argc, argv, set == nullptr, program);
        io.json = po.json;
        if (po.args.quiet) io.min_level = log_level::warning;
        if (po.args.verbose) io.min_level = log_level::debug;
        json doc;
        doc["version"] = json_schema_version;
        doc["command"] = po.command.empty() ? json(nullptr) : json(po.command);
        int code = 0;
        if (po.finished && !po.usage) {
            // --help / --version: text even with --json.
            out << io.hide(po.out_text) << std::flush;
            return 0;
        }
        try {
            if (po.usage) throw *po.usage;
            code = dispatch(io, po, set, opts, doc);
        } catch (const error& e) {
            code = report_error(io, doc, e);
        } catch (const pgmig::detail::db_error& e) {
            code = report_error(io, doc, error(error_code::database, e.what(), error_location{"", 0, std::nullopt, e.sqlstate}));
        } catch (const pgmig::detail::connection_error& e) {
            code = report_error(io, doc, error(error_code::connection, e.what()));
        } catch (const std::exception& e) {
            code = report_error(io, doc, error(error_code::database, std::string("unexpected error: ") + e.what()));
        }
        doc["ok"] = code == 0;
        doc["exit_code"] = code;
        if (io.json) io.print_json(doc);
        return code;
    } catch (...) {
        try {
            err << "pgmig: error: unexpected internal error\n";
        } catch (...) {
        }
        return exit_code(error_code::database);
    }
}

int run(int argc, const char* const* argv, const migration_set& set, const cli_options& opts) {
    return run_with(argc, argv, &set, opts, std::cin, std::cout, std::cerr, PGMIG_ISATTY(0) != 0, PGMIG_ISATTY(2) != 0);
}

int run_standalone(int argc, const char* const* argv, const cli_options& opts) {
    cli_options o = opts;
    if (o.program_name.empty() || o.program_name == "db") o.program_name = "pgmig";
    return run_with(argc, argv, nullptr, o, std::cin, std::cout, std::cerr, PGMIG_ISATTY(0) != 0, PGMIG_ISATTY(2) != 0);
}

} // namespace pgmig::cli
