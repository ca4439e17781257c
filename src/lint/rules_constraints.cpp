// pgmig — lint rules on constraints.
#include "lint/rules_constraints.hpp"

#include <algorithm>
#include <cstddef>

namespace pgmig::detail::lint {
namespace {

// CHECK (col IS NOT NULL) → "col".
std::string not_null_check_column(const json* raw_expr) {
    if (raw_expr == nullptr) return {};
    const json* test = body_if(*raw_expr, "NullTest");
    if (test == nullptr || text_of(*test, "nulltesttype") != "IS_NOT_NULL") return {};
    const json* arg = member(*test, "arg");
    if (arg == nullptr) return {};
    const json* ref = body_if(*arg, "ColumnRef");
    if (ref == nullptr) return {};
    const std::vector<std::string> fields = string_list(member(*ref, "fields"));
    return fields.size() == 1 ? fields.front() : std::string();
}

// The name PostgreSQL gives the index behind a PRIMARY KEY / UNIQUE constraint.
std::string constraint_index_name(const relation_name& table, const json& con, const std::string& suffix,
                                  const std::vector<std::string>& columns) {
    std::string name = text_of(con, "conname");
    if (!name.empty()) return name;
    name = table.name;
    if (suffix != "pkey")
        for (const std::string& c : columns) name += "_" + c;
    return name + "_" + suffix;
}

} // namespace

void table_constraint_facts(section_context& ctx, int stmt, const relation_name& table, const json& con) {
    const std::string type = text_of(con, "contype");
    if (type == "CONSTR_PRIMARY" || type == "CONSTR_UNIQUE") {
        const std::vector<std::string> keys = string_list(member(con, "keys"));
        const std::string index_name = text_of(con, "indexname");
        if (!index_name.empty()) {
            // USING INDEX: the index exists already; PostgreSQL renames it to the constraint's name.
            const std::string conname = text_of(con, "conname");
            if (!conname.empty()) ctx.know.rename_index(index_key(table, index_name), index_key(table, conname));
        } else if (!keys.empty()) {
            const bool primary = type == "CONSTR_PRIMARY";
            ctx.remember_index(table, constraint_index_name(table, con, primary ? "pkey" : "key", keys), keys, false);
        }
        if (type == "CONSTR_PRIMARY")
            for (const std::string& k : keys) ctx.know.not_null.insert({table.key, k});
    } else if (type == "CONSTR_FOREIGN") {
        const std::vector<std::string> cols = string_list(member(con, "fk_attrs"));
        if (!cols.empty()) ctx.foreign_keys.push_back({ctx.at(stmt, &con), table, cols, relation_of(member(con, "pktable")).display});
    } else if (type == "CONSTR_CHECK") {
        const std::string column = not_null_check_column(member(con, "raw_expr"));
        const std::string conname = text_of(con, "conname");
        if (!column.empty()) {
            if (flag_of(con, "skip_validation")) {
                if (!conname.empty()) ctx.know.not_null_checks[{table.key, conname}] = column;
            } else {
                ctx.know.not_null.insert({table.key, column});
            }
        }
    }
}

void add_constraint(section_context& ctx, int stmt, const relation_name& table, const json& con, bool is_new) {
    const std::string type = text_of(con, "contype");
    const std::string conname = text_of(con, "conname");
    const std::string named = conname.empty() ? std::string() : " " + conname;
    const bool not_valid = flag_of(con, "skip_validation");
    table_constraint_facts(ctx, stmt, table, con);
    if (not_valid && !conname.empty()) ctx.added_not_valid[{table.key, conname}] = type;
    if (is_new) return;

    if (type == "CONSTR_CHECK" && !not_valid) {
        ctx.emit(ctx.at(stmt, &con), rule::add_check_without_not_valid,
                 "ADD CONSTRAINT" + named + " CHECK on " + table.display +
                     " checks every row under an ACCESS EXCLUSIVE lock (reads and writes wait)",
                 table.display);
    } else if (type == "CONSTR_FOREIGN" && !not_valid) {
        const std::vector<std::string> cols = string_list(member(con, "fk_attrs"));
        ctx.emit(ctx.at(stmt, &con), rule::add_foreign_key_without_not_valid,
                 "ADD CONSTRAINT" + named + " FOREIGN KEY " + table.display + "(" + join(cols) + ") REFERENCES " +
                     relation_of(member(con, "pktable")).display + " validates every row while blocking writes to " +
                     "both tables (SHARE ROW EXCLUSIVE)",
                 table.display);
    } else if (type == "CONSTR_UNIQUE" && text_of(con, "indexname").empty()) {
        ctx.emit(ctx.at(stmt, &con), rule::add_unique_without_index,
                 "ADD CONSTRAINT" + named + " UNIQUE (" + join(string_list(member(con, "keys"))) + ") on " +
                     table.display + " builds its unique index under an ACCESS EXCLUSIVE lock",
                 table.display);
    } else if (type == "CONSTR_PRIMARY" && text_of(con, "indexname").empty()) {
        ctx.emit(ctx.at(stmt, &con), rule::add_primary_key_without_index,
                 "ADD CONSTRAINT" + named + " PRIMARY KEY (" + join(string_list(member(con, "keys"))) + ") on " +
                     table.display + " builds its unique index under an ACCESS EXCLUSIVE lock",
                 table.display);
    } else if (type == "CONSTR_EXCLUSION") {
        ctx.emit(ctx.at(stmt, &con), rule::add_exclusion_constraint,
                 "ADD CONSTRAINT" + named + " EXCLUDE on " + table.display +
                     " builds its index and checks every row under an ACCESS EXCLUSIVE lock",
                 table.display);
    }
}

void validate_constraint(section_context& ctx, int stmt, const relation_name& table, const std::string& conname) {
    const auto check = ctx.know.not_null_checks.find({table.key, conname});
    if (check != ctx.know.not_null_checks.end()) {
        ctx.know.not_null.insert({table.key, check->second});
        ctx.know.not_null_checks.erase(check);
    }
    // Validating in the transaction that added the constraint keeps the ADD's lock during the scan.
    const auto added = ctx.added_not_valid.find({table.key, conname});
    if (added == ctx.added_not_valid.end() || ctx.in.no_transaction || ctx.exempt(table)) return;
    const bool foreign = added->second == "CONSTR_FOREIGN";
    if (added->second != "CONSTR_CHECK" && !foreign) return;
    ctx.emit(ctx.at(stmt, "validate constraint {}", conname),
             foreign ? rule::add_foreign_key_without_not_valid : rule::add_check_without_not_valid,
             "VALIDATE CONSTRAINT " + conname + " on " + table.display +
                 " runs in the same transaction that added it NOT VALID: the ADD's " +
                 (foreign ? "SHARE ROW EXCLUSIVE" : "ACCESS EXCLUSIVE") +
                 " lock is still held during the validation scan, so NOT VALID gains nothing",
             table.display, std::nullopt, "Move VALIDATE CONSTRAINT " + conname + " to a later migration");
}

void column_constraints(section_context& ctx, int stmt, const relation_name& table, const column_spec& c) {
    const std::string col = table.display + "." + c.name;
    if (c.primary)
        ctx.emit(ctx.at(stmt, constraint_of(c, "CONSTR_PRIMARY")), rule::add_primary_key_without_index,
                 "ADD COLUMN " + col + " PRIMARY KEY builds the key's unique index under an ACCESS EXCLUSIVE lock",
                 table.display);
    else if (c.unique)
        ctx.emit(ctx.at(stmt, constraint_of(c, "CONSTR_UNIQUE")), rule::add_unique_without_index,
                 "ADD COLUMN " + col + " UNIQUE builds the unique index under an ACCESS EXCLUSIVE lock",
                 table.display);
    if (!c.checks.empty())
        ctx.emit(ctx.at(stmt, c.checks.front()), rule::add_check_without_not_valid,
                 "ADD COLUMN " + col + " with a CHECK constraint checks every row under an ACCESS EXCLUSIVE lock",
                 table.display);
    for (const json* fk : c.foreign)
        ctx.emit(ctx.at(stmt, fk), rule::add_foreign_key_without_not_valid,
                 "ADD COLUMN " + col + " REFERENCES " + relation_of(member(*fk, "pktable")).display +
                     " validates every row of " + table.display + " while blocking writes to both tables",
                 table.display);
    if (c.exclusion)
        ctx.emit(ctx.at(stmt, constraint_of(c, "CONSTR_EXCLUSION")), rule::add_exclusion_constraint,
                 "ADD COLUMN " + col + " with an EXCLUDE constraint builds its index and checks every row under an "
                                       "ACCESS EXCLUSIVE lock",
                 table.display);
}

void check_foreign_key_indexes(section_context& ctx) {
    for (const fk_fact& fk : ctx.foreign_keys) {
        bool covered = false;
        for (const index_fact& ix : ctx.know.indexes) {
            if (ix.table != fk.table.key || ix.partial || ix.columns.size() < fk.columns.size()) continue;
            std::vector<std::string> leading(ix.columns.begin(),
                                             ix.columns.begin() + static_cast<std::ptrdiff_t>(fk.columns.size()));
            std::vector<std::string> wanted = fk.columns;
            std::sort(leading.begin(), leading.end());
            std::sort(wanted.begin(), wanted.end());
            if (leading == wanted) {
                covered = true;
                break;
            }
        }
        if (covered) continue;
        const std::string cols = fk.table.display + "(" + join(fk.columns) + ")";
        ctx.emit(fk.where, rule::foreign_key_without_index,
                 "foreign key " + cols + " REFERENCES " + fk.referenced + " has no index on " + cols +
                     " (none created by this migration" +
                     std::string(ctx.in.down ? "" : " or an earlier one in the set") + "): every DELETE or key UPDATE on " +
                     fk.referenced + " scans " + fk.table.display,
                 fk.table.display, std::nullopt,
                 "CREATE INDEX CONCURRENTLY ON " + cols +
                     " (in a -- pgmig:no-transaction migration), or in the same migration when the table is new");
    }
}

} // namespace pgmig::detail::lint
