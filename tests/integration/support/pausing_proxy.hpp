// A TCP proxy in front of the test server that holds back the first message a
// client sends containing a given text, until the test releases it: a race
// between two queries of one session made deterministic, with no hook in pgmig.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pgmig_test {

class pausing_proxy {
public:
    /// Listens on a free 127.0.0.1 port and forwards every connection to the
    /// server `url` names (host and port); holds back the first chunk a client
    /// sends that contains `pattern` (a query's text).
    pausing_proxy(const std::string& url, std::string pattern);
    ~pausing_proxy();
    pausing_proxy(const pausing_proxy&) = delete;
    pausing_proxy& operator=(const pausing_proxy&) = delete;

    /// `url` with the proxy's port.
    std::string url_via(const std::string& url) const;
    /// Waits until a client's query holding the pattern is held back; false after `seconds`.
    bool wait_until_held(int seconds);
    /// Sends what was held back (and everything after it) on.
    void release();

private:
    void accept_loop();
    void pump(int from, int to, bool watch);

    std::string host_;
    int target_port_ = 0;
    std::string pattern_;
    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::mutex m_;
    std::condition_variable cv_;
    bool held_ = false, released_ = false, matched_ = false;
    std::vector<int> fds_;
    std::vector<std::thread> threads_;
    std::thread acceptor_;
};

} // namespace pgmig_test
