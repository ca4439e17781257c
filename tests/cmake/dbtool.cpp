// pgmig_test_dbtool — scratch databases for the consumer and example tests
// (tests/cmake/consumer_test.cmake), on the server of the CTest fixture `pg`.
//
//   pgmig_test_dbtool create <server-url> <name>   (re)create database <name>, print its URL
//   pgmig_test_dbtool drop   <server-url> <name>   drop it (WITH FORCE)
//   pgmig_test_dbtool query  <url> <sql>           print the first column of each row
//
// URLs: postgres[ql]://… (the path is replaced) or key=value conninfo
// (dbname= appended; the last one wins).
#include <pqxx/pqxx>

#include <exception>
#include <iostream>
#include <string>

namespace {

std::string url_for_database(const std::string& url, const std::string& name) {
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
        const std::size_t authority = url.find("://") + 3;
        const std::size_t query = url.find('?', authority);
        const std::size_t path = url.find('/', authority);
        const std::size_t end = query == std::string::npos ? url.size() : query;
        const std::size_t cut = (path == std::string::npos || path > end) ? end : path;
        return url.substr(0, cut) + "/" + name + url.substr(end);
    }
    return url + " dbname=" + name;
}

std::string quote_ident(const std::string& name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: pgmig_test_dbtool create|drop <server-url> <name> | query <url> <sql>\n";
        return 2;
    }
    const std::string command = argv[1];
    try {
        if (command == "create" || command == "drop") {
            const std::string name = argv[3];
            pqxx::connection conn(argv[2]);
            pqxx::nontransaction tx(conn);
            (void)tx.exec("DROP DATABASE IF EXISTS " + quote_ident(name) + " WITH (FORCE)");
            if (command == "create") {
                (void)tx.exec("CREATE DATABASE " + quote_ident(name) + " TEMPLATE template0 ENCODING 'UTF8'");
                std::cout << url_for_database(argv[2], name) << '\n';
            }
            return 0;
        }
        if (command == "query") {
            pqxx::connection conn(argv[2]);
            pqxx::nontransaction tx(conn);
            const pqxx::result r = tx.exec(argv[3]);
            for (pqxx::result::size_type i = 0; i < r.size(); ++i)
                std::cout << (r[i][0].is_null() ? "NULL" : r[i][0].c_str()) << '\n';
            return 0;
        }
    } catch (const std::exception& e) {
        std::cerr << "pgmig_test_dbtool: " << e.what() << '\n';
        return 1;
    }
    std::cerr << "pgmig_test_dbtool: unknown command " << command << '\n';
    return 2;
}
