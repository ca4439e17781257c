// pgmig — migration files (names, sections, directives) and the migration set.
//
// Two conventions:
//   YYYYMMDD_HHMMSS_description.sql        one file, `-- DIRECTION: up|down` sections
//   NNN_description.up.sql / .down.sql      paired files, the whole file is the SQL
//
// Everything here is hand-written scanning (no std::regex): a service with a
// thousand migrations parses them at every boot.
#include <pgmig/error.hpp>
#include <pgmig/migration.hpp>

#include "core/batch.hpp"
#include "core/checksum.hpp"
#include "core/directive.hpp"
#include "core/duration.hpp"
#include "core/migration_file.hpp"
#include "core/names.hpp"
#include "core/sql_split.hpp"
#include "core/statement_kind.hpp"
#include "core/suggest.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace pgmig {
namespace {

constexpr std::int64_t max_lock_timeout_ms = std::numeric_limits<std::int32_t>::max(); // PostgreSQL's limit
constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

// ------------------------------------------------------------------ small string helpers

using detail::core::iends_with;
using detail::core::iequals;
using detail::core::is_blank;
using detail::core::is_space;
using detail::core::istarts_with;
using detail::core::line_of_offset;
using detail::core::ltrim;
using detail::core::trim;

bool is_all_whitespace(std::string_view s) noexcept { return trim(s, is_space).empty(); }

using detail::core::classify_name;
using detail::core::directive_line;
using detail::core::parse_directive;
using detail::core::is_candidate_sql;
using detail::core::name_info;
using detail::core::name_kind;
using detail::core::name_problem_text;

// ------------------------------------------------------------------ problems

using problem = detail::core::migration_problem;

struct file_context {
    std::vector<problem>& problems;
    const std::string& file;
    std::optional<std::int64_t> version;

    void add(int line, std::string text) const { problems.push_back(problem{file, line, version, std::move(text)}); }
};

std::string hex_byte(unsigned char b) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string s = "0x";
    s.push_back(hex[b >> 4]);
    s.push_back(hex[b & 0x0F]);
    return s;
}

// Offset of the first byte that does not belong to well-formed UTF-8 (no
// overlongs, no surrogates, nothing above U+10FFFF), or npos.
std::size_t first_invalid_utf8(std::string_view s) noexcept {
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        unsigned char lo = 0x80, hi = 0xBF; // allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c == 0xE0) {
            len = 3;
            lo = 0xA0;
        } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
            len = 3;
        } else if (c == 0xED) {
            len = 3;
            hi = 0x9F;
        } else if (c == 0xF0) {
            len = 4;
            lo = 0x90;
        } else if (c >= 0xF1 && c <= 0xF3) {
            len = 4;
        } else if (c == 0xF4) {
            len = 4;
            hi = 0x8F;
        } else {
            return i;
        }
        if (i + len > n) return i; // sequence cut short by the end of the file
        const auto c1 = static_cast<unsigned char>(s[i + 1]);
        if (c1 < lo || c1 > hi) return i + 1;
        for (std::size_t k = 2; k < len; ++k) {
            const auto ck = static_cast<unsigned char>(s[i + k]);
            if (ck < 0x80 || ck > 0xBF) return i + k;
        }
        i += len;
    }
    return std::string_view::npos;
}

// Checks the normalised content; reports and returns false when it is not text.
bool check_text(std::string_view text, const file_context& ctx) {
    const std::size_t bad = first_invalid_utf8(text);
    if (bad != std::string_view::npos) {
        ctx.add(line_of_offset(text, bad), "not valid UTF-8 (byte " +
                                               hex_byte(static_cast<unsigned char>(text[bad])) +
                                               "); save the file as UTF-8");
        return false;
    }
    const std::size_t nul = text.find('\0');
    if (nul != std::string_view::npos) {
        ctx.add(line_of_offset(text, nul),
                "contains a NUL byte, which PostgreSQL cannot accept; is it a binary or UTF-16 file? save it as "
                "UTF-8 text");
        return false;
    }
    return true;
}

// ------------------------------------------------------------------ line classification

enum class marker_kind { none, up, down, bad };

struct marker_line {
    marker_kind kind = marker_kind::none;
    std::string_view token;
};

// "-- DIRECTION: up" in any case and spacing. A single unknown word after the
// colon is reported (a typo); longer text is an ordinary comment.
marker_line parse_marker(std::string_view line) noexcept {
    const std::optional<std::string_view> rest = detail::core::keyword_comment(line, "direction");
    if (!rest) return {};
    const std::string_view s = trim(*rest);
    for (char c : s)
        if (is_blank(c)) return {};
    if (iequals(s, "up")) return {marker_kind::up, s};
    if (iequals(s, "down")) return {marker_kind::down, s};
    return {marker_kind::bad, s};
}

// "-- MIGRATION: name" → the trimmed name (possibly empty).
std::optional<std::string_view> parse_name_line(std::string_view line) noexcept {
    const std::optional<std::string_view> rest = detail::core::keyword_comment(line, "migration");
    if (!rest) return std::nullopt;
    return trim(*rest);
}

// Does the line hold anything but whitespace and comments? Tracks nested
// /* */ comments across lines in `depth`.
bool has_code(std::string_view line, int& depth) noexcept {
    std::size_t i = 0;
    while (i < line.size()) {
        if (depth > 0) {
            if (line.compare(i, 2, "*/") == 0) {
                --depth;
                i += 2;
            } else if (line.compare(i, 2, "/*") == 0) {
                ++depth;
                i += 2;
            } else {
                ++i;
            }
            continue;
        }
        if (is_blank(line[i])) {
            ++i;
        } else if (line.compare(i, 2, "--") == 0) {
            return false;
        } else if (line.compare(i, 2, "/*") == 0) {
            ++depth;
            i += 2;
        } else {
            return true;
        }
    }
    return false;
}

// ------------------------------------------------------------------ directives

struct scope_settings {
    bool down_part = false; // the down section or file: the migration's phase cannot be set there
    bool no_transaction = false;
    std::int64_t lock_timeout_ms = -1;
    int lock_timeout_line = 0;
    deploy_phase phase = deploy_phase::pre_deploy;
    int phase_line = 0;
};

void apply_directive(const directive_line& d, int line, scope_settings& scope, const file_context& ctx) {
    if (iequals(d.name, "no-transaction")) {
        if (!d.args.empty()) {
            ctx.add(line, "pgmig:no-transaction takes no arguments (it applies to the section or file it is in); "
                          "remove '" + std::string(d.args) + "'");
            return;
        }
        scope.no_transaction = true;
        return;
    }
    if (iequals(d.name, "lock-timeout")) {
        const detail::core::parsed_duration parsed = detail::core::parse_duration(d.args);
        if (!parsed.value && !parsed.too_long) {
            ctx.add(line, "invalid duration '" + std::string(d.args) + "' for pgmig:lock-timeout; " + parsed.problem);
            return;
        }
        if (parsed.too_long || parsed.value->count() > max_lock_timeout_ms) {
            ctx.add(line, "pgmig:lock-timeout " + std::string(d.args) + " is too long; PostgreSQL accepts at most " +
                              std::to_string(max_lock_timeout_ms) + "ms");
            return;
        }
        if (scope.lock_timeout_line != 0) {
            ctx.add(line, "second pgmig:lock-timeout (first at line " + std::to_string(scope.lock_timeout_line) +
                              "); keep one");
            return;
        }
        scope.lock_timeout_ms = parsed.value->count();
        scope.lock_timeout_line = line;
        return;
    }
    if (iequals(d.name, "phase")) {
        const std::optional<deploy_phase> p = detail::core::deploy_phase_named(d.args);
        if (!p) {
            ctx.add(line, "pgmig:phase takes pre-deploy or post-deploy (got '" + std::string(d.args) +
                              "'); write -- pgmig:phase post-deploy for a migration that runs after every replica "
                              "runs the new release");
            return;
        }
        if (scope.down_part) {
            ctx.add(line, "pgmig:phase in the down part; the phase is the migration's: put it before -- DIRECTION: "
                          "up or in the up part");
            return;
        }
        if (scope.phase_line != 0) {
            ctx.add(line, "second pgmig:phase (first at line " + std::to_string(scope.phase_line) + "); keep one");
            return;
        }
        scope.phase = *p;
        scope.phase_line = line;
        return;
    }
    if (iequals(d.name, "batch")) {
        // Where it stands (on a statement of a no-transaction part) is checked with the statements.
        const detail::core::parsed_batch b = detail::core::parse_batch_args(d.args);
        if (!b.spec) ctx.add(line, b.problem);
        return;
    }
    if (iequals(d.name, "allow")) return; // lint suppression, read by the linter

    std::string text = d.name.empty() ? std::string("empty pgmig: directive")
                                      : "unknown directive 'pgmig:" + std::string(d.name) + "'";
    const std::string best = detail::core::closest(d.name, detail::core::directive_names());
    if (!best.empty()) text += "; did you mean 'pgmig:" + best + "'? Known";
    else text += "; known";
    text += " directives: pgmig:no-transaction, pgmig:lock-timeout <duration>, pgmig:phase post-deploy, "
            "pgmig:batch [pause <duration>], pgmig:allow <rule> <reason>";
    ctx.add(line, std::move(text));
}

// Calls f(line_number, line_begin_offset, line_text) for each line of normalised text.
template <typename F> void for_each_line(std::string_view text, F&& f) {
    std::size_t pos = 0;
    int line_no = 0;
    while (pos < text.size()) {
        std::size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos) eol = text.size();
        f(++line_no, pos, text.substr(pos, eol - pos));
        pos = eol + 1;
    }
}

// ------------------------------------------------------------------ content parsing

// What a content parser made of a file.
enum class parsed {
    nothing,  // no SQL to speak of (not text, no up section, a second section)
    sections, // the SQL is known, but the file has other problems (a directive, a
              // MIGRATION line, ...): still checked for statements that cannot run in
              // a transaction, so that every problem is reported at once
    complete  // no problem
};

// Single-file migration. `m` has version/name/file set; fills the rest. The
// up SQL is cut out of `file_text` in place (consumed: a seed file is not copied).
parsed parse_single(std::string& file_text, migration& m, const file_context& ctx) {
    const std::string_view text(file_text);
    const std::size_t before = ctx.problems.size();

    enum class state { preamble, up, down, duplicate };
    state st = state::preamble;
    int comment_depth = 0;
    int first_text_line = 0;     // first preamble line with SQL in it
    int name_line = 0;
    int up_marker = 0, down_marker = 0;
    bool second_section = false;
    std::size_t up_begin = 0, up_end = 0, down_begin = 0, down_end = 0;
    scope_settings pre, up, down, ignored;
    down.down_part = true;
    int preamble_batch_line = 0;

    auto close_section = [&](std::size_t at) {
        if (st == state::up) up_end = at;
        if (st == state::down) down_end = at;
    };

    for_each_line(text, [&](int line_no, std::size_t begin, std::string_view line) {
        const std::size_t next = std::min(begin + line.size() + 1, text.size());
        const marker_line marker = parse_marker(line);
        if (marker.kind == marker_kind::up || marker.kind == marker_kind::down) {
            close_section(begin);
            const bool is_up = marker.kind == marker_kind::up;
            int& seen = is_up ? up_marker : down_marker;
            if (seen != 0) {
                ctx.add(line_no, std::string("second ") + (is_up ? "up" : "down") + " section (first at line " +
                                     std::to_string(seen) + "); a file holds one up and at most one down section");
                st = state::duplicate; // keep scanning for further problems; the first section's bounds stay
                second_section = true;
                return;
            }
            seen = line_no;
            (is_up ? up_begin : down_begin) = next;
            (is_up ? up_end : down_end) = text.size();
            st = is_up ? state::up : state::down;
            comment_depth = 0;
            return;
        }
        if (marker.kind == marker_kind::bad) {
            ctx.add(line_no, marker.token.empty()
                                 ? std::string("section marker without a direction; write -- DIRECTION: up or "
                                               "-- DIRECTION: down")
                                 : "unknown direction '" + std::string(marker.token) +
                                       "' in section marker; write -- DIRECTION: up or -- DIRECTION: down");
            return;
        }
        if (st == state::preamble) {
            if (comment_depth == 0) {
                if (const auto name = parse_name_line(line)) {
                    if (name_line != 0) {
                        ctx.add(line_no, "second MIGRATION line (first at line " + std::to_string(name_line) +
                                             "); keep one");
                    } else if (name->empty()) {
                        ctx.add(line_no, "MIGRATION line without a name; write -- MIGRATION: <name> or remove it");
                        name_line = line_no;
                    } else {
                        m.name = std::string(*name);
                        name_line = line_no;
                    }
                    return;
                }
                if (const auto d = parse_directive(line)) {
                    apply_directive(*d, line_no, pre, ctx);
                    if (iequals(d->name, "batch") && preamble_batch_line == 0) preamble_batch_line = line_no;
                    return;
                }
            }
            if (has_code(line, comment_depth) && first_text_line == 0) first_text_line = line_no;
            return;
        }
        if (const auto d = parse_directive(line))
            apply_directive(*d, line_no, st == state::up ? up : st == state::down ? down : ignored, ctx);
    });

    if (up_marker == 0 && down_marker == 0) {
        ctx.add(0, "no up section; put a line -- DIRECTION: up before the migration's SQL (and -- DIRECTION: down "
                   "before the SQL that reverts it, if any)");
    } else {
        if (preamble_batch_line != 0)
            ctx.add(preamble_batch_line, "pgmig:batch before -- DIRECTION: up; it goes on the line before the "
                                         "statement it repeats, in a no-transaction part");
        if (first_text_line != 0)
            ctx.add(first_text_line,
                    "text before the first section; only comments, -- MIGRATION: and -- pgmig: lines may come "
                    "before -- DIRECTION: up (move the SQL into a section)");
        if (up_marker == 0) {
            ctx.add(0, "no up section (only a down section, at line " + std::to_string(down_marker) +
                           "); add -- DIRECTION: up followed by the migration's SQL");
        } else if (is_all_whitespace(text.substr(up_begin, up_end - up_begin))) {
            ctx.add(up_marker, "up section is empty; write the migration's SQL below -- DIRECTION: up");
        }
    }
    if (up_marker == 0 || second_section) return parsed::nothing;

    m.up_line = up_marker + 1;
    if (down_marker != 0) {
        m.reversible = true;
        m.down_file = m.file;
        m.down_sql = std::string(text.substr(down_begin, down_end - down_begin));
        m.down_line = down_marker + 1;
        m.down_no_transaction = pre.no_transaction || down.no_transaction;
    }
    file_text.erase(up_end);
    file_text.erase(0, up_begin);
    m.up_sql = std::move(file_text);
    m.up_no_transaction = pre.no_transaction || up.no_transaction;
    m.lock_timeout_ms = up.lock_timeout_line != 0 ? up.lock_timeout_ms : pre.lock_timeout_ms;
    if (pre.phase_line != 0 && up.phase_line != 0)
        ctx.add(up.phase_line, "second pgmig:phase (first at line " + std::to_string(pre.phase_line) + "); keep one");
    m.phase = up.phase_line != 0 ? up.phase : pre.phase;
    return ctx.problems.size() == before ? parsed::complete : parsed::sections;
}

// One file of a pair: the whole file is the SQL.
parsed parse_paired_half(std::string_view text, bool is_up, scope_settings& scope, const file_context& ctx) {
    const std::size_t before = ctx.problems.size();
    scope.down_part = !is_up;
    for_each_line(text, [&](int line_no, std::size_t, std::string_view line) {
        const marker_line marker = parse_marker(line);
        if (marker.kind == marker_kind::up || marker.kind == marker_kind::down) {
            ctx.add(line_no, "section marker in a paired file; .up.sql and .down.sql files hold one direction "
                             "each, remove the -- DIRECTION: line");
            return;
        }
        if (const auto d = parse_directive(line)) apply_directive(*d, line_no, scope, ctx);
    });
    if (is_up && is_all_whitespace(text)) ctx.add(0, "up file is empty; write the migration's SQL in it");
    return ctx.problems.size() == before ? parsed::complete : parsed::sections;
}

// ------------------------------------------------------------------ the set

struct entry {
    const source_file* src = nullptr;
    name_info name;
    parsed content = parsed::nothing;
    migration single;      // kind == single
    std::string sql;       // paired halves: normalised file content
    scope_settings scope;  // paired halves
};

// `problems` as parse_all() returns them: not empty, in order.
[[noreturn]] void throw_problems(const std::vector<problem>& problems) {
    std::string message;
    for (const problem& p : problems) {
        if (!message.empty()) message += '\n';
        message += detail::core::format_problem(p);
    }
    const problem& first = problems.front();
    error_location where;
    where.file = first.file;
    where.line = first.line;
    where.version = first.version;
    throw error(error_code::invalid_migration, message, std::move(where));
}

detail::core::parse_result parse_all(std::vector<source_file>& files, std::vector<problem> problems) {
    std::sort(files.begin(), files.end(),
              [](const source_file& a, const source_file& b) { return a.name < b.name; });

    std::vector<entry> entries;
    entries.reserve(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        const source_file& f = files[i];
        const name_info info = classify_name(f.name);
        if (info.kind == name_kind::not_migration) continue;
        if (i > 0 && files[i - 1].name == f.name) {
            problems.push_back(problem{f.name, 0, std::nullopt, "file given twice; embed or list each file once"});
            continue;
        }
        if (info.kind == name_kind::invalid) {
            problems.push_back(problem{f.name, 0, std::nullopt, name_problem_text(info)});
            continue;
        }

        entry e;
        e.src = &f;
        e.name = info;
        const file_context ctx{problems, f.name, info.version};
        // The bytes become the SQL text in place: the file is held once while it loads.
        std::string text = std::move(files[i].content);
        detail::core::normalize_sql_text_in_place(text);
        if (check_text(text, ctx)) {
            if (info.kind == name_kind::single) {
                e.single.version = info.version;
                e.single.name = std::string(info.description);
                e.single.format = migration_format::single_file;
                e.single.file = f.name;
                e.content = parse_single(text, e.single, ctx);
            } else {
                e.content = parse_paired_half(text, info.kind == name_kind::paired_up, e.scope, ctx);
                e.sql = std::move(text);
            }
        }
        entries.push_back(std::move(e));
    }

    // Group by version (ties in name order, so "first" is the earlier name).
    std::stable_sort(entries.begin(), entries.end(),
                     [](const entry& a, const entry& b) { return a.name.version < b.name.version; });

    std::vector<migration> result;
    result.reserve(entries.size());
    std::vector<migration> incomplete; // parsed::sections: checked below, never returned
    std::vector<entry*> ups, downs;
    for (std::size_t i = 0; i < entries.size();) {
        const std::int64_t version = entries[i].name.version;
        ups.clear();
        downs.clear();
        for (; i < entries.size() && entries[i].name.version == version; ++i)
            (entries[i].name.kind == name_kind::paired_down ? downs : ups).push_back(&entries[i]);

        auto add = [&](const entry* e, std::string text) {
            problems.push_back(problem{e->src->name, 0, version, std::move(text)});
        };
        for (std::size_t k = 1; k < ups.size(); ++k)
            add(ups[k], "duplicate version " + std::to_string(version) + ": also used by " + ups[0]->src->name +
                            "; give each migration its own version");
        for (std::size_t k = 1; k < downs.size(); ++k)
            add(downs[k], "duplicate version " + std::to_string(version) + ": also used by " + downs[0]->src->name +
                              "; keep one down file per version");
        if (ups.empty()) {
            add(downs[0], "down file without its up file; add " + std::string(downs[0]->name.stem) +
                              ".up.sql or remove the down file");
            continue;
        }
        entry* up = ups[0];
        entry* down = downs.empty() ? nullptr : downs[0];
        if (down && up->name.kind == name_kind::single) {
            add(down, "duplicate version " + std::to_string(version) + ": also used by " + up->src->name +
                          " (a single-file migration, whose down SQL belongs in its -- DIRECTION: down section)");
            continue;
        }
        if (down && down->name.stem != up->name.stem) {
            add(down, "down file does not match its up file " + up->src->name + " (same version, different name); "
                      "rename it to " + std::string(up->name.stem) + ".down.sql");
            continue;
        }
        if (up->content == parsed::nothing || (down && down->content == parsed::nothing)) continue;
        std::vector<migration>& into =
            up->content == parsed::complete && (!down || down->content == parsed::complete) ? result : incomplete;

        if (up->name.kind == name_kind::single) {
            into.push_back(std::move(up->single)); // the SQL is moved, not copied: seed files are large
        } else {
            migration m;
            m.version = version;
            m.name = std::string(up->name.description);
            m.format = migration_format::paired_files;
            m.file = up->src->name;
            m.up_sql = std::move(up->sql);
            m.up_line = 1;
            m.up_no_transaction = up->scope.no_transaction;
            m.lock_timeout_ms = up->scope.lock_timeout_ms;
            m.phase = up->scope.phase;
            if (down) {
                m.reversible = true;
                m.down_file = down->src->name;
                m.down_sql = std::move(down->sql);
                m.down_line = 1;
                m.down_no_transaction = down->scope.no_transaction;
            }
            into.push_back(std::move(m));
        }
    }

    // A transactional section must not hold a statement PostgreSQL refuses inside a
    // transaction block (CREATE INDEX CONCURRENTLY, VACUUM, ...): catch it here, not at boot.
    auto check_transactional = [&](const migration& m, const std::string& sql, const std::string& file,
                                   int section_line, bool is_up, bool loaded) {
        const std::string_view text(sql);
        for (const detail::core::sql_span& st : detail::core::split_sql_spans(text)) {
            const std::string what = detail::core::non_transactional_statement(text.substr(st.begin, st.end - st.begin));
            if (what.empty()) continue;
            problems.push_back(problem{
                file, section_line + detail::core::line_of_offset(text, st.begin) - 1, m.version,
                what + " cannot run inside a transaction block, and the " + (is_up ? "up" : "down") +
                    " part runs in one; add a line -- pgmig:no-transaction to " +
                    (m.format == migration_format::single_file ? "its section" : "the file") +
                    " (pgmig then runs it statement by statement, outside a transaction)",
                loaded});
        }
    };
    // A no-transaction section runs statement by statement, each in its own
    // implicit transaction with its progress row: transaction control there
    // (BEGIN … COMMIT) would leave the session in a transaction pgmig does not
    // know about, or abort its bookkeeping. Refused here, at build time for
    // embedded sets.
    auto check_no_transaction = [&](const migration& m, const std::string& sql, const std::string& file,
                                    int section_line, bool is_up) {
        const std::string_view text(sql);
        for (const detail::core::sql_span& st : detail::core::split_sql_spans(text)) {
            const std::string_view statement = text.substr(st.begin, st.end - st.begin);
            if (!detail::core::is_transaction_control(statement)) continue;
            const std::string_view word =
                statement.substr(0, std::min(statement.find_first_of(" \t\n\r;("), statement.size()));
            problems.push_back(problem{
                file, section_line + detail::core::line_of_offset(text, st.begin) - 1, m.version,
                "transaction control (" + detail::core::upper(word) + ") in a no-transaction " + (is_up ? "up" : "down") +
                    " part: pgmig runs it statement by statement, each statement in a transaction of its own with "
                    "its progress in the history, so it must not contain BEGIN, COMMIT, ROLLBACK, SAVEPOINT or "
                    "the like; remove it, or remove -- pgmig:no-transaction to run the part in one transaction",
                // not a statement lint reports itself: lint shows it as invalid-migration
                false});
        }
    };
    // -- pgmig:batch stands on the line before a data-changing statement of a
    // no-transaction part (each batch commits on its own).
    auto check_batches = [&](const migration& m, const std::string& sql, const std::string& file, int section_line,
                             bool no_transaction) {
        for (const detail::core::batch_misplaced& b : detail::core::misplaced_batches(sql, no_transaction))
            problems.push_back(problem{file, section_line + b.line - 1, m.version, b.text, false});
    };
    for (const std::vector<migration>* list : {&result, &incomplete}) {
        const bool loaded = list == &result; // an incomplete migration is not returned
        for (const migration& m : *list) {
            check_batches(m, m.up_sql, m.file, m.up_line, m.up_no_transaction);
            if (m.reversible) check_batches(m, m.down_sql, m.down_file, m.down_line, m.down_no_transaction);
            if (!m.up_no_transaction) check_transactional(m, m.up_sql, m.file, m.up_line, true, loaded);
            else check_no_transaction(m, m.up_sql, m.file, m.up_line, true);
            if (m.reversible && !m.down_no_transaction)
                check_transactional(m, m.down_sql, m.down_file, m.down_line, false, loaded);
            else if (m.reversible)
                check_no_transaction(m, m.down_sql, m.down_file, m.down_line, false);
        }
    }

    std::stable_sort(problems.begin(), problems.end(), [](const problem& a, const problem& b) {
        if (a.file != b.file) return a.file < b.file;
        return a.line < b.line;
    });
    for (migration& m : result) m.checksum = checksum(m.up_sql);
    return {std::move(result), std::move(problems)};
}

std::vector<migration> migrations_or_throw(detail::core::parse_result parsed) {
    if (!parsed.problems.empty()) throw_problems(parsed.problems);
    return std::move(parsed.migrations);
}

// Why a directory entry with a migration-like name cannot be read as one.
std::string not_a_regular_file(const std::filesystem::path& path, std::filesystem::file_status status,
                               std::error_code status_error) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool link = fs::is_symlink(fs::symlink_status(path, ec));
    if (link && status.type() == fs::file_type::not_found) {
        const fs::path target = fs::read_symlink(path, ec);
        return "is a symbolic link to a file that does not exist" +
               (ec ? std::string() : " (" + target.string() + ")") + "; restore the file or remove the link";
    }
    if (link && status_error == std::errc::too_many_symbolic_link_levels)
        return "is a symbolic link that never reaches a file (a loop of links); fix or remove the link";
    const std::string what = link ? "is a symbolic link to " : "is ";
    switch (status.type()) {
    case fs::file_type::directory:
        return what + "a directory, not a file; a migration is a regular file (rename the directory, or move it out "
                      "of the migrations directory)";
    case fs::file_type::fifo:
        return what + "a FIFO (named pipe), not a file; a migration is a regular file";
    case fs::file_type::socket:
        return what + "a socket, not a file; a migration is a regular file";
    case fs::file_type::block:
    case fs::file_type::character:
        return what + "a device, not a file; a migration is a regular file";
    default:
        break;
    }
    return "cannot be read: " + (status_error ? status_error.message() : std::string("not a regular file")) +
           "; check the file and its permissions";
}

} // namespace

namespace detail::core {

std::string format_problem(const migration_problem& p) {
    std::string s = p.file;
    if (p.line > 0) s += ":" + std::to_string(p.line);
    s += ": ";
    s += p.text;
    return s;
}

directory_files read_migration_directory(const std::string& directory) {
    namespace fs = std::filesystem;
    const auto unreadable = [&](const std::error_code& ec) {
        error_location where;
        where.file = directory;
        return error(error_code::invalid_migration,
                     "cannot read migrations directory '" + directory + "': " + ec.message() +
                         "; check the path and its permissions",
                     std::move(where));
    };

    std::error_code ec;
    fs::directory_iterator it(fs::path(directory), ec);
    if (ec) throw unreadable(ec);

    std::vector<source_file> files;
    std::vector<problem> problems;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (!is_candidate_sql(name)) continue; // README.md, .gitkeep, … never read
        // The type first (stat, which follows symbolic links and never opens
        // anything): opening a FIFO would block.
        std::error_code type_ec;
        const fs::file_status status = it->status(type_ec);
        if (!fs::is_regular_file(status)) {
            problems.push_back(problem{name, 0, std::nullopt, not_a_regular_file(it->path(), status, type_ec)});
            continue;
        }

        std::ifstream in(it->path(), std::ios::binary);
        std::string content;
        bool read_ok = static_cast<bool>(in);
        if (read_ok) {
            in.seekg(0, std::ios::end);
            const std::streamoff size = in.tellg();
            in.seekg(0, std::ios::beg);
            read_ok = size >= 0 && static_cast<bool>(in);
            if (read_ok) {
                content.resize(static_cast<std::size_t>(size));
                if (size > 0) in.read(&content[0], static_cast<std::streamsize>(size));
                read_ok = !in.bad() && in.gcount() == static_cast<std::streamsize>(size);
            }
        }
        if (!read_ok) {
            problems.push_back(problem{name, 0, std::nullopt, "cannot read the file; check its permissions"});
            continue;
        }
        files.push_back(source_file{std::move(name), std::move(content)});
    }
    if (ec) throw unreadable(ec);

    return {std::move(files), std::move(problems)};
}

parse_result parse_migration_files(std::vector<source_file> files, std::vector<migration_problem> problems) {
    return parse_all(files, std::move(problems));
}

} // namespace detail::core

migration_set migration_set::from_files(std::vector<source_file> files) {
    migration_set set;
    set.migrations_ = migrations_or_throw(detail::core::parse_migration_files(std::move(files)));
    return set;
}

migration_set migration_set::from_directory(const std::string& directory) {
    detail::core::directory_files listed = detail::core::read_migration_directory(directory);
    migration_set set;
    set.migrations_ =
        migrations_or_throw(detail::core::parse_migration_files(std::move(listed.files), std::move(listed.problems)));
    return set;
}

migration_set migration_set::from_precomputed(std::vector<migration> migrations) {
    for (std::size_t i = 1; i < migrations.size(); ++i) {
        const migration& prev = migrations[i - 1];
        const migration& m = migrations[i];
        if (m.version > prev.version) continue;
        error_location where;
        where.file = m.file;
        where.version = m.version;
        throw error(error_code::invalid_migration,
                    m.file + ": " +
                        (m.version == prev.version
                             ? "duplicate version " + std::to_string(m.version) + ": also used by " + prev.file
                             : "version " + std::to_string(m.version) + " comes after " + std::to_string(prev.version) +
                                   " (" + prev.file + ")") +
                        "; precomputed migrations must be in ascending order of version, each version once",
                    std::move(where));
    }
    migration_set set;
    set.migrations_ = std::move(migrations);
    return set;
}

const migration* migration_set::find(std::int64_t version) const noexcept {
    const auto it = std::lower_bound(migrations_.begin(), migrations_.end(), version,
                                     [](const migration& m, std::int64_t v) { return m.version < v; });
    return (it != migrations_.end() && it->version == version) ? &*it : nullptr;
}

std::int64_t migration_set::newest_version() const noexcept {
    return migrations_.empty() ? 0 : migrations_.back().version;
}

} // namespace pgmig
