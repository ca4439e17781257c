// pgmig — lint internals: whether an expression (a column DEFAULT) calls a
// volatile function, from the names of the functions it calls: built-ins lint
// knows, and functions the migrations themselves create (their declared volatility).
#pragma once

#include "lint/knowledge.hpp"
#include "lint/parse_tree.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace pgmig::detail::lint {

enum class volatility { safe, unknown, volatile_call };

struct default_verdict {
    volatility level = volatility::safe;
    std::string function;                  ///< the deciding function
    const json* call = nullptr;            ///< its FuncCall body (for the finding's position)
    std::optional<std::int64_t> declared_in; ///< the migration that created it, when the set did
};

/// The verdict on `expr`: volatile_call when it calls a volatile function (a
/// volatile built-in such as random() or nextval(), or a function the migrations
/// created VOLATILE, PostgreSQL's default), unknown when it calls a function lint
/// knows nothing about, safe when every call is to an immutable or stable one (or
/// there is none). `know` holds the functions the migrations created.
default_verdict classify_expression(const json& expr, const knowledge& know);

/// The key under which `know.functions` holds a function named `names`
/// (["schema", "name"] or ["name"]; public dropped).
std::string function_key(const std::vector<std::string>& names);

} // namespace pgmig::detail::lint
