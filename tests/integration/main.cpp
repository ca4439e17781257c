#define BOOST_TEST_MODULE pgmig_integration_tests
#include <boost/test/unit_test.hpp>
