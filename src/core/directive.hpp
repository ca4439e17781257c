// pgmig — the comment lines of migration files that mean something to pgmig
// (`-- pgmig:<name> [args]` directives, and the shape they share with
// `-- DIRECTION:` and `-- MIGRATION:`): their syntax, and the directives there
// are. What each one means for a migration is the parser's
// (core/migration_file.cpp); lint reads pgmig:allow.
#pragma once

#include <pgmig/migration.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig {
enum class phase_selection; // <pgmig/startup.hpp>
}

namespace pgmig::detail::core {

/// The shape of every line the parser reads (-- DIRECTION:, -- MIGRATION:,
/// -- pgmig:): "--", `keyword` in any case, ':', blanks allowed around each.
/// The text after the ':' (untrimmed), or nullopt when the line has another shape.
std::optional<std::string_view> keyword_comment(std::string_view line, std::string_view keyword) noexcept;

/// A `-- pgmig:<name> [args]` line: views into the line.
struct directive_line {
    std::string_view name; ///< as written ("" for a bare "-- pgmig:")
    std::string_view args; ///< the rest of the line, trimmed
};

/// The directive a line holds: "--", then "pgmig", ":" and a name, blanks
/// allowed around each, "pgmig" in any case ("-- PGMIG : no-transaction").
/// nullopt for any other line. Also reads the text of a line comment.
std::optional<directive_line> parse_directive(std::string_view line) noexcept;

/// The directives there are: "no-transaction", "lock-timeout", "phase", "batch", "allow".
const std::vector<std::string>& directive_names();

/// Does a line of `sql` hold -- pgmig:no-transaction, as the parser reads a
/// section or paired file? (For SQL known only as text, e.g. a down section
/// stored in the history table.)
bool has_no_transaction_directive(std::string_view sql) noexcept;

/// The argument of -- pgmig:phase ("pre-deploy", "post-deploy", any case), or nullopt.
std::optional<deploy_phase> deploy_phase_named(std::string_view text) noexcept;
/// A run's phases as options and --phase spell them ("all" or a phase), or nullopt.
std::optional<phase_selection> phase_selection_named(std::string_view text) noexcept;
/// Does a run of `phases` apply migrations of phase `p`?
bool selects(phase_selection phases, deploy_phase p) noexcept;

} // namespace pgmig::detail::core
