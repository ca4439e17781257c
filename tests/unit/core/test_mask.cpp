#include "core/mask.hpp"

#include <pgmig/startup.hpp>

#include <boost/test/unit_test.hpp>

using pgmig::mask_password;
using pgmig::detail::password_in;
using pgmig::detail::scrub;

BOOST_AUTO_TEST_SUITE(mask)

BOOST_AUTO_TEST_CASE(urls) {
    BOOST_TEST(mask_password("postgresql://app:hunter2@db.local:5432/prod") ==
               "postgresql://app:*****@db.local:5432/prod");
    BOOST_TEST(mask_password("postgres://app:p%40ss@127.0.0.1/x?sslmode=require") ==
               "postgres://app:*****@127.0.0.1/x?sslmode=require");
    BOOST_TEST(mask_password("postgresql://app@host/db") == "postgresql://app@host/db");
    BOOST_TEST(mask_password("postgresql://host/db?user=a&password=secret&sslmode=disable") ==
               "postgresql://host/db?user=a&password=*****&sslmode=disable");
    BOOST_TEST(mask_password("postgresql:///db?password=x") == "postgresql:///db?password=*****");
    // '@' inside the password (unencoded) is still masked up to the last '@' before the host.
    BOOST_TEST(mask_password("postgresql://u:a@b@h/db") == "postgresql://u:*****@h/db");
    BOOST_TEST(mask_password("postgresql://u:pw@h1:5432,h2:5433/db") == "postgresql://u:*****@h1:5432,h2:5433/db");
}

BOOST_AUTO_TEST_CASE(key_value) {
    BOOST_TEST(mask_password("host=h user=u password=secret dbname=d") ==
               "host=h user=u password=***** dbname=d");
    BOOST_TEST(mask_password("host=h password = 'it\\'s a secret' dbname=d") ==
               "host=h password = ***** dbname=d");
    BOOST_TEST(mask_password("password=abc") == "password=*****");
    BOOST_TEST(mask_password("host=h dbname=d") == "host=h dbname=d");
    BOOST_TEST(mask_password("host=h mypassword=x") == "host=h mypassword=x"); // not a key boundary
    BOOST_TEST(mask_password("") == "");
}

BOOST_AUTO_TEST_CASE(extracting_and_scrubbing) {
    BOOST_TEST(password_in("postgresql://u:p%40ss@h/db") == "p@ss");
    BOOST_TEST(password_in("host=h password='a b\\'c'") == "a b'c");
    BOOST_TEST(password_in("host=h password=plain") == "plain");
    BOOST_TEST(password_in("postgresql://h/db?password=q") == "q");
    BOOST_TEST(password_in("host=h") == "");
    BOOST_TEST(scrub("failed for hunter2 and hunter2", "postgresql://u:hunter2@h/db") ==
               "failed for ***** and *****");
    BOOST_TEST(scrub("nothing here", "host=h") == "nothing here");
}

BOOST_AUTO_TEST_SUITE_END()
