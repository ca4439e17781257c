// pgmig — lint rules on types, domains and functions.
#include "lint/rules_types.hpp"

#include "lint/volatility.hpp"

#include <string>
#include <vector>

namespace pgmig::detail::lint {
namespace {

// A type the section creates: new, so nothing uses it yet.
void new_type(section_context& ctx, const relation_name& type) {
    ctx.created_types.insert(type.key);
    ctx.know.created_by["type:" + type.key] = ctx.in.m->version;
}

// The finding's object is type `type`: which migration of the set created it.
void about_type(const section_context& ctx, lint_finding* f, const relation_name& type) {
    if (f != nullptr) f->created_by = ctx.know.creator("type", type.key);
}

} // namespace

void create_enum(section_context& ctx, int, const json& body) {
    new_type(ctx, relation_of_names(string_list(member(body, "typeName"))));
}

void create_composite_type(section_context& ctx, int, const json& body) {
    new_type(ctx, relation_of(member(body, "typevar")));
}

void create_domain(section_context& ctx, int stmt, const json& body) {
    const relation_name domain = relation_of_names(string_list(member(body, "domainname")));
    new_type(ctx, domain);
    for_each_item(member(body, "constraints"), [&](const json& item) {
        const json* con = body_if(item, "Constraint");
        if (con == nullptr) return;
        const std::string type = text_of(*con, "contype");
        if (type != "CONSTR_CHECK" && type != "CONSTR_NOTNULL") return;
        const bool not_null = type == "CONSTR_NOTNULL";
        ctx.emit(ctx.at(stmt, con), rule::ban_create_domain_with_constraint,
                 "CREATE DOMAIN " + domain.display + (not_null ? " … NOT NULL" : " … CHECK (…)") +
                     ": the constraint applies to every column of the domain, so changing it later checks every "
                     "such column of every table at once" +
                     (not_null ? std::string(", and a domain's NOT NULL does not hold where NULLs come from outer "
                                             "joins or columns an INSERT leaves out")
                               : std::string()));
    });
}

void alter_domain(section_context& ctx, int stmt, const json& body) {
    const relation_name domain = relation_of_names(string_list(member(body, "typeName")));
    const std::string subtype = text_of(body, "subtype");
    if (ctx.created_types.count(domain.key) != 0) return;
    if (subtype == "C") {
        const json* def = member(body, "def");
        const json* con = def != nullptr ? body_if(*def, "Constraint") : nullptr;
        if (con == nullptr || flag_of(*con, "skip_validation")) return;
        const std::string name = text_of(*con, "conname");
        about_type(ctx,
                   ctx.emit(ctx.at(stmt, con), rule::ban_alter_domain_with_add_constraint,
                            "ALTER DOMAIN " + domain.display + " ADD CONSTRAINT" + (name.empty() ? "" : " " + name) +
                                " checks every column of type " + domain.display +
                                " in every table, holding a SHARE lock on each table (its writes wait) until the "
                                "migration commits"),
                   domain);
    } else if (subtype == "O") {
        about_type(ctx,
                   ctx.emit(ctx.at(stmt, "set not null"), rule::ban_alter_domain_with_add_constraint,
                            "ALTER DOMAIN " + domain.display +
                                " SET NOT NULL checks every column of type " + domain.display +
                                " in every table, holding a SHARE lock on each table (its writes wait) until the "
                                "migration commits",
                            {}, std::nullopt,
                            "ADD CONSTRAINT … CHECK (VALUE IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT in a later "
                            "migration; or put NOT NULL on the columns themselves"),
                   domain);
    }
}

void alter_enum(section_context& ctx, int stmt, const json& body) {
    const relation_name type = relation_of_names(string_list(member(body, "typeName")));
    const std::string value = text_of(body, "newVal");
    // RENAME VALUE has oldVal; ADD VALUE … BEFORE/AFTER has a neighbor.
    if (value.empty() || !text_of(body, "oldVal").empty() || !text_of(body, "newValNeighbor").empty()) return;
    if (ctx.created_types.count(type.key) != 0) return;
    about_type(ctx,
               ctx.emit(stmt, rule::require_enum_value_ordering,
                        "ALTER TYPE " + type.display + " ADD VALUE '" + value + "' without BEFORE or AFTER puts '" +
                            value + "' after every existing value: ORDER BY, min/max and comparisons such as " +
                            "status < 'x' now place it last"),
               type);
}

void create_function(section_context& ctx, int, const json& body) {
    if (flag_of(body, "is_procedure")) return;
    function_fact fact;
    fact.version = ctx.in.m->version;
    for_each_item(member(body, "options"), [&](const json& item) {
        const json* def = body_if(item, "DefElem");
        if (def == nullptr || text_of(*def, "defname") != "volatility") return;
        const json* arg = member(*def, "arg");
        if (arg != nullptr) fact.volatility = sval(*arg);
    });
    ctx.know.functions[function_key(string_list(member(body, "funcname")))] = fact;
}

} // namespace pgmig::detail::lint
