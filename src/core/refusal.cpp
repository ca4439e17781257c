#include "core/refusal.hpp"
#include "core/drift_diff.hpp"

#include <sstream>

namespace pgmig::detail::core {

std::optional<error> refusal_error(const reconcile_report& r) {
    if (!r.refuses()) return std::nullopt;
    error_code code = error_code::policy;
    bool have_failed = false, have_drift = false;
    error_location where;
    std::ostringstream msg;
    int n = 0;
    for (const problem& p : r.problems)
        if (p.level == severity::refusal) ++n;
    msg << "the database does not match the migrations (" << n << (n == 1 ? " problem" : " problems")
        << "); nothing was changed:";
    for (const problem& p : r.problems) {
        if (p.level != severity::refusal) continue;
        if (p.kind == problem_kind::failed || p.kind == problem_kind::interrupted) have_failed = true;
        if (p.kind == problem_kind::drift) have_drift = true;
        if (!where.version) {
            where.version = p.version;
            where.file = p.file;
        }
        msg << "\n  - " << p.message;
        if (p.kind == problem_kind::drift)
            for (const drifted_migration& d : r.drifted)
                if (d.version == p.version) {
                    const std::vector<std::string> detail = drift_detail_lines(d, diff_lines_in_errors);
                    for (std::size_t i = 0; i < detail.size(); ++i) msg << (i == 0 ? "\n    " : "\n      ") << detail[i];
                }
        if (!p.fix.empty()) msg << "\n    fix: " << p.fix;
    }
    if (have_failed)
        code = error_code::failed_recorded;
    else if (have_drift)
        code = error_code::drift;
    return error(code, msg.str(), where);
}

} // namespace pgmig::detail::core
