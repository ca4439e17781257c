// pgmig — connection strings: parsing, adding parameters, masking and
// scrubbing passwords. See conninfo.hpp.
#include "core/conninfo.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <optional>

namespace pgmig {
namespace detail::core {
namespace {

constexpr std::string_view mask = "*****";
constexpr std::size_t npos = std::string_view::npos;

bool is_secret_key(std::string_view key) noexcept { return iequals(key, "password") || iequals(key, "sslpassword"); }

// libpq accepts these two prefixes, in this case only.
std::size_t url_prefix_size(std::string_view s) noexcept {
    for (const std::string_view prefix : {std::string_view("postgresql://"), std::string_view("postgres://")})
        if (s.substr(0, prefix.size()) == prefix) return prefix.size();
    return 0;
}

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// libpq's percent-decoding: every '%' starts two hex digits, and %00 is refused.
std::optional<std::string> percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        const int hi = i + 1 < s.size() ? hex_value(s[i + 1]) : -1;
        const int lo = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

std::string url_encode(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_alnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string kv_quote(std::string_view s) {
    std::string out = "'";
    for (const char c : s) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

// As nlohmann::json writes a string's contents (the CLI's JSON output).
std::string json_escape(std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else {
                out += ch;
            }
        }
    }
    return out;
}

std::string_view slice(std::string_view s, text_span span) noexcept { return s.substr(span.offset, span.size); }

// ------------------------------------------------------------------ parsing

class parser {
public:
    explicit parser(std::string_view s) : s_(s) {}

    parsed_conninfo parse() {
        const std::size_t prefix = url_prefix_size(s_);
        out_.url = prefix != 0;
        if (out_.url)
            url(prefix);
        else
            key_value();
        if (out_.error.empty()) out_.parsed_to = s_.size();
        return std::move(out_);
    }

private:
    void add(std::string key, text_span raw, std::string value, text_span raw_key = {}) {
        out_.params.push_back(conninfo_param{std::move(key), std::move(value), raw, raw_key});
    }

    // A URL part [begin, end), percent-decoded. False (and the error) when it cannot be.
    bool add_url_part(std::string key, std::size_t begin, std::size_t end) {
        const text_span raw{begin, end - begin};
        std::optional<std::string> value = percent_decode(slice(s_, raw));
        if (!value) {
            out_.error_part = raw;
            return fail("invalid percent-encoding in the " + key + " part", begin);
        }
        add(std::move(key), raw, std::move(*value));
        return true;
    }

    bool fail(std::string why, std::size_t at) {
        out_.error = std::move(why);
        out_.parsed_to = at;
        return false;
    }

    // libpq's conninfo_uri_parse_options.
    void url(std::size_t p) {
        const std::size_t n = s_.size();
        // User information: up to the first '@' before any '/'.
        std::size_t at = p;
        while (at < n && s_[at] != '@' && s_[at] != '/') ++at;
        if (at < n && s_[at] == '@') {
            const std::size_t colon = s_.find(':', p);
            const std::size_t user_end = colon < at ? colon : at;
            if (user_end > p && !add_url_part("user", p, user_end)) return;
            if (colon < at && !add_url_part("password", colon + 1, at)) return;
            p = at + 1;
        }
        // host[:port][,host[:port]]…; IPv6 addresses in brackets.
        for (;;) {
            std::size_t host_begin = p, host_end = p;
            if (p < n && s_[p] == '[') {
                const std::size_t close = s_.find(']', p);
                if (close == npos) {
                    fail("an IPv6 host address without its ']'", p);
                    return;
                }
                host_begin = p + 1;
                host_end = close;
                p = close + 1;
                if (p < n && s_[p] != ':' && s_[p] != '/' && s_[p] != '?' && s_[p] != ',') {
                    fail("unexpected character after an IPv6 host address", p);
                    return;
                }
            } else {
                while (p < n && s_[p] != ':' && s_[p] != '/' && s_[p] != '?' && s_[p] != ',') ++p;
                host_end = p;
            }
            if (!add_url_part("host", host_begin, host_end)) return;
            if (p < n && s_[p] == ':') {
                const std::size_t port_begin = ++p;
                while (p < n && s_[p] != '/' && s_[p] != '?' && s_[p] != ',') ++p;
                if (!add_url_part("port", port_begin, p)) return;
            }
            if (p < n && s_[p] == ',') {
                ++p;
                continue;
            }
            break;
        }
        if (p < n && s_[p] == '/') {
            const std::size_t db_begin = ++p;
            while (p < n && s_[p] != '?') ++p;
            if (p > db_begin && !add_url_part("dbname", db_begin, p)) return;
        }
        if (p < n && s_[p] == '?') {
            out_.query = p;
            query(p + 1);
        }
    }

    // libpq's conninfo_uri_parse_params: key=value&…, each exactly one '='.
    void query(std::size_t p) {
        const std::size_t n = s_.size();
        while (p < n) {
            const std::size_t item = p;
            std::size_t eq = npos;
            while (p < n && s_[p] != '&') {
                if (s_[p] == '=') {
                    if (eq != npos) {
                        fail("a second '=' in a query parameter", item);
                        return;
                    }
                    eq = p;
                }
                ++p;
            }
            if (eq == npos) {
                fail("a query parameter without '='", item);
                return;
            }
            const std::optional<std::string> key = percent_decode(s_.substr(item, eq - item));
            const text_span raw{eq + 1, p - eq - 1};
            std::optional<std::string> value = percent_decode(slice(s_, raw));
            if (!key || !value) {
                out_.error_part = text_span{item, p - item};
                fail("invalid percent-encoding in a query parameter", item);
                return;
            }
            add(*key, raw, std::move(*value), text_span{item, eq - item});
            if (p < n) ++p; // the '&'
        }
    }

    // libpq's conninfo_parse: key = value pairs separated by whitespace.
    void key_value() {
        const std::size_t n = s_.size();
        std::size_t p = 0;
        for (;;) {
            while (p < n && is_space(s_[p])) ++p;
            if (p >= n) return;
            const std::size_t key_begin = p;
            while (p < n && s_[p] != '=' && !is_space(s_[p])) ++p;
            const std::string key(s_.substr(key_begin, p - key_begin));
            while (p < n && is_space(s_[p])) ++p;
            if (p >= n || s_[p] != '=') {
                fail("missing \"=\" after a key", key_begin);
                return;
            }
            ++p;
            while (p < n && is_space(s_[p])) ++p;
            const std::size_t value_begin = p;
            std::string value;
            if (p < n && s_[p] == '\'') {
                ++p;
                for (;;) {
                    if (p >= n) {
                        fail("a quoted value is not closed", key_begin);
                        return;
                    }
                    if (s_[p] == '\\') {
                        if (++p < n) value += s_[p++];
                        continue;
                    }
                    if (s_[p] == '\'') {
                        ++p;
                        break;
                    }
                    value += s_[p++];
                }
            } else {
                while (p < n && !is_space(s_[p])) {
                    if (s_[p] == '\\') {
                        if (++p < n) value += s_[p++];
                        continue;
                    }
                    value += s_[p++];
                }
            }
            add(key, text_span{value_begin, p - value_begin}, std::move(value), text_span{key_begin, key.size()});
        }
    }

    std::string_view s_;
    parsed_conninfo out_;
};

// ------------------------------------------------------------------ where the passwords are

struct secret_places {
    std::vector<text_span> spans;      // to mask, sorted, not overlapping
    std::vector<std::string> decoded;  // the passwords as libpq (or the user) means them
};

void add_span(secret_places& places, text_span span) { places.spans.push_back(span); }

bool is_url_part(const conninfo_param& p) noexcept {
    return p.raw_key.size == 0 && (p.key == "host" || p.key == "port" || p.key == "dbname");
}

// A URL whose user information holds an unencoded '@', '/' or '?' (libpq then
// takes part of the password for a host, port, database or parameter name, or
// fails): true when libpq cannot parse it, reads an '@' into a host, port or
// database, or reads a parameter name that is not a plain word.
bool ambiguous_url(std::string_view s, const parsed_conninfo& parsed) {
    if (!parsed.error.empty()) return true;
    for (const conninfo_param& p : parsed.params) {
        if (is_url_part(p) && slice(s, p.raw).find('@') != std::string_view::npos) return true;
        if (p.raw_key.size > 0)
            for (const char c : p.key)
                if (!is_alnum(c) && c != '_') return true;
    }
    return false;
}

secret_places find_secrets(std::string_view s, const parsed_conninfo& parsed) {
    secret_places places;
    if (!parsed.url) {
        for (const conninfo_param& p : parsed.params) {
            if (!is_secret_key(p.key)) continue;
            add_span(places, p.raw);
            places.decoded.push_back(p.value);
        }
        // The rest of a string that could not be parsed may hold anything.
        if (!parsed.error.empty() && parsed.parsed_to < s.size())
            add_span(places, text_span{parsed.parsed_to, s.size() - parsed.parsed_to});
    } else {
        const std::size_t prefix = url_prefix_size(s);
        // Where the user information ends: libpq's first '@' before any '/', or,
        // when that reading is doubtful, the last '@' (over-masking is safe).
        std::size_t at = npos;
        if (ambiguous_url(s, parsed)) {
            at = s.rfind('@');
            if (at < prefix) at = npos;
        } else {
            std::size_t p = prefix;
            while (p < s.size() && s[p] != '@' && s[p] != '/') ++p;
            if (p < s.size() && s[p] == '@') at = p;
        }
        if (at != npos) {
            const std::size_t colon = s.find(':', prefix);
            if (colon < at) {
                const text_span span{colon + 1, at - colon - 1};
                add_span(places, span);
                const std::string_view raw = slice(s, span);
                places.decoded.push_back(percent_decode(raw).value_or(std::string(raw)));
            }
        }
        // Query parameters, read leniently from the first '?' after the user information.
        const std::size_t q = s.find('?', at == npos ? prefix : at + 1);
        for (std::size_t p = q == npos ? s.size() : q + 1; p < s.size();) {
            std::size_t end = s.find('&', p);
            if (end == npos) end = s.size();
            const std::size_t eq = s.find('=', p);
            if (eq < end) {
                const std::string_view raw_key = s.substr(p, eq - p);
                if (is_secret_key(percent_decode(raw_key).value_or(std::string(raw_key)))) {
                    const text_span span{eq + 1, end - eq - 1};
                    add_span(places, span);
                    const std::string_view raw = slice(s, span);
                    places.decoded.push_back(percent_decode(raw).value_or(std::string(raw)));
                }
            }
            p = end + 1;
        }
    }
    std::sort(places.spans.begin(), places.spans.end(),
              [](const text_span& a, const text_span& b) { return a.offset < b.offset; });
    std::vector<text_span> merged;
    for (const text_span& span : places.spans) {
        if (!merged.empty() && span.offset <= merged.back().end()) {
            merged.back().size = std::max(merged.back().end(), span.end()) - merged.back().offset;
        } else {
            merged.push_back(span);
        }
    }
    places.spans = std::move(merged);
    return places;
}

bool is_word_byte(char c) noexcept { return is_alnum(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80; }

} // namespace

bool parsed_conninfo::has(std::string_view key) const noexcept {
    for (const conninfo_param& p : params)
        if (p.key == key) return true;
    return false;
}

parsed_conninfo parse_conninfo(std::string_view conninfo) { return parser(conninfo).parse(); }

std::string add_param(std::string_view conninfo, std::string_view key, std::string_view value) {
    std::string out(conninfo);
    if (url_prefix_size(conninfo) != 0) {
        const parsed_conninfo parsed = parse_conninfo(conninfo);
        const bool has_query = parsed.query != npos || (!parsed.error.empty() && conninfo.find('?') != npos);
        if (!has_query)
            out += '?';
        else if (out.back() != '?' && out.back() != '&')
            out += '&';
        out += std::string(key) + "=" + url_encode(value);
    } else {
        if (!trim(out, is_space).empty()) out += ' ';
        out += std::string(key) + "=" + kv_quote(value);
    }
    return out;
}

std::string set_param(std::string_view conninfo, std::string_view key, std::string_view value) {
    const parsed_conninfo parsed = parse_conninfo(conninfo);
    if (!parsed.error.empty()) return add_param(conninfo, key, value);
    const std::string written = parsed.url ? url_encode(value) : kv_quote(value);
    std::string out(conninfo);
    bool found = false;
    // From the end, so that the offsets before each replacement stay valid.
    for (auto p = parsed.params.rbegin(); p != parsed.params.rend(); ++p) {
        if (p->key != key) continue;
        out.replace(p->raw.offset, p->raw.size, written);
        found = true;
    }
    if (found) return out;
    if (parsed.url && key == "dbname") {
        // No path (or an empty one): the database goes where the path begins.
        const std::size_t at = parsed.query == npos ? out.size() : parsed.query;
        out.insert(at, at > 0 && out[at - 1] == '/' ? written : "/" + written);
        return out;
    }
    return add_param(conninfo, key, value);
}

std::vector<std::string> secret_tokens(std::string_view conninfo) {
    const parsed_conninfo parsed = parse_conninfo(conninfo);
    const secret_places places = find_secrets(conninfo, parsed);
    std::vector<std::string> tokens;
    const auto add = [&](std::string_view t) {
        for (const std::string& form : {std::string(t), url_encode(t), json_escape(t)})
            if (!form.empty() && std::find(tokens.begin(), tokens.end(), form) == tokens.end()) tokens.push_back(form);
    };
    for (const text_span& span : places.spans) {
        const std::string_view raw = slice(conninfo, span);
        add(raw);
        // The unparsable rest of a key=value string: each of its words, and
        // each value in it, may be (part of) a password.
        if (!parsed.url && !parsed.error.empty() && span.end() == conninfo.size()) {
            for (std::size_t p = 0; p < raw.size();) {
                while (p < raw.size() && is_space(raw[p])) ++p;
                std::size_t e = p;
                while (e < raw.size() && !is_space(raw[e])) ++e;
                const std::string_view word = raw.substr(p, e - p);
                add(word);
                const std::size_t eq = word.find('=');
                if (eq != npos) add(trim(word.substr(eq + 1), [](char c) noexcept { return c == '\''; }));
                p = e;
            }
        }
    }
    for (const std::string& password : places.decoded) add(password);
    // What libpq reads as a host, port, database or parameter name from a
    // doubtful URL's password, and the part it could not decode: libpq's
    // messages quote them.
    if (parsed.url) {
        const auto overlaps_a_secret = [&](text_span part) {
            for (const text_span& span : places.spans)
                if (part.offset < span.end() && span.offset < part.end()) return true;
            return false;
        };
        for (const conninfo_param& p : parsed.params) {
            if (is_url_part(p) && overlaps_a_secret(p.raw)) {
                add(slice(conninfo, p.raw));
                add(p.value);
            }
            if (p.raw_key.size > 0 && overlaps_a_secret(p.raw_key)) {
                add(slice(conninfo, p.raw_key));
                add(p.key);
            }
        }
        if (parsed.error_part.size > 0 && overlaps_a_secret(parsed.error_part)) add(slice(conninfo, parsed.error_part));
    }
    std::stable_sort(tokens.begin(), tokens.end(),
                     [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    return tokens;
}

std::string scrub(std::string text, const std::vector<std::string>& tokens) {
    for (const std::string& token : tokens) {
        if (token.empty()) continue;
        const bool word_front = is_word_byte(token.front()), word_back = is_word_byte(token.back());
        for (std::size_t pos = text.find(token); pos != std::string::npos; pos = text.find(token, pos)) {
            const std::size_t end = pos + token.size();
            const bool joined_before = word_front && pos > 0 && is_word_byte(text[pos - 1]);
            const bool joined_after = word_back && end < text.size() && is_word_byte(text[end]);
            if (joined_before || joined_after) {
                ++pos;
                continue;
            }
            text.replace(pos, token.size(), mask);
            pos += mask.size();
        }
    }
    return text;
}

std::string scrub(std::string text, std::string_view conninfo) {
    return scrub(std::move(text), secret_tokens(conninfo));
}

} // namespace detail::core

std::string mask_password(std::string_view conninfo) {
    const detail::core::parsed_conninfo parsed = detail::core::parse_conninfo(conninfo);
    std::string out;
    std::size_t copied = 0;
    for (const detail::core::text_span& span : detail::core::find_secrets(conninfo, parsed).spans) {
        out.append(conninfo.substr(copied, span.offset - copied));
        out.append(detail::core::mask);
        copied = span.end();
    }
    out.append(conninfo.substr(copied));
    return out;
}

} // namespace pgmig
