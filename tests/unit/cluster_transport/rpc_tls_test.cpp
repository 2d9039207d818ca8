// Mutual TLS on the transport (link_tls.h): calls of every shape work over
// it, and a peer without a certificate of the cluster CA — plain TCP, TLS
// without a client certificate, another CA's certificate, or a server whose
// certificate does not name the dialled address — gets no request through.
// (A TLS client without any certificate is refused too: see
// tests/cluster/link_security.py, which can make one.)
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "cluster/transport/link_certificates.h"
#include "cluster/transport/link_tls.h"
#include "tests/unit/cluster_transport/transport_test_util.h"

namespace tessera::cluster::transport::testing {
namespace {

constexpr uint16_t kEcho = 1;
constexpr uint16_t kStream = 2;
constexpr uint16_t kBigStream = 3;

LinkTls Issue(const std::string& dir, const std::string& name, const std::vector<std::string>& hosts = {}) {
  IssuedCertificate issued = IssueLinkCertificate(dir, name, hosts);
  return LinkTls{issued.ca_file, issued.cert_file, issued.key_file};
}

class RpcTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(std::filesystem::temp_directory_path() / ("tessera-rpc-tls-" + std::to_string(getpid())));
    cluster_ = new LinkTls(Issue(*dir_ + "/cluster", "node"));
    foreign_ = new LinkTls(Issue(*dir_ + "/foreign", "node"));
    // Signed by the cluster CA, but for an address the tests never dial.
    elsewhere_ = new LinkTls(Issue(*dir_ + "/cluster", "elsewhere", {"10.9.9.9"}));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete cluster_;
    delete foreign_;
    delete elsewhere_;
  }

  std::unique_ptr<RpcServer> StartServer(const LinkTls& tls) {
    auto server = std::make_unique<RpcServer>("127.0.0.1", 0, 1, 8, tls);
    server->Register(kEcho, [this](std::string_view payload, ResponseStream&) {
      ++handled_;
      return std::string(payload);
    });
    server->Register(kStream, [this](std::string_view payload, ResponseStream& stream) {
      ++handled_;
      const int count = std::stoi(std::string(payload));
      for (int i = 0; i < count; ++i) stream.Send(std::string(100, 'a' + i % 26));
      return std::string("end");
    });
    // Payload = chunk count; chunks of 64 KiB (larger than a TLS record and
    // than the read buffer's small-frame limit), each filled with its index.
    server->Register(kBigStream, [this](std::string_view payload, ResponseStream& stream) {
      ++handled_;
      const int count = std::stoi(std::string(payload));
      for (int i = 0; i < count; ++i) stream.Send(std::string(64 << 10, static_cast<char>(i % 251)));
      return std::string("end");
    });
    server->Start();
    return server;
  }

  // A call that must not get through: 08006, and no handler ran.
  void ExpectRefused(RpcClient& client, const RpcServer& server) {
    CallOptions options;
    options.timeout = 3000ms;
    const SqlError error = CatchSqlError([&] { client.Call(AddressOf(server), kEcho, "let me in", options); });
    EXPECT_EQ(error.Sqlstate(), "08006") << error.what();
    EXPECT_EQ(handled_.load(), 0);
  }

  static std::string* dir_;
  static LinkTls* cluster_;
  static LinkTls* foreign_;
  static LinkTls* elsewhere_;
  std::atomic<int> handled_{0};
};

std::string* RpcTlsTest::dir_ = nullptr;
LinkTls* RpcTlsTest::cluster_ = nullptr;
LinkTls* RpcTlsTest::foreign_ = nullptr;
LinkTls* RpcTlsTest::elsewhere_ = nullptr;

TEST_F(RpcTlsTest, CallsOfEveryShapeWorkOverMutualTls) {
  auto server = StartServer(*cluster_);
  RpcClient client(1, *cluster_);
  EXPECT_EQ(client.Call(AddressOf(*server), kEcho, "hello"), "hello");
  // Larger than the 64 KiB read buffer and than one TLS record: the large-frame path.
  const std::string big(3 << 20, 'x');
  EXPECT_EQ(client.Call(AddressOf(*server), kEcho, big), big);
  size_t chunks = 0;
  EXPECT_EQ(client.Call(AddressOf(*server), kStream, "5000", {}, [&](std::string&& chunk) {
    EXPECT_EQ(chunk.size(), 100u);
    ++chunks;
  }),
            "end");
  EXPECT_EQ(chunks, 5000u);
  // Many threads share the one connection; frames of several calls share TLS records.
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string payload = std::to_string(t) + ":" + std::to_string(i);
        if (client.Call(AddressOf(*server), kEcho, payload) == payload) ++good;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(good.load(), 1600);
  EXPECT_EQ(client.Stats().connections_opened, 1u);
}

// 40 MiB streamed to a caller that consumes slowly, while short calls share
// the connection: whoever reads (the caller itself, or the I/O thread, which
// then pauses with plaintext still inside the TLS session), no byte is lost
// or reordered.
TEST_F(RpcTlsTest, LargeStreamWithBackpressureArrivesWhole) {
  auto server = StartServer(*cluster_);
  RpcClient client(1, *cluster_);
  int received = 0;
  bool intact = true;
  std::thread other([&] {
    for (int i = 0; i < 50; ++i) {
      try {
        EXPECT_EQ(client.Call(AddressOf(*server), kEcho, "ping"), "ping");
      } catch (const SqlError& error) {
        ADD_FAILURE() << error.what();
      }
    }
  });
  const std::string result = client.Call(AddressOf(*server), kBigStream, "640", {}, [&](std::string&& chunk) {
    if (chunk.size() != (64u << 10) || chunk.front() != static_cast<char>(received % 251) ||
        chunk.back() != static_cast<char>(received % 251)) {
      intact = false;
    }
    if (++received % 64 == 0) std::this_thread::sleep_for(20ms);  // a slow consumer
  });
  other.join();
  EXPECT_EQ(result, "end");
  EXPECT_EQ(received, 640);
  EXPECT_TRUE(intact);
}

TEST_F(RpcTlsTest, PlainClientGetsNothing) {
  auto server = StartServer(*cluster_);
  RpcClient plain;
  ExpectRefused(plain, *server);
}

TEST_F(RpcTlsTest, CertificateOfAnotherCaGetsNothing) {
  auto server = StartServer(*cluster_);
  RpcClient client(1, *foreign_);
  ExpectRefused(client, *server);
}

TEST_F(RpcTlsTest, ClientRefusesServerWhoseCertificateNamesAnotherAddress) {
  auto server = StartServer(*elsewhere_);
  RpcClient client(1, *cluster_);
  ExpectRefused(client, *server);
}

TEST_F(RpcTlsTest, TlsClientRefusesPlainServer) {
  auto server = StartServer(LinkTls{});
  RpcClient client(1, *cluster_);
  ExpectRefused(client, *server);
}

TEST_F(RpcTlsTest, IncompleteOrMismatchedFilesAreRefusedAtStart) {
  LinkTls missing_key = *cluster_;
  missing_key.key_file.clear();
  EXPECT_THROW(CheckLinkTls(missing_key), std::runtime_error);
  LinkTls mismatched = *cluster_;
  mismatched.key_file = foreign_->key_file;
  EXPECT_THROW(CheckLinkTls(mismatched), std::runtime_error);
  EXPECT_NO_THROW(CheckLinkTls(*cluster_));
  EXPECT_THROW(RpcServer("127.0.0.1", 0, 1, 1, mismatched), std::runtime_error);
}

}  // namespace
}  // namespace tessera::cluster::transport::testing
