#include "core/admin_command.hpp"

#if defined(__linux__)
#include <climits>
#include <unistd.h>
#endif

namespace pgmig::detail::core {

namespace {

/// Base name of the running executable, "" when unknown.
std::string program_name() {
#if defined(__linux__)
    char buf[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return {};
    std::string path(buf, static_cast<std::size_t>(n));
    // A binary replaced while it runs (a deploy) reads as "/path/app (deleted)".
    const std::string deleted = " (deleted)";
    if (path.size() > deleted.size() && path.compare(path.size() - deleted.size(), deleted.size(), deleted) == 0)
        path.resize(path.size() - deleted.size());
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
#else
    return {};
#endif
}

} // namespace

std::string command_hint(std::string_view prefix, std::string_view command) {
    std::string out = "`";
    out += prefix;
    if (!prefix.empty() && !command.empty()) out += ' ';
    out += command;
    out += '`';
    return out;
}

std::string default_admin_command() {
    static const std::string prefix = [] {
        const std::string program = program_name();
        return (program.empty() ? std::string("myapp") : program) + " db";
    }();
    return prefix;
}

std::string admin_command_or_default(const std::string& configured) {
    return configured.empty() ? default_admin_command() : configured;
}

} // namespace pgmig::detail::core
