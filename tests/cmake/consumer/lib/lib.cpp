// consumer_lib: a library whose migrations are embedded into it
// (consumer_lib::migrations(), declared in the generated consumer_lib/migrations.hpp).
#include "consumer_lib/migrations.hpp"

namespace consumer_lib {

std::size_t migration_count();
std::size_t migration_count() { return migrations().size(); }

} // namespace consumer_lib
