// A real, throwaway etcd server for tests (Debian's /usr/bin/etcd): free loopback ports, a
// temporary data dir, output in <dir>/etcd.log. Header-only and free of project dependencies so
// any test target can use it. Stop()/Start() restart it on the same ports and data, for tests of
// reconnection. The child gets SIGKILL if the test process dies, so crashed runs leave no etcd.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace tessera::testing {

class EtcdProcess {
 public:
  EtcdProcess() {
    char dir_template[] = "/tmp/tessera-etcd-XXXXXX";
    if (!::mkdtemp(dir_template)) throw std::runtime_error("EtcdProcess: mkdtemp failed");
    dir_ = dir_template;
    // Another process (tests run in parallel under ctest -j) may take a port between our choice
    // and etcd's bind: then etcd exits at once, and we try fresh ports.
    for (int attempt = 1;; ++attempt) {
      // Both ports are held while choosing, so they differ.
      int client_socket = BindFreePort(client_port_);
      int peer_socket = BindFreePort(peer_port_);
      ::close(client_socket);
      ::close(peer_socket);
      try {
        Start();
        return;
      } catch (const std::runtime_error&) {
        if (attempt == 3) throw;
        std::error_code ignored;
        std::filesystem::remove_all(dir_ + "/data", ignored);
      }
    }
  }

  ~EtcdProcess() {
    Stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  EtcdProcess(const EtcdProcess&) = delete;
  EtcdProcess& operator=(const EtcdProcess&) = delete;

  // "http://127.0.0.1:<port>", valid across restarts.
  std::string Endpoint() const { return "http://127.0.0.1:" + std::to_string(client_port_); }
  int ClientPort() const { return client_port_; }
  std::string LogPath() const { return dir_ + "/etcd.log"; }
  bool Running() const { return pid_ > 0; }
  // SIGSTOP / SIGCONT: an etcd that accepts connections and answers nothing (as one busy
  // electing a leader of its own does for a while).
  void Pause() { ::kill(pid_, SIGSTOP); }
  void Resume() { ::kill(pid_, SIGCONT); }

  // Starts etcd (again) and waits until it serves requests; throws std::runtime_error otherwise.
  void Start(std::chrono::seconds wait = std::chrono::seconds(15)) {
    if (pid_ > 0) return;
    std::string client_url = Endpoint();
    std::string peer_url = "http://127.0.0.1:" + std::to_string(peer_port_);
    // A short heartbeat makes startup fast and lets etcd grant 1 s leases (its minimum TTL is
    // 1.5 election timeouts, rounded up to whole seconds).
    // clang-format off
    std::vector<std::string> args = {
        "/usr/bin/etcd",
        "--name", "t",
        "--data-dir", dir_ + "/data",
        "--listen-client-urls", client_url,
        "--advertise-client-urls", client_url,
        "--listen-peer-urls", peer_url,
        "--initial-advertise-peer-urls", peer_url,
        "--initial-cluster", "t=" + peer_url,
        "--heartbeat-interval", "50",
        "--election-timeout", "500"};
    // clang-format on
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::string log = LogPath();
    pid_t parent = ::getpid();

    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("EtcdProcess: fork failed");
    if (pid == 0) {  // only async-signal-safe calls until exec
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(1);
      int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
        ::close(fd);
      }
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    pid_ = pid;

    auto deadline = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("EtcdProcess: etcd exited during startup; log:\n" + LogTail());
      }
      if (Healthy()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Stop();
    throw std::runtime_error("EtcdProcess: etcd not ready after " + std::to_string(wait.count()) + " s; log:\n" +
                             LogTail());
  }

  // SIGTERM, then SIGKILL if it has not exited within 5 s.
  void Stop() { Terminate(SIGTERM, std::chrono::seconds(5)); }
  // SIGKILL at once: a crash.
  void Kill() { Terminate(SIGKILL, std::chrono::seconds(5)); }

  std::string LogTail(size_t bytes = 4000) const {
    std::ifstream in(LogPath());
    std::stringstream text;
    text << in.rdbuf();
    std::string all = text.str();
    return all.size() > bytes ? all.substr(all.size() - bytes) : all;
  }

 private:
  static int BindFreePort(int& port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw std::runtime_error("EtcdProcess: cannot find a free port");
    }
    port = ntohs(addr.sin_port);
    return fd;
  }

  void Terminate(int signal, std::chrono::seconds grace) {
    if (pid_ <= 0) return;
    ::kill(pid_, signal);
    auto deadline = std::chrono::steady_clock::now() + grace;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() >= deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
  }

  // etcd's /health says "true" only once it has a leader, i.e. can serve requests.
  bool Healthy() const {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return false;
    timeval timeout{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(client_port_));
    std::string answer;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      const char request[] = "GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
      if (::send(fd, request, sizeof request - 1, MSG_NOSIGNAL) == static_cast<ssize_t>(sizeof request - 1)) {
        char buffer[1024];
        ssize_t n;
        while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) answer.append(buffer, static_cast<size_t>(n));
      }
    }
    ::close(fd);
    return answer.find("\"health\":\"true\"") != std::string::npos;
  }

  std::string dir_;
  int client_port_ = 0;
  int peer_port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace tessera::testing
