// pgmig — lint internals: whether an expression (a column DEFAULT) calls a
// volatile function, from the names of the functions it calls.
#pragma once

#include "lint/parse_tree.hpp"

#include <string>

namespace pgmig::lint_detail {

enum class volatility { safe, unknown, volatile_call };

struct default_verdict {
    volatility level = volatility::safe;
    std::string function; ///< the deciding function
};

/// The verdict on `expr`: volatile_call when it calls a known volatile function
/// (random(), nextval(), …), unknown when it calls a function lint does not know,
/// safe when every call is to a known immutable or stable built-in (or there is none).
default_verdict classify_expression(const json& expr);

} // namespace pgmig::lint_detail
