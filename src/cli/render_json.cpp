// The admin CLI's JSON for machines (see render_json.hpp and docs/cli.md).
#include "cli/render_json.hpp"
#include "core/checksum.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace pgmig::detail::cli {

namespace {

using json = nlohmann::json;

json version_or_null(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }
json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

/// A JSON array of `to_json(item)` for each of `items`, in order.
template <class Items, class ToJson>
json array_of(const Items& items, ToJson to_json) {
    json a = json::array();
    for (const auto& item : items) a.push_back(to_json(item));
    return a;
}

// ------------------------------------------------------------------ shared objects

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

json problems_json(const std::vector<problem>& ps) {
    return array_of(ps, [](const problem& p) -> json {
        return {{"kind", to_string(p.kind)}, {"severity", to_string(p.level)}, {"migration_version", p.version},
                {"file", text_or_null(p.file)}, {"message", p.message}, {"fix", p.fix}};
    });
}

json applied_json(const applied_migration& a, const reconcile_report& r) {
    const bool drifted =
        std::any_of(r.drifted.begin(), r.drifted.end(), [&](const drifted_migration& d) { return d.version == a.version; });
    return {{"migration_version", a.version}, {"name", a.name}, {"file", text_or_null(a.file)},
            {"checksum", a.checksum}, {"applied_at", a.applied_at}, {"execution_ms", a.execution_ms},
            {"applied_by", a.applied_by}, {"in_set", a.in_set}, {"reversible", a.reversible},
            {"drifted", drifted}, {"phase", to_string(a.phase)}, {"kind", to_string(a.kind)}};
}

json drifted_json(const std::vector<drifted_migration>& ds) {
    return array_of(ds, [](const drifted_migration& d) -> json {
        return {{"migration_version", d.version}, {"name", d.name}, {"file", d.file},
                {"recorded_checksum", d.recorded_checksum}, {"current_checksum", d.current_checksum},
                {"diff_status", to_string(d.text)}, {"diff", d.diff}, {"diff_note", text_or_null(d.text_note)}};
    });
}

json pending_json(const pending_migration& p) {
    return {{"migration_version", p.version}, {"name", p.name}, {"file", p.file},
            {"out_of_order", p.out_of_order}, {"reversible", p.reversible}, {"phase", to_string(p.phase)},
            {"kind", to_string(p.kind)}};
}

json pendings_json(const std::vector<pending_migration>& ps) { return array_of(ps, pending_json); }

json row_json(const history_row& r) {
    return {{"id", r.id}, {"migration_version", r.version}, {"name", r.name}, {"checksum", r.checksum},
            {"applied_at", r.applied_at}, {"direction", to_string(r.dir)}, {"status", to_string(r.status)},
            {"error_message", text_or_null(r.error_message)}, {"execution_ms", r.execution_ms},
            {"applied_by", r.applied_by}, {"has_down_sql", r.has_down_sql},
            {"statements_done", r.statements_done}, {"statements_total", r.statements_total},
            {"phase", text_or_null(r.phase)}, {"batches_done", r.batches_done}, {"batch_rows", r.batch_rows},
            {"kind", core::is_code_checksum(r.checksum) ? "code" : "sql"}};
}

json rows_json(const std::vector<history_row>& rows) { return array_of(rows, row_json); }

json statements_json(const std::vector<engine::statement>& ss) {
    return array_of(ss, [](const engine::statement& s) -> json {
        return {{"migration_version", s.version ? json(s.version) : json(nullptr)}, {"purpose", s.purpose},
                {"sql", s.sql}};
    });
}

/// What a run does on a lock timeout (dry runs).
json lock_retry_json(const engine::lock_retry_policy& p) {
    json pauses = json::array();
    for (int i = 0; i < p.retries; ++i) pauses.push_back(p.pause(i).count());
    return {{"sqlstate", "55P03"}, {"retries", p.retries}, {"pauses_ms", pauses},
            {"transactional", "the migration's transaction is rolled back and sent again after the pause"},
            {"no_transaction", "the statement that timed out is sent again after the pause"}};
}

json steps_json(const std::vector<step_result>& done) {
    return array_of(done, [](const step_result& s) -> json {
        return {{"migration_version", s.version}, {"name", s.name}, {"file", s.file}, {"execution_ms", s.execution_ms}};
    });
}

json rollback_steps_json(const std::vector<core::rollback_step>& steps) {
    return array_of(steps, [](const core::rollback_step& s) -> json {
        return {{"migration_version", s.version}, {"name", s.name}, {"reversible", s.reversible},
                {"down_source", !s.reversible ? json(nullptr) : json(s.from_history ? "history" : "file")},
                {"file", text_or_null(s.file)}, {"applied_at", s.applied_at}, {"no_transaction", s.no_transaction}};
    });
}

json changes_json(const std::vector<core::bookkeeping_change>& changes) {
    return array_of(changes, [](const core::bookkeeping_change& c) {
        json j = {{"action", c.action}, {"migration_version", c.version}, {"name", c.name},
                  {"file", text_or_null(c.file)}, {"row_id", c.row_id ? json(c.row_id) : json(nullptr)},
                  {"detail", c.detail}};
        const bool accept = c.action == "accept_checksum";
        j["old_checksum"] = accept ? json(c.old_checksum) : json(nullptr);
        j["new_checksum"] = accept ? json(c.new_checksum) : json(nullptr);
        return j;
    });
}

/// A lint finding, the one shape of every command (lint, plan, up, rollback,
/// redo, force); `file` defaults to the migration's (`default_file`).
json finding_json(const lint_finding& f, const std::string& default_file = "") {
    return {{"rule_id", f.rule_id}, {"level", to_string(f.level)}, {"migration_version", f.version},
            {"file", f.file.empty() ? default_file : f.file}, {"line", f.line}, {"column", f.column},
            {"statement_line", f.statement_line}, {"statement", f.statement}, {"message", f.message},
            {"safe_alternative", f.safe_alternative}, {"relation", text_or_null(f.relation)},
            {"suppressed", f.suppressed},
            {"suppression_reason", f.suppressed ? json(f.suppression_reason) : json(nullptr)}, {"down", f.down}};
}

/// A finding with the live size of its table (plan, up's and rollback's data_loss).
json sized_finding_json(const sized_finding& s) {
    json j = finding_json(s.finding);
    const std::optional<table_size>& t = s.table;
    j["table_exists"] = t ? json(t->exists) : json(nullptr);
    j["table_rows_estimate"] = t && t->rows ? json(*t->rows) : json(nullptr);
    j["table_bytes"] = t && t->bytes ? json(*t->bytes) : json(nullptr);
    return j;
}

json sized_findings_json(const std::vector<sized_finding>& fs) { return array_of(fs, sized_finding_json); }

// ------------------------------------------------------------------ results

void fill(json&, const std::monostate&) {}

/// `result` of status, plan and verify: the refusal's code, "pending", or `clean`.
std::string state_result(const std::optional<error>& refusal, bool pending, const char* clean) {
    if (refusal) return to_string(refusal->code());
    return pending ? "pending" : clean;
}

void fill(json& doc, const status_result& r) {
    const reconcile_report& rep = r.report;
    json applied = json::array(), unknown = json::array();
    for (const applied_migration& a : rep.applied) applied.push_back(applied_json(a, rep));
    for (const applied_migration& a : rep.unknown_newer) {
        json j = applied_json(a, rep);
        j["where"] = "newer";
        unknown.push_back(j);
    }
    for (const applied_migration& a : rep.unknown_inside) {
        json j = applied_json(a, rep);
        j["where"] = "inside";
        unknown.push_back(j);
    }
    doc["history_table_exists"] = r.history_table_exists;
    doc["current_version"] = rep.newest_applied;
    doc["up_to_date"] = rep.up_to_date();
    doc["applied"] = applied;
    doc["pending"] = pendings_json(rep.pending);
    doc["drifted"] = drifted_json(rep.drifted);
    doc["unknown"] = unknown;
    doc["failed"] = rows_json(rep.outstanding);
    doc["problems"] = problems_json(rep.problems);
    doc["result"] = state_result(r.refusal, !rep.pending.empty(), "clean");
}

void fill(json& doc, const plan_result& r) {
    json pending = json::array();
    for (const plan_migration& m : r.pending) {
        json j = pending_json(m.pending);
        j["level"] = m.level ? json(to_string(*m.level)) : json(nullptr);
        j["findings"] = sized_findings_json(m.findings);
        j["no_transaction"] = m.no_transaction;
        j["lock_timeout_ms"] = m.lock_timeout_ms;
        j["sql"] = m.pending.kind == migration_kind::code ? json(nullptr) : json(m.sql); // a C++ migration has no SQL text
        j["down_sql"] = m.down_sql ? json(*m.down_sql) : json(nullptr);
        pending.push_back(j);
    }
    doc["current_version"] = r.current_version.newest.value_or(0);
    doc["pending"] = pending;
    doc["problems"] = problems_json(r.problems);
    doc["refusal"] = r.refusal ? error_json(*r.refusal) : json(nullptr);
    doc["risk"] = r.level ? json(to_string(*r.level)) : json(nullptr);
    doc["result"] = state_result(r.refusal, !r.pending.empty(), "up_to_date");
}

void fill(json& doc, const verify_result& r) {
    doc["current_version"] = r.report.newest_applied;
    doc["applied_count"] = r.report.applied.size();
    doc["pending"] = pendings_json(r.report.pending);
    doc["drifted"] = drifted_json(r.report.drifted);
    doc["problems"] = problems_json(r.report.problems);
    doc["result"] = state_result(r.refusal, !r.report.pending.empty(), "clean");
}

void fill(json& doc, const history_result& r) {
    doc["history_table_exists"] = r.history_table_exists;
    doc["rows"] = rows_json(r.rows);
}

void fill(json& doc, const up_result& r) {
    doc["dry_run"] = r.dry_run;
    doc["to"] = version_or_null(r.to);
    doc["steps"] = r.steps ? json(*r.steps) : json(nullptr);
    doc["phase"] = to_string(r.phase);
    doc["applied"] = steps_json(r.applied);
    json waiting = json::array();
    for (const up_migration& m : r.waiting) waiting.push_back({{"migration_version", m.version}, {"file", m.file}});
    doc["waiting"] = waiting;
    if (r.current_version) doc["current_version"] = r.current_version->newest.value_or(0);
    if (r.warnings) doc["warnings"] = problems_json(*r.warnings);
    if (r.planned) {
        json planned = json::array();
        for (const up_migration& m : *r.planned)
            planned.push_back({{"migration_version", m.version}, {"name", m.name}, {"file", m.file},
                               {"reversible", m.reversible}});
        doc["planned"] = planned;
    }
    if (r.data_loss) doc["data_loss"] = sized_findings_json(*r.data_loss);
    if (r.risky) {
        json risky = json::array();
        for (const risky_migration& m : *r.risky)
            for (const lint_finding& f : m.findings) risky.push_back(finding_json(f, m.file));
        doc["risky"] = risky;
    }
    if (r.statements) doc["statements"] = statements_json(*r.statements);
    if (r.lock_retry) doc["lock_retry"] = lock_retry_json(*r.lock_retry);
}

void fill(json& doc, const rollback_result& r) {
    doc["dry_run"] = r.dry_run;
    doc["to"] = version_or_null(r.to);
    doc["steps"] = r.steps ? json(*r.steps) : json(nullptr);
    doc["rolled_back"] = steps_json(r.rolled_back);
    if (r.current_version) doc["current_version"] = r.current_version->newest.value_or(0);
    if (r.warnings) doc["warnings"] = problems_json(*r.warnings);
    if (r.planned) doc["planned"] = rollback_steps_json(*r.planned);
    if (r.data_loss) doc["data_loss"] = sized_findings_json(*r.data_loss);
    if (r.statements) doc["statements"] = statements_json(*r.statements);
    if (r.lock_retry) doc["lock_retry"] = lock_retry_json(*r.lock_retry);
}

void fill(json& doc, const redo_result& r) {
    doc["dry_run"] = r.dry_run;
    doc["rolled_back"] = steps_json(r.rolled_back);
    doc["applied"] = steps_json(r.applied);
    if (r.current_version) doc["current_version"] = r.current_version->newest.value_or(0);
    if (r.planned) {
        if (r.planned->steps.empty()) {
            doc["migration_version"] = nullptr;
        } else {
            doc["migration_version"] = r.planned->steps.front().version;
            doc["warnings"] = problems_json(r.planned->warnings);
        }
    }
    if (r.data_loss) doc["data_loss"] = sized_findings_json(*r.data_loss);
    if (r.statements) doc["statements"] = statements_json(*r.statements);
    if (r.lock_retry) doc["lock_retry"] = lock_retry_json(*r.lock_retry);
}

void fill(json& doc, const bookkeeping_result& r) {
    switch (r.command) {
    case bookkeeping_command::baseline: doc["baseline_version"] = r.version; break;
    case bookkeeping_command::repair: doc["accept_checksums"] = r.accept_checksums; break;
    case bookkeeping_command::force: doc["force_version"] = r.version; break;
    case bookkeeping_command::import_history: doc["accept_checksums"] = r.accept_checksums; break;
    }
    switch (r.command) {
    case bookkeeping_command::baseline:
        if (r.missing_objects)
            doc["missing_objects"] = array_of(*r.missing_objects, [](const lint::created_object& o) -> json {
                return {{"kind", o.kind}, {"name", o.name}, {"migration_version", o.version}};
            });
        break;
    case bookkeeping_command::repair:
        if (!r.accept_checksums) {
            doc["remaining_drift"] = drifted_json(r.remaining_drift);
            // The option that accepts it, for the next step.
            doc["accept_with"] = r.remaining_drift.empty() ? json(nullptr) : json("--accept-checksums");
        }
        break;
    case bookkeeping_command::force:
        doc["data_loss"] = json::array(); // force runs no SQL: it destroys nothing (the objects stay)
        break;
    case bookkeeping_command::import_history: break;
    }
    doc["dry_run"] = r.dry_run;
    if (r.changes) {
        doc["changes"] = changes_json(*r.changes);
        doc["applied_changes"] = r.applied_changes;
    }
    if (r.current_version) doc["current_version"] = r.current_version->newest.value_or(0);
    if (r.statements) doc["statements"] = statements_json(*r.statements);
}

void fill(json& doc, const import_result& r) {
    fill(doc, r.book);
    doc["from"] = r.tool;
    doc["from_table"] = r.table;
    if (!r.report) return;
    const core::import_report& rep = *r.report;
    doc["from_rows"] = rep.rows;
    doc["imported"] = array_of(rep.versions, [](const core::imported_version& v) -> json {
        return {{"migration_version", v.version},
                {"name", v.name},
                {"file", v.file},
                {"recorded_as", v.implied ? json(nullptr) : json(v.recorded)},
                {"implied", v.implied},
                {"applied_at", text_or_null(v.applied_at)},
                {"checksum", core::to_string(v.checksum)},
                {"recorded_checksum", text_or_null(v.recorded_checksum)},
                {"file_checksum", text_or_null(v.file_checksum)}};
    });
    doc["skipped"] = rep.skipped;
    doc["pending"] = rep.pending;
}

void fill(json& doc, const check_rollback_result& r) {
    doc["to"] = version_or_null(r.to);
    if (r.current_version) doc["current_version"] = r.current_version->newest.value_or(0);
    if (r.checks) {
        json migrations = json::array();
        for (const engine::rollback_check& c : *r.checks)
            migrations.push_back({{"migration_version", c.version}, {"name", c.name}, {"file", c.file},
                                  {"status", c.status}, {"reason", text_or_null(c.reason)}, {"diff", c.diff}});
        doc["migrations"] = migrations;
        doc["result"] = r.differs ? "differs" : "ok";
    }
}

void fill(json& doc, const lint_result& r) {
    json migrations = json::array();
    for (const linted_migration& m : r.migrations) {
        const migration_lint& l = m.lint;
        json findings = json::array();
        for (const lint_finding& f : l.findings) findings.push_back(finding_json(f, l.file));
        migrations.push_back({{"migration_version", l.loaded || l.version != 0 ? json(l.version) : json(nullptr)},
                              {"name", l.name}, {"file", l.file}, {"loaded", l.loaded},
                              {"level", to_string(l.level)},
                              {"reversible", m.reversible ? json(*m.reversible) : json(nullptr)},
                              {"findings", findings},
                              {"skipped", l.skipped.empty() ? json(nullptr) : json(l.skipped)}});
    }
    json counts = json::object();
    for (risk level : {risk::critical, risk::high, risk::medium, risk::low}) {
        const auto it = r.counts.find(level);
        counts[to_string(level)] = it == r.counts.end() ? std::size_t(0) : it->second;
    }
    counts["suppressed"] = r.suppressed;
    doc["migrations_dir"] = r.migrations_dir ? json(*r.migrations_dir) : json(nullptr);
    doc["fail_on"] = r.fail_on ? to_string(*r.fail_on) : "none";
    doc["lint_down"] = r.lint_down;
    doc["pending_only"] = r.pending_only;
    doc["disabled_rules"] = r.disabled_rules;
    doc["enabled_rules"] = r.enabled_rules;
    doc["risk"] = to_string(r.highest);
    doc["counts"] = counts;
    doc["failing_findings"] = r.failing;
    doc["migrations"] = migrations;
    doc["result"] = r.failing > 0 ? "findings" : r.total > 0 ? "below_fail_on" : "clean";
}

void fill(json& doc, const new_result& r) {
    doc["directory"] = r.directory;
    doc["format"] = to_string(r.format);
    doc["migration_version"] = r.version;
    doc["name"] = r.name;
    doc["files"] = r.paths;
    doc["created_directory"] = r.created_directory;
}

} // namespace

std::string render_json(const command_output& o) {
    json doc;
    doc["version"] = json_schema_version;
    doc["command"] = o.command.empty() ? json(nullptr) : json(o.command);
    doc["database"] = o.database ? json(*o.database) : json(nullptr);
    doc["history_table"] = o.history_table ? json(*o.history_table) : json(nullptr);
    std::visit([&](const auto& r) { fill(doc, r); }, o.result);
    doc["error"] = o.failure ? error_json(*o.failure) : json(nullptr);
    // The command did what was asked: a non-zero exit that reports a state
    // (pending, drift, findings, …: see `result`) is ok; an error is not.
    doc["ok"] = !o.failure;
    doc["exit_code"] = o.exit_code;
    return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

} // namespace pgmig::detail::cli
