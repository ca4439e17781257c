// The code of the pgmig::error a call throws (see errors.hpp).
#include "support/errors.hpp"

#include <boost/test/unit_test.hpp>

namespace pgmig_unit_test {

pgmig::error_code code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const pgmig::error& e) {
        return e.code();
    }
    BOOST_FAIL("expected a pgmig::error");
    return pgmig::error_code::database;
}

} // namespace pgmig_unit_test
