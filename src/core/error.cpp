#include <pgmig/error.hpp>

namespace pgmig {

error::error(error_code code, const std::string& message, error_location where)
    : std::runtime_error(message), code_(code), where_(std::move(where)) {}

partial_error::partial_error(const error& cause, std::vector<step_result> applied,
                             std::vector<step_result> rolled_back)
    : error(cause), applied_(std::move(applied)), rolled_back_(std::move(rolled_back)) {}

int exit_code(error_code code) noexcept {
    switch (code) {
    case error_code::usage: return 1;
    case error_code::pending: return 2;
    case error_code::drift: return 3;
    case error_code::policy: return 3;
    case error_code::foreign_history_table: return 3;
    case error_code::not_reversible: return 3;
    case error_code::failed_recorded: return 4;
    case error_code::lock_timeout: return 5;
    case error_code::connection: return 6;
    case error_code::migration_failed: return 7;
    case error_code::invalid_migration: return 8;
    case error_code::database: return 9;
    case error_code::confirmation_required: return 10;
    case error_code::lock_lost: return 13;
    case error_code::read_only: return 14;
    }
    return 9;
}

const char* to_string(error_code code) noexcept {
    switch (code) {
    case error_code::usage: return "usage";
    case error_code::pending: return "pending";
    case error_code::drift: return "drift";
    case error_code::policy: return "policy";
    case error_code::foreign_history_table: return "foreign_history_table";
    case error_code::failed_recorded: return "failed_recorded";
    case error_code::lock_timeout: return "lock_timeout";
    case error_code::connection: return "connection";
    case error_code::migration_failed: return "migration_failed";
    case error_code::invalid_migration: return "invalid_migration";
    case error_code::not_reversible: return "not_reversible";
    case error_code::confirmation_required: return "confirmation_required";
    case error_code::database: return "database";
    case error_code::lock_lost: return "lock_lost";
    case error_code::read_only: return "read_only";
    }
    return "unknown";
}

} // namespace pgmig
