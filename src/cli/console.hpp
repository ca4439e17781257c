// pgmig — the admin CLI's console: the streams and whether they are
// terminals, colour, masking, the progress line and confirmation.
//
// Every byte written passes through hide(), which masks the passwords of every
// connection string seen. Text for people and the JSON document go to stdout,
// logs, progress and prompts to stderr. What is written is rendered elsewhere
// (render_text, render_json); the console only writes it.
#pragma once

#include <pgmig/log.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <iosfwd>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pgmig::detail::cli {

// ------------------------------------------------------------------ colour

enum class color_mode { automatic, always, never };

/// --color: "" or "auto", "always", "never" (validated by the argument parser).
color_mode parse_color_mode(const std::string& text) noexcept;

/// Colour for the text on stdout: `always`; `never`; automatic: stdout is a
/// terminal, NO_COLOR is unset or empty (https://no-color.org) and TERM is not
/// "dumb". `no_color` and `term` are the environment's values (nullptr: unset).
bool use_color(color_mode mode, bool stdout_is_terminal, const char* no_color, const char* term) noexcept;

// ------------------------------------------------------------------ confirmation

enum class confirmation { confirmed, assumed_yes, declined, no_terminal };

/// --yes → assumed_yes without reading; no terminal → no_terminal (never
/// reads); otherwise writes `what` and "Type 'yes' to continue: " to `err`
/// and reads one line from `in`: exactly "yes" (trimmed, any case) confirms.
confirmation confirm(std::istream& in, std::ostream& err, bool stdin_is_terminal, bool assume_yes,
                     const std::string& what);

// ------------------------------------------------------------------ the console

class console {
public:
    console(std::istream& in, std::ostream& out, std::ostream& err, bool stdin_tty, bool stderr_tty);

    bool json = false;                     ///< --json: stdout holds one JSON document
    log_level min_level = log_level::info;

    bool stdin_tty() const noexcept { return stdin_tty_; }
    bool stderr_tty() const noexcept { return stderr_tty_; }

    /// Remember a connection string whose password must never be printed.
    void add_secret_source(const std::string& conninfo);
    /// The text with the passwords of every connection string seen masked, as
    /// whole tokens (see core/conninfo.hpp scrub).
    std::string hide(std::string text) const;

    /// stdout.
    void write(std::string text); ///< by value: passwords are masked in place
    /// stderr (messages, prompts).
    void note(const std::string& text);
    /// A log line on stderr when `level` is at least min_level; `line` is the
    /// rendered line (render_text's log_line).
    void log(log_level level, const std::string& line);
    /// One progress line on stderr (terminal only), overwritten by the next.
    void progress(const std::string& line);
    void clear_progress();

    /// Asks on stderr, reading stdin (see confirm() above).
    confirmation ask(bool assume_yes, const std::string& what);

private:
    void clear_progress_locked();

    std::istream& in_;
    std::ostream& out_;
    std::ostream& err_;
    bool stdin_tty_, stderr_tty_;
    bool progress_shown_ = false;
    std::vector<std::string> secrets_; ///< longest first
    mutable std::mutex m_;
};

/// Shows a progress line on the console while a step runs for more than a
/// second (a terminal only: enabled); the line is re-rendered every 250 ms
/// with the time elapsed.
class ticker {
public:
    using line_function = std::function<std::string(std::chrono::milliseconds elapsed)>;

    ticker(console& io, bool enabled);
    ~ticker();
    ticker(const ticker&) = delete;
    ticker& operator=(const ticker&) = delete;

    void begin(line_function line);
    void end();

private:
    void loop();

    console& io_;
    bool enabled_;
    std::mutex m_;
    std::condition_variable cv_;
    bool stop_ = false, active_ = false;
    line_function line_;
    std::chrono::steady_clock::time_point start_;
    std::thread thread_;
};

} // namespace pgmig::detail::cli
