// pgmig::testing — names and marks of the databases it makes (pure, no database).
//
//   test databases   pgmig_test_<test name, sanitised, ≤ 40 bytes>_<10 random [a-z0-9]>
//   templates        pgmig_tpl_<32 hex digits of template_key()>
//   a template being built  <template name>_building
//
// Every database pgmig::testing creates carries a comment that says what it
// is, who made it and when:
//   pgmig.testing kind=clone host=ci-7 pid=4242 created=1700000000 template=pgmig_tpl_… test=orders_numbered
// cleanup() goes by that comment, never by a name alone.
#pragma once

#include <pgmig/history.hpp>
#include <pgmig/testing.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail::testing {

/// PostgreSQL's longest identifier (NAMEDATALEN - 1).
constexpr std::size_t max_identifier_bytes = 63;

/// `text` as a name part: ASCII letters lowered, digits kept, every other run
/// of bytes one '_', none at either end, at most `max_bytes`. "" → "db".
std::string sanitize_name_part(std::string_view text, std::size_t max_bytes);

/// 10 random characters [a-z0-9] (thread-safe; seeded per thread from the
/// random device, the process id and the clock).
std::string random_name_suffix();

/// pgmig_test_<sanitize_name_part(test_name, 40)>_<suffix>.
std::string test_database_name(std::string_view test_name, std::string_view suffix);

/// What a template's contents depend on, hashed into its name: the set's
/// digest, the history table, the database it is created from, pgmig's version.
std::string template_database_name(const std::string& set_digest, const history_table_name& history,
                                   const std::string& base_template);
/// Is `name` of the form template_database_name() makes?
bool is_template_database_name(std::string_view name) noexcept;
/// The name a template is built under before it is renamed to `template_name`.
std::string building_database_name(const std::string& template_name);

/// The advisory lock (on the maintenance database) of building `template_name`:
/// advisory_lock_key({"pgmig_testing", template_name}).
std::int64_t template_lock_key(const std::string& template_name);

// ------------------------------------------------------------ the comment

enum class testing_kind {
    clone,    ///< a test database
    kept,     ///< a test database kept after its handle went away
    building, ///< a template being built
    template_ ///< a finished template
};
const char* to_string(testing_kind k) noexcept;

struct testing_mark {
    testing_kind kind = testing_kind::clone;
    std::string host;
    std::int64_t pid = 0;
    std::int64_t created = 0; ///< seconds since the Unix epoch
    /// Other fields in order (template, test, digest, migrations, history, pgmig).
    std::vector<std::pair<std::string, std::string>> fields;

    /// A field's value, "" when absent.
    std::string field(std::string_view key) const;
};

/// "pgmig.testing kind=… host=… pid=… created=… k=v …"; spaces and '=' in values become '_'.
std::string format_mark(const testing_mark& m);
/// The mark in a database's comment; nullopt when the comment is not pgmig's.
std::optional<testing_mark> parse_mark(std::string_view comment);

/// Is a test database or half-built template `m` left over by a run that is
/// gone? Created on `this_host` by a process that no longer exists
/// (`creator_alive` false), or older than `max_age` (zero: never by age).
/// Kept databases and templates never are.
bool is_leftover(const testing_mark& m, std::string_view this_host, bool creator_alive, std::int64_t now,
                 std::chrono::hours max_age) noexcept;

/// PGMIG_TESTING_KEEP's value as a policy; nullopt when it is none of the accepted spellings.
std::optional<pgmig::testing::keep_policy> parse_keep_policy(std::string_view value);

} // namespace pgmig::detail::testing
