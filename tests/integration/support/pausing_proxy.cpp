// A TCP proxy that holds back one query (see pausing_proxy.hpp).
#include "support/pausing_proxy.hpp"

#include "core/conninfo.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

namespace pgmig_test {

namespace {

int connect_to(const std::string& host, int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool send_all(int fd, const char* p, std::size_t n) {
    while (n > 0) {
        const ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) return false;
        p += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

} // namespace

pausing_proxy::pausing_proxy(const std::string& url, std::string pattern) : pattern_(std::move(pattern)) {
    for (const auto& p : pgmig::detail::core::parse_conninfo(url).params) {
        if (p.key == "host") host_ = p.value;
        if (p.key == "port") target_port_ = std::stoi(p.value);
    }
    if (host_.empty()) host_ = "127.0.0.1";
    if (target_port_ == 0) target_port_ = 5432;
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(listen_fd_, 16) != 0 || ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
        throw std::runtime_error(std::string("pausing_proxy: cannot listen: ") + std::strerror(errno));
    port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

pausing_proxy::~pausing_proxy() {
    release();
    stop_ = true;
    acceptor_.join();
    {
        std::lock_guard<std::mutex> g(m_);
        for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
    }
    for (std::thread& t : threads_) t.join();
    for (int fd : fds_) ::close(fd);
    ::close(listen_fd_);
}

std::string pausing_proxy::url_via(const std::string& url) const {
    return pgmig::detail::core::set_param(url, "port", std::to_string(port_));
}

bool pausing_proxy::wait_until_held(int seconds) {
    std::unique_lock<std::mutex> g(m_);
    return cv_.wait_for(g, std::chrono::seconds(seconds), [this] { return held_; });
}

void pausing_proxy::release() {
    std::lock_guard<std::mutex> g(m_);
    released_ = true;
    cv_.notify_all();
}

void pausing_proxy::accept_loop() {
    while (!stop_) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        const int client = ::accept(listen_fd_, nullptr, nullptr);
        if (client < 0) continue;
        const int server = connect_to(host_, target_port_);
        if (server < 0) {
            ::close(client);
            continue;
        }
        std::lock_guard<std::mutex> g(m_);
        fds_.push_back(client);
        fds_.push_back(server);
        threads_.emplace_back([this, client, server] { pump(client, server, true); });
        threads_.emplace_back([this, client, server] { pump(server, client, false); });
    }
}

void pausing_proxy::pump(int from, int to, bool watch) {
    std::string tail; // the end of the previous chunk: the pattern may straddle two
    char buf[65536];
    for (;;) {
        const ssize_t n = ::recv(from, buf, sizeof buf, 0);
        if (n <= 0) break;
        if (watch) {
            std::unique_lock<std::mutex> g(m_);
            if (!matched_) {
                const std::string seen = tail + std::string(buf, static_cast<std::size_t>(n));
                if (seen.find(pattern_) != std::string::npos) {
                    matched_ = held_ = true;
                    cv_.notify_all();
                    cv_.wait(g, [this] { return released_; });
                } else {
                    tail = seen.substr(seen.size() > pattern_.size() ? seen.size() - pattern_.size() : 0);
                }
            }
        }
        if (!send_all(to, buf, static_cast<std::size_t>(n))) break;
    }
    ::shutdown(to, SHUT_WR);
}

} // namespace pgmig_test
