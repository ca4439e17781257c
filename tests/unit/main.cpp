#define BOOST_TEST_MODULE pgmig_unit_tests
#include <boost/test/unit_test.hpp>
