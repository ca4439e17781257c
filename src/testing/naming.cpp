// pgmig::testing — names and marks of the databases it makes.
#include "testing/naming.hpp"

#include "core/checksum.hpp"
#include "core/names.hpp"
#include "core/text.hpp"

#include <pgmig/version.hpp>

#include <chrono>
#include <functional>
#include <random>
#include <thread>

#ifdef _WIN32
#include <process.h>
#else
#include <unistd.h>
#endif

namespace pgmig::detail::testing {

namespace {

constexpr std::string_view test_prefix = "pgmig_test_";
constexpr std::string_view template_prefix = "pgmig_tpl_";
constexpr std::string_view mark_prefix = "pgmig.testing";
constexpr std::size_t template_hex_digits = 32;
constexpr std::size_t suffix_chars = 10;
constexpr std::size_t test_part_bytes =
    max_identifier_bytes - test_prefix.size() - 1 - suffix_chars - 1; // 40: one byte to spare

constexpr bool is_hex_digit(char c) noexcept { return core::is_digit(c) || (c >= 'a' && c <= 'f'); }

std::string mark_value(std::string_view v) {
    std::string out(v);
    for (char& c : out)
        if (c == '=' || core::is_space(c)) c = '_';
    return out;
}

struct kind_name {
    testing_kind kind;
    const char* name;
};
constexpr kind_name kind_names[] = {{testing_kind::clone, "clone"},
                                    {testing_kind::kept, "kept"},
                                    {testing_kind::building, "building"},
                                    {testing_kind::template_, "template"}};

} // namespace

std::string sanitize_name_part(std::string_view text, std::size_t max_bytes) {
    std::string s = core::sanitize_name(text);
    if (s.size() > max_bytes) s.resize(max_bytes);
    while (!s.empty() && s.back() == '_') s.pop_back();
    return s.empty() ? "db" : s;
}

std::string random_name_suffix() {
    static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    thread_local std::mt19937_64 rng = [] {
        std::random_device device;
#ifdef _WIN32
        const auto pid = static_cast<std::uint64_t>(_getpid());
#else
        const auto pid = static_cast<std::uint64_t>(::getpid());
#endif
        std::seed_seq seed{static_cast<std::uint64_t>(device()), static_cast<std::uint64_t>(device()), pid,
                           static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()),
                           static_cast<std::uint64_t>(std::hash<std::thread::id>{}(std::this_thread::get_id()))};
        return std::mt19937_64(seed);
    }();
    std::uniform_int_distribution<std::size_t> pick(0, sizeof alphabet - 2);
    std::string out;
    for (std::size_t i = 0; i < suffix_chars; ++i) out += alphabet[pick(rng)];
    return out;
}

std::string test_database_name(std::string_view test_name, std::string_view suffix) {
    return std::string(test_prefix) + sanitize_name_part(test_name, test_part_bytes) + "_" + std::string(suffix);
}

std::string template_database_name(const std::string& set_digest, const history_table_name& history,
                                   const std::string& base_template) {
    const std::string key = "set " + set_digest + "\nhistory " + history.qualified() + "\nbase " + base_template +
                            "\npgmig " PGMIG_VERSION_STRING;
    return std::string(template_prefix) + checksum(key).substr(7, template_hex_digits);
}

bool is_template_database_name(std::string_view name) noexcept {
    if (name.size() != template_prefix.size() + template_hex_digits || name.substr(0, template_prefix.size()) != template_prefix)
        return false;
    for (const char c : name.substr(template_prefix.size()))
        if (!is_hex_digit(c)) return false;
    return true;
}

std::string building_database_name(const std::string& template_name) { return template_name + "_building"; }

std::int64_t template_lock_key(const std::string& template_name) {
    return advisory_lock_key(history_table_name{"pgmig_testing", template_name});
}

const char* to_string(testing_kind k) noexcept {
    for (const kind_name& n : kind_names)
        if (n.kind == k) return n.name;
    return "clone";
}

std::string testing_mark::field(std::string_view key) const {
    for (const auto& [k, v] : fields)
        if (k == key) return v;
    return {};
}

std::string format_mark(const testing_mark& m) {
    std::string out(mark_prefix);
    out += " kind=";
    out += to_string(m.kind);
    out += " host=" + mark_value(m.host) + " pid=" + std::to_string(m.pid) + " created=" + std::to_string(m.created);
    for (const auto& [k, v] : m.fields) out += " " + mark_value(k) + "=" + mark_value(v);
    return out;
}

std::optional<testing_mark> parse_mark(std::string_view comment) {
    comment = core::trim(comment, core::is_space);
    if (comment.substr(0, mark_prefix.size()) != mark_prefix) return std::nullopt;
    comment.remove_prefix(mark_prefix.size());
    if (!comment.empty() && !core::is_space(comment.front())) return std::nullopt; // "pgmig.testingX"
    testing_mark m;
    bool has_kind = false;
    while (!(comment = core::ltrim(comment, core::is_space)).empty()) {
        std::size_t end = 0;
        while (end < comment.size() && !core::is_space(comment[end])) ++end;
        const std::string_view word = comment.substr(0, end);
        comment.remove_prefix(end);
        const std::size_t eq = word.find('=');
        if (eq == std::string_view::npos || eq == 0) return std::nullopt;
        const std::string key(word.substr(0, eq));
        const std::string value(word.substr(eq + 1));
        if (key == "kind") {
            has_kind = false;
            for (const kind_name& n : kind_names)
                if (value == n.name) {
                    m.kind = n.kind;
                    has_kind = true;
                }
            if (!has_kind) return std::nullopt;
        } else if (key == "host") {
            m.host = value;
        } else if (key == "pid" || key == "created") {
            if (!core::all_digits(value) || value.size() > 18) return std::nullopt;
            (key == "pid" ? m.pid : m.created) = std::stoll(value);
        } else {
            m.fields.emplace_back(key, value);
        }
    }
    if (!has_kind) return std::nullopt;
    return m;
}

bool is_leftover(const testing_mark& m, std::string_view this_host, bool creator_alive, std::int64_t now,
                 std::chrono::hours max_age) noexcept {
    if (m.kind != testing_kind::clone && m.kind != testing_kind::building) return false;
    if (m.host == this_host && m.pid > 0 && !creator_alive) return true;
    const auto age_seconds = std::chrono::duration_cast<std::chrono::seconds>(max_age).count();
    return age_seconds > 0 && m.created > 0 && now - m.created > age_seconds;
}

std::optional<pgmig::testing::keep_policy> parse_keep_policy(std::string_view value) {
    const std::string v = core::lower(core::trim(value, core::is_space));
    if (v.empty() || v == "0" || v == "no" || v == "false" || v == "never")
        return pgmig::testing::keep_policy::never;
    if (v == "1" || v == "yes" || v == "true" || v == "always") return pgmig::testing::keep_policy::always;
    if (v == "failed" || v == "on_failure")
        return pgmig::testing::keep_policy::on_failure;
    return std::nullopt;
}

} // namespace pgmig::detail::testing
