#include "core/mask.hpp"

#include <pgmig/startup.hpp>

#include <cctype>
#include <utility>

namespace pgmig {
namespace {

constexpr const char* mask = "*****";

bool is_url(std::string_view s) {
    return s.rfind("postgresql://", 0) == 0 || s.rfind("postgres://", 0) == 0;
}

// Find "password=" as a parameter key (start, after '?', '&', or whitespace).
std::size_t find_password_key(std::string_view s, std::size_t from, std::size_t& value_start) {
    for (std::size_t pos = s.find("password", from); pos != std::string_view::npos;
         pos = s.find("password", pos + 1)) {
        const bool boundary = pos == 0 || s[pos - 1] == '?' || s[pos - 1] == '&' ||
                              std::isspace(static_cast<unsigned char>(s[pos - 1]));
        if (!boundary) continue;
        std::size_t i = pos + 8;
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        if (i < s.size() && s[i] == '=') {
            ++i;
            while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
            value_start = i;
            return pos;
        }
    }
    return std::string_view::npos;
}

// End of a key=value value: quoted ('...' with \' escapes) or up to whitespace;
// in URLs up to '&' or '#'.
std::size_t value_end(std::string_view s, std::size_t start, bool url) {
    if (!url && start < s.size() && s[start] == '\'') {
        std::size_t i = start + 1;
        while (i < s.size()) {
            if (s[i] == '\\' && i + 1 < s.size()) {
                i += 2;
                continue;
            }
            if (s[i] == '\'') return i + 1;
            ++i;
        }
        return s.size();
    }
    std::size_t i = start;
    while (i < s.size()) {
        char c = s[i];
        if (url ? (c == '&' || c == '#') : std::isspace(static_cast<unsigned char>(c))) break;
        ++i;
    }
    return i;
}

// The password inside a URL's userinfo (scheme://user:password@host): its
// offset and length, or npos when the URL carries none.
std::pair<std::size_t, std::size_t> userinfo_password(std::string_view url) {
    const std::size_t scheme_end = url.find("://") + 3;
    const std::size_t auth_end = url.find_first_of("/?#", scheme_end);
    const std::size_t at = url.rfind('@', auth_end == std::string_view::npos ? url.size() : auth_end);
    if (at == std::string_view::npos || at < scheme_end) return {std::string_view::npos, 0};
    const std::size_t colon = url.find(':', scheme_end);
    if (colon == std::string_view::npos || colon >= at) return {std::string_view::npos, 0};
    return {colon + 1, at - colon - 1};
}

} // namespace

std::string mask_password(std::string_view conninfo) {
    std::string out(conninfo);
    const bool url = is_url(out);
    if (url) {
        const auto pw = userinfo_password(out);
        if (pw.first != std::string_view::npos) out.replace(pw.first, pw.second, mask);
    }
    std::size_t from = 0, vstart = 0;
    for (;;) {
        std::size_t key = find_password_key(out, from, vstart);
        if (key == std::string::npos) break;
        std::size_t vend = value_end(out, vstart, url);
        out.replace(vstart, vend - vstart, mask);
        from = vstart + 5;
    }
    return out;
}

namespace detail {

namespace {
std::string url_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}
} // namespace

std::string password_in(std::string_view conninfo) {
    const bool url = is_url(conninfo);
    if (url) {
        const auto pw = userinfo_password(conninfo);
        if (pw.first != std::string_view::npos) return url_decode(conninfo.substr(pw.first, pw.second));
    }
    std::size_t vstart = 0;
    std::size_t key = find_password_key(conninfo, 0, vstart);
    if (key == std::string_view::npos) return {};
    std::size_t vend = value_end(conninfo, vstart, url);
    std::string_view v = conninfo.substr(vstart, vend - vstart);
    if (url) return url_decode(v);
    if (v.size() >= 2 && v.front() == '\'') {
        std::string out;
        for (std::size_t i = 1; i + 1 < v.size(); ++i) {
            if (v[i] == '\\' && i + 2 < v.size()) ++i;
            out += v[i];
        }
        return out;
    }
    return std::string(v);
}

std::string scrub(std::string text, std::string_view conninfo) {
    const std::string pw = password_in(conninfo);
    if (pw.empty()) return text;
    for (std::size_t pos = text.find(pw); pos != std::string::npos; pos = text.find(pw, pos + 5))
        text.replace(pos, pw.size(), mask);
    return text;
}

} // namespace detail
} // namespace pgmig
