// The COPY sub-protocol through the protocol handler, with a session that
// only copies: CopyInResponse / CopyData / CopyDone / CopyFail in the simple
// and extended flows, CopyOutResponse, errors and the message-length limit.
#include <gtest/gtest.h>

#include "tests/unit/wire/wire_test_util.h"
#include "wire/protocol_handler.h"

namespace tessera::wire::testing {
namespace {

// "copyin": reads everything, tag "COPY <lines>"; "copyout": two lines.
class CopySession final : public Session {
 public:
  void Start(const std::map<std::string, std::string>&) override {}
  std::vector<std::pair<std::string, std::string>> ReportedParameters() const override { return {}; }
  std::vector<std::pair<std::string, std::string>> TakeChangedParameters() override { return {}; }
  const TextFormat& Format() const override { return format_; }
  void ExecuteSimple(const std::string& sql, ResultSink& sink) override { Run(sql, sink); }
  std::shared_ptr<PreparedStatement> Prepare(const std::string& sql, const std::vector<Type>&) override {
    return std::make_shared<Statement>(sql);
  }
  std::unique_ptr<Portal> Bind(std::shared_ptr<PreparedStatement> statement, std::vector<Value>) override {
    return std::make_unique<CopyPortal>(*this, static_cast<Statement&>(*statement).sql);
  }
  void Sync() override { ++syncs; }
  void OnError() override {}
  TxnStatus Status() const override { return TxnStatus::kIdle; }
  void Cancel() override {}
  void Terminate() override {}

  std::string received;
  int syncs = 0;

 private:
  struct Statement final : PreparedStatement {
    explicit Statement(std::string s) : sql(std::move(s)) {}
    const std::vector<Type>& ParamTypes() const override { return none; }
    const std::vector<ColumnDesc>& ResultColumns() const override { return columns; }
    const std::string& Sql() const override { return sql; }
    std::string sql;
    std::vector<Type> none;
    std::vector<ColumnDesc> columns;
  };
  class CopyPortal final : public Portal {
   public:
    CopyPortal(CopySession& session, std::string sql) : session_(session), sql_(std::move(sql)) {}
    const std::vector<ColumnDesc>& ResultColumns() const override { return columns_; }
    bool Execute(size_t, ResultSink& sink) override {
      session_.Run(sql_, sink);
      return true;
    }

   private:
    CopySession& session_;
    std::string sql_;
    std::vector<ColumnDesc> columns_;
  };

  void Run(const std::string& sql, ResultSink& sink) {
    if (sql == "copyin") {
      sink.CopyInBegin(false, 2);
      std::string chunk;
      while (sink.CopyInNext(chunk)) received += chunk;
      sink.Complete("COPY " + std::to_string(std::count(received.begin(), received.end(), '\n')));
    } else if (sql == "copyout") {
      sink.CopyOutBegin(false, 1);
      sink.CopyOutData("a\n");
      sink.CopyOutData("b\n");
      sink.CopyOutDone();
      sink.Complete("COPY 2");
    } else {
      throw SqlError::Syntax(sql, 1);
    }
  }

  TextFormat format_;
};

class CopyFactory final : public SessionFactory {
 public:
  std::unique_ptr<Session> NewSession() override {
    auto session = std::make_unique<CopySession>();
    last = session.get();
    return session;
  }
  CopySession* last = nullptr;
};

std::string CopyData(const std::string& data) { return Typed('d', data); }
std::string CopyDone() { return Typed('c', ""); }
std::string CopyFail(const std::string& reason) {
  WriteBuffer b;
  b.PutCString(reason);
  return Typed('f', b.Data());
}

class CopyProtocolTest : public ::testing::Test {
 protected:
  explicit CopyProtocolTest(HandlerOptions options = {}) : handler_(factory_, out_, registry_, options) {}
  void SetUp() override {
    handler_.Feed(DefaultStartup());
    ASSERT_EQ(out_.Take().back().type, 'Z');
  }
  std::vector<BackendMessage> Send(const std::string& bytes) {
    handler_.Feed(bytes);
    return out_.Take();
  }

  CopyFactory factory_;
  StringOutput out_;
  CancelRegistry registry_;
  ProtocolHandler handler_;
};

TEST_F(CopyProtocolTest, SimpleCopyInReadsDataUntilCopyDone) {
  auto messages = Send(Query("copyin") + CopyData("1\t2\n") + CopyData("3\t4\n") + CopyDone());
  ASSERT_EQ(Types(messages), "GCZ");
  // Overall format text, two columns, each text.
  EXPECT_EQ(messages[0].body, std::string("\0\0\2\0\0\0\0", 7));
  EXPECT_EQ(messages[1].body, std::string("COPY 2\0", 7));
  EXPECT_EQ(factory_.last->received, "1\t2\n3\t4\n");
}

TEST_F(CopyProtocolTest, CopyInResponseIsFlushedBeforeDataArrives) {
  auto messages = Send(Query("copyin"));  // no data yet: the COPY sees EOF
  ASSERT_GE(messages.size(), 1u);
  EXPECT_EQ(messages[0].type, 'G');
}

TEST_F(CopyProtocolTest, CopyFailIs57014AndLaterCopyMessagesAreIgnored) {
  auto messages = Send(Query("copyin") + CopyData("1\n") + CopyFail("client gave up") + CopyData("x") + CopyDone());
  ASSERT_EQ(Types(messages), "GEZ");
  EXPECT_EQ(messages[1].Field('C'), "57014");
  EXPECT_EQ(messages[1].Field('M'), "COPY from stdin failed: client gave up");
  EXPECT_FALSE(out_.closed);
}

TEST_F(CopyProtocolTest, OtherMessageDuringCopyIsAnError) {
  auto messages = Send(Query("copyin") + CopyData("1\n") + Query("copyout") + CopyDone());
  ASSERT_EQ(Types(messages), "GEZ");
  EXPECT_EQ(messages[1].Field('C'), "08P01");
  EXPECT_EQ(messages[1].Field('M'), "unexpected message type 0x51 during COPY from stdin");
}

TEST_F(CopyProtocolTest, ExtendedCopyInSkipsThePipelinedSync) {
  // libpq sends Parse/Bind/Describe/Execute/Sync, then the data, CopyDone and Sync.
  auto messages = Send(Parse("", "copyin") + Bind("", "", {}, {}, {}) + Execute("", 0) + Sync() +
                       CopyData("a\n") + CopyDone() + Sync());
  ASSERT_EQ(Types(messages), "12GCZ");
  EXPECT_EQ(factory_.last->received, "a\n");
}

TEST_F(CopyProtocolTest, CopyOutSendsResponseDataAndDone) {
  auto messages = Send(Query("copyout"));
  ASSERT_EQ(Types(messages), "HddcCZ");
  EXPECT_EQ(messages[0].body, std::string("\0\0\1\0\0", 5));
  EXPECT_EQ(messages[1].body, "a\n");
  EXPECT_EQ(messages[2].body, "b\n");
}

TEST_F(CopyProtocolTest, ExtendedCopyOut) {
  auto messages = Send(Parse("", "copyout") + Bind("", "", {}, {}, {}) + Execute("", 0) + Sync());
  ASSERT_EQ(Types(messages), "12HddcCZ");
}

class CopyLimitTest : public CopyProtocolTest {
 protected:
  static HandlerOptions Small() {
    HandlerOptions options;
    options.limits.max_message_length = 1000;
    return options;
  }
  CopyLimitTest() : CopyProtocolTest(Small()) {}
};

TEST_F(CopyLimitTest, OversizedCopyDataIsFatal) {
  auto messages = Send(Query("copyin") + CopyData(std::string(5000, 'x')));
  ASSERT_EQ(Types(messages), "GE");
  EXPECT_EQ(messages[1].Field('S'), "FATAL");
  EXPECT_EQ(messages[1].Field('C'), "08P01");
  EXPECT_TRUE(out_.closed);
}

}  // namespace
}  // namespace tessera::wire::testing
