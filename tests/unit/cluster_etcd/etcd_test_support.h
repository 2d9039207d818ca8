// Shared fixture of the cluster_etcd tests: one real etcd per test suite (starting one takes
// ~0.5 s) and a key prefix per test, so tests of a suite cannot see each other's keys.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "tests/unit/cluster_etcd/etcd_process.h"

namespace tessera::cluster::etcd::testing {

class EtcdSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { etcd_ = std::make_unique<tessera::testing::EtcdProcess>(); }
  static void TearDownTestSuite() { etcd_.reset(); }

  static std::string Endpoint() { return etcd_->Endpoint(); }

  static std::string Prefix() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return std::string("/test/") + info->test_suite_name() + "/" + info->name() + "/";
  }

  static inline std::unique_ptr<tessera::testing::EtcdProcess> etcd_;
};

// Polls `condition` until it holds or `timeout` passes; returns its last value.
inline bool WaitFor(const std::function<bool()>& condition,
                    std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return condition();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

// A loopback port where nothing listens (bound, then released).
inline int DeadPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

inline double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace tessera::cluster::etcd::testing
