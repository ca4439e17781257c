// The code of the pgmig::error a call throws (a test failure when it throws none).
#pragma once

#include <pgmig/error.hpp>

#include <functional>

namespace pgmig_unit_test {

pgmig::error_code code_of(const std::function<void()>& f);

} // namespace pgmig_unit_test
