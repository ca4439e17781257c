// The admin CLI's console (see console.hpp).
#include "cli/console.hpp"
#include "core/conninfo.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <istream>
#include <ostream>

namespace pgmig::detail::cli {

// ------------------------------------------------------------------ colour

color_mode parse_color_mode(const std::string& text) noexcept {
    if (text == "always") return color_mode::always;
    if (text == "never") return color_mode::never;
    return color_mode::automatic;
}

bool use_color(color_mode mode, bool stdout_is_terminal, const char* no_color, const char* term) noexcept {
    switch (mode) {
    case color_mode::always: return true;
    case color_mode::never: return false;
    case color_mode::automatic: break;
    }
    if (!stdout_is_terminal) return false;
    if (no_color != nullptr && *no_color != '\0') return false;
    return term == nullptr || std::string(term) != "dumb";
}

// ------------------------------------------------------------------ confirmation

confirmation confirm(std::istream& in, std::ostream& err, bool stdin_is_terminal, bool assume_yes,
                     const std::string& what) {
    if (assume_yes) return confirmation::assumed_yes;
    if (!stdin_is_terminal) return confirmation::no_terminal;
    err << what;
    if (!what.empty() && what.back() != '\n') err << '\n';
    err << "Type 'yes' to continue: " << std::flush;
    std::string line;
    if (!std::getline(in, line)) {
        err << '\n';
        return confirmation::declined;
    }
    using core::is_space;
    return core::lower(core::trim(line, is_space)) == "yes" ? confirmation::confirmed
                                                                               : confirmation::declined;
}

// ------------------------------------------------------------------ the console

console::console(std::istream& in, std::ostream& out, std::ostream& err, bool stdin_tty, bool stderr_tty)
    : in_(in), out_(out), err_(err), stdin_tty_(stdin_tty), stderr_tty_(stderr_tty) {}

void console::add_secret_source(const std::string& conninfo) {
    if (conninfo.empty()) return;
    std::lock_guard<std::mutex> g(m_);
    for (const std::string& token : core::secret_tokens(conninfo)) {
        if (token.empty() || std::find(secrets_.begin(), secrets_.end(), token) != secrets_.end()) continue;
        secrets_.push_back(token);
    }
    // Longest first, so that a password containing another is masked whole.
    std::sort(secrets_.begin(), secrets_.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string console::hide(std::string text) const { return core::scrub(std::move(text), secrets_); }

void console::write(std::string text) {
    if (text.empty()) return;
    std::lock_guard<std::mutex> g(m_);
    clear_progress_locked();
    out_ << hide(std::move(text)) << std::flush;
}

void console::note(const std::string& text) {
    if (text.empty()) return;
    std::lock_guard<std::mutex> g(m_);
    clear_progress_locked();
    err_ << hide(text) << std::flush;
}

void console::log(log_level level, const std::string& line) {
    if (static_cast<int>(level) < static_cast<int>(min_level)) return;
    note(line);
}

void console::progress(const std::string& line) {
    std::lock_guard<std::mutex> g(m_);
    err_ << "\r\033[K" << hide(line) << std::flush;
    progress_shown_ = true;
}

void console::clear_progress() {
    std::lock_guard<std::mutex> g(m_);
    clear_progress_locked();
}

void console::clear_progress_locked() {
    if (!progress_shown_) return;
    err_ << "\r\033[K" << std::flush;
    progress_shown_ = false;
}

confirmation console::ask(bool assume_yes, const std::string& what) {
    clear_progress();
    return confirm(in_, err_, stdin_tty_, assume_yes, hide(what));
}

// ------------------------------------------------------------------ ticker

ticker::ticker(console& io, bool enabled) : io_(io), enabled_(enabled) {
    if (enabled_) thread_ = std::thread([this] { loop(); });
}

ticker::~ticker() {
    if (!enabled_) return;
    {
        std::lock_guard<std::mutex> g(m_);
        stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    io_.clear_progress();
}

void ticker::begin(line_function line) {
    std::lock_guard<std::mutex> g(m_);
    line_ = std::move(line);
    start_ = std::chrono::steady_clock::now();
    active_ = true;
}

void ticker::end() {
    {
        std::lock_guard<std::mutex> g(m_);
        active_ = false;
    }
    if (enabled_) io_.clear_progress();
}

void ticker::loop() {
    std::unique_lock<std::mutex> lk(m_);
    while (!stop_) {
        cv_.wait_for(lk, std::chrono::milliseconds(250));
        if (stop_ || !active_ || !line_) continue;
        const auto elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_);
        if (elapsed.count() < 1000) continue;
        const std::string line = line_(elapsed);
        lk.unlock();
        io_.progress(line);
        lk.lock();
    }
}

} // namespace pgmig::detail::cli
