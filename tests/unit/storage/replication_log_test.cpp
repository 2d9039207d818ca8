// The replication log (storage/replication_log.h): its record codec, the
// group committer recording every write transaction under a position in the
// same LMDB transaction, and a backup applying the records to end up with
// exactly the primary's databases.
#include <gtest/gtest.h>
#include <lmdb.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange
#include <boost/asio.hpp>

#include "common/error.h"
#include "common/fiber.h"
#include "storage/group_committer.h"
#include "storage/replication_log.h"

namespace tessera::storage {
namespace {

// One LMDB environment with databases "rows" and "meta" and a log, as a
// storage node has (the MVCC engine registers its own databases the same way).
class Replica {
 public:
  explicit Replica(std::filesystem::path dir) : dir_(std::move(dir)) { Open(); }
  ~Replica() { Close(); }

  void Open() {
    std::filesystem::create_directories(dir_);
    mdb_env_create(&env_);
    mdb_env_set_maxdbs(env_, 4);
    mdb_env_set_mapsize(env_, size_t{256} << 20);
    ASSERT_EQ(mdb_env_open(env_, dir_.c_str(), MDB_NOTLS | MDB_NOSYNC, 0644), MDB_SUCCESS);
    MDB_txn* txn = nullptr;
    mdb_txn_begin(env_, nullptr, 0, &txn);
    mdb_dbi_open(txn, "rows", MDB_CREATE, &rows_);
    mdb_dbi_open(txn, "meta", MDB_CREATE, &meta_);
    log_ = std::make_unique<ReplicationLog>(env_, txn);
    ASSERT_EQ(mdb_txn_commit(txn), MDB_SUCCESS);
    log_->RegisterDatabase(rows_, "rows");
    log_->RegisterDatabase(meta_, "meta");
    {
      MDB_txn* note = nullptr;
      mdb_txn_begin(env_, nullptr, 0, &note);
      log_->NoteHistoryBeforeLog(note);
      ASSERT_EQ(mdb_txn_commit(note), MDB_SUCCESS);
    }
    committer_ = std::make_unique<GroupCommitter>(env_);
    committer_->AttachLog(log_.get());
  }
  void Close() {
    committer_.reset();
    log_.reset();
    if (env_) mdb_env_close(env_);
    env_ = nullptr;
  }

  uint64_t Write(const WriteSet& writes, const WriteSet* meta_writes = nullptr) {
    CommitRequest request;
    request.kind = CommitRequest::Kind::kWrites;
    request.dbi = rows_;
    request.writes = &writes;
    if (meta_writes) request.more_writes.emplace_back(meta_, meta_writes);
    committer_->Submit(&request);
    return request.position;
  }
  uint64_t DeleteRange(std::string_view start, std::string_view end) {
    CommitRequest request;
    request.kind = CommitRequest::Kind::kDeleteRange;
    request.dbi = rows_;
    request.start = start;
    request.end = end;
    committer_->Submit(&request);
    return request.position;
  }
  int64_t Allocate(std::string_view name, int64_t count) {
    CommitRequest request;
    request.kind = CommitRequest::Kind::kAllocate;
    request.dbi = meta_;
    request.start = name;
    request.count = count;
    committer_->Submit(&request);
    return request.result;
  }
  uint64_t Apply(const std::vector<PositionedRecord>& records) {
    CommitRequest request;
    request.kind = CommitRequest::Kind::kApplyLog;
    request.records = &records;
    committer_->Submit(&request);
    return request.position;
  }
  void Trim(uint64_t below) {
    CommitRequest request;
    request.kind = CommitRequest::Kind::kTrimLog;
    request.trim_below = below;
    committer_->Submit(&request);
  }
  std::vector<std::pair<std::string, std::string>> Rows() {
    std::vector<std::pair<std::string, std::string>> out;
    MDB_txn* txn = nullptr;
    mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn);
    MDB_cursor* cursor = nullptr;
    mdb_cursor_open(txn, rows_, &cursor);
    MDB_val k, v;
    for (int rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST); rc == MDB_SUCCESS;
         rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT))
      out.emplace_back(std::string(static_cast<char*>(k.mv_data), k.mv_size),
                       std::string(static_cast<char*>(v.mv_data), v.mv_size));
    mdb_cursor_close(cursor);
    mdb_txn_abort(txn);
    return out;
  }

  ReplicationLog& Log() { return *log_; }
  GroupCommitter& Committer() { return *committer_; }
  MDB_env* Env() { return env_; }

 private:
  std::filesystem::path dir_;
  MDB_env* env_ = nullptr;
  MDB_dbi rows_ = 0, meta_ = 0;
  std::unique_ptr<ReplicationLog> log_;
  std::unique_ptr<GroupCommitter> committer_;
};

class ReplicationLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("tessera_replog_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    primary_ = std::make_unique<Replica>(root_ / "primary");
    backup_ = std::make_unique<Replica>(root_ / "backup");
  }
  void TearDown() override {
    primary_.reset();
    backup_.reset();
    std::filesystem::remove_all(root_);
  }
  // Ships everything the backup lacks, as a primary's shipper does.
  void CatchUp() {
    auto records = primary_->Log().Read(backup_->Log().LastPosition() + 1, size_t{1} << 20);
    backup_->Apply(records);
  }

  std::filesystem::path root_;
  std::unique_ptr<Replica> primary_, backup_;
};

TEST(LogRecordCodec, RoundTripsEveryKindOfOperation) {
  std::vector<LogOp> ops = {
      {LogOp::Kind::kPut, "rows", "k1", std::string("v\0x", 3)},
      {LogOp::Kind::kDelete, "rows", "k2", ""},
      {LogOp::Kind::kDeleteRange, "meta", "a", "m"},
      {LogOp::Kind::kPut, "meta", std::string(300, 'k'), std::string(70000, 'v')},
  };
  DecodedLogRecord decoded = DecodeLogRecord(EncodeLogRecord(42, ops));
  EXPECT_EQ(decoded.epoch, 42u);
  EXPECT_EQ(decoded.ops, ops);
}

TEST(LogRecordCodec, RefusesTruncatedAndUnknownBytes) {
  std::string bytes = EncodeLogRecord(7, {{LogOp::Kind::kPut, "rows", "key", "value"}});
  for (size_t cut = 1; cut < bytes.size(); ++cut) {
    // A cut right after the header is a valid record of no operations;
    // any other cut must throw, never yield a partial operation.
    try {
      EXPECT_TRUE(DecodeLogRecord(std::string_view(bytes).substr(0, cut)).ops.empty()) << "cut at " << cut;
    } catch (const SqlError& e) {
      EXPECT_EQ(e.Sqlstate(), "XX001");
    }
  }
  EXPECT_THROW(DecodeLogRecord(std::string("\x09", 1)), SqlError);  // unknown version
  std::string bad_op = EncodeLogRecord(1, {}) + std::string("\x07\x00", 2);
  EXPECT_THROW(DecodeLogRecord(bad_op), SqlError);
}

TEST_F(ReplicationLogTest, EveryWriteTransactionGetsTheNextPosition) {
  EXPECT_EQ(primary_->Log().LastPosition(), 0u);
  EXPECT_EQ(primary_->Write({{"a", "1"}}), 1u);
  EXPECT_EQ(primary_->Write({{"b", "2"}}), 2u);
  EXPECT_EQ(primary_->Allocate("seq", 10), 1);
  EXPECT_EQ(primary_->Log().LastPosition(), 3u);
  auto records = primary_->Log().Read(1, size_t{1} << 20);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].first, 1u);
  EXPECT_EQ(records[2].first, 3u);
  DecodedLogRecord first = DecodeLogRecord(records[0].second);
  ASSERT_EQ(first.ops.size(), 1u);
  EXPECT_EQ(first.ops[0].database, "rows");
  EXPECT_EQ(first.ops[0].key, "a");
  EXPECT_EQ(first.ops[0].value, "1");
}

TEST_F(ReplicationLogTest, ABackupApplyingTheLogHoldsExactlyThePrimarysData) {
  primary_->Write({{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}});
  WriteSet meta{{"catalog", "v1"}};
  primary_->Write({{"e", "5"}}, &meta);
  primary_->Write({{"b", std::nullopt}});  // delete
  primary_->DeleteRange("c", "e");          // removes c and d
  primary_->Allocate("ids", 100);
  CatchUp();
  EXPECT_EQ(backup_->Log().LastPosition(), primary_->Log().LastPosition());
  auto rows = backup_->Rows();
  std::vector<std::pair<std::string, std::string>> expected = {{"a", "1"}, {"e", "5"}};
  EXPECT_EQ(rows, expected);
  ReplicationLog::Checksum p = primary_->Log().TakeChecksum();
  ReplicationLog::Checksum b = backup_->Log().TakeChecksum();
  EXPECT_EQ(p.position, b.position);
  EXPECT_EQ(p.hash, b.hash);
  EXPECT_EQ(p.entries, b.entries);
  EXPECT_NE(primary_->Log().LastRecordHash(), 0u);
  EXPECT_EQ(primary_->Log().LastRecordHash(), backup_->Log().LastRecordHash());
  // The counter came across too: the backup would hand out the next range.
  EXPECT_EQ(backup_->Allocate("ids", 1), 101);
}

TEST_F(ReplicationLogTest, ChecksumsDifferWhenOneValueDiffers) {
  primary_->Write({{"a", "1"}});
  CatchUp();
  EXPECT_EQ(primary_->Log().TakeChecksum().hash, backup_->Log().TakeChecksum().hash);
  primary_->Write({{"a", "2"}});
  EXPECT_NE(primary_->Log().TakeChecksum().hash, backup_->Log().TakeChecksum().hash);
  CatchUp();
  EXPECT_EQ(primary_->Log().TakeChecksum().hash, backup_->Log().TakeChecksum().hash);
}

TEST_F(ReplicationLogTest, AGapIsRefusedAndAppliesNothing) {
  primary_->Write({{"a", "1"}});
  primary_->Write({{"b", "2"}});
  auto records = primary_->Log().Read(2, size_t{1} << 20);  // misses position 1
  EXPECT_THROW(backup_->Apply(records), SqlError);
  EXPECT_EQ(backup_->Log().LastPosition(), 0u);
  EXPECT_TRUE(backup_->Rows().empty());
  CatchUp();  // in order it works
  EXPECT_EQ(backup_->Rows().size(), 2u);
}

TEST_F(ReplicationLogTest, PositionsAndRecordsSurviveARestartAndTrimmingKeepsTheTail) {
  for (int i = 0; i < 10; ++i) primary_->Write({{"k" + std::to_string(i), "v"}});
  primary_->Close();
  primary_->Open();
  EXPECT_EQ(primary_->Log().LastPosition(), 10u);
  EXPECT_EQ(primary_->Log().FirstPosition(), 1u);
  uint64_t hash = primary_->Log().LastRecordHash();
  primary_->Close();
  primary_->Open();
  EXPECT_EQ(primary_->Log().LastRecordHash(), hash);  // read back at open
  primary_->Trim(7);
  EXPECT_EQ(primary_->Log().FirstPosition(), 7u);
  EXPECT_EQ(primary_->Log().LastPosition(), 10u);  // trimming is not a logged write
  EXPECT_EQ(primary_->Write({{"k10", "v"}}), 11u);
  auto records = primary_->Log().Read(1, size_t{1} << 20);
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records.front().first, 7u);
  primary_->Close();
  primary_->Open();
  EXPECT_EQ(primary_->Log().FirstPosition(), 7u);
  EXPECT_EQ(primary_->Log().LastPosition(), 11u);
}

TEST_F(ReplicationLogTest, DataFromBeforeTheLogIsMarkedForGood) {
  EXPECT_FALSE(primary_->Log().HasUnloggedHistory());
  // A data directory written without a log (before replication existed).
  auto plain = std::make_unique<Replica>(root_ / "old");
  plain->Committer().AttachLog(nullptr);
  plain->Write({{"old", "row"}});
  plain->Close();
  plain->Open();
  EXPECT_TRUE(plain->Log().HasUnloggedHistory());
  plain->Write({{"new", "row"}});
  plain->Trim(100);  // trimming never drops the mark
  plain->Close();
  plain->Open();
  EXPECT_TRUE(plain->Log().HasUnloggedHistory());
  EXPECT_EQ(plain->Log().LastPosition(), 1u);
  // A fresh directory that only ever wrote through the log is not marked.
  primary_->Write({{"a", "1"}});
  primary_->Close();
  primary_->Open();
  EXPECT_FALSE(primary_->Log().HasUnloggedHistory());
}

TEST_F(ReplicationLogTest, TheDurabilityBarrierSeesEachCommitsPositionBeforeSubmitReturns) {
  std::atomic<uint64_t> seen{0};
  primary_->Committer().SetDurabilityBarrier([&](uint64_t position) { seen = position; });
  uint64_t position = primary_->Write({{"a", "1"}});
  EXPECT_EQ(seen.load(), position);
  primary_->Write({{"b", "1"}});
  EXPECT_EQ(seen.load(), position + 1);
}

TEST_F(ReplicationLogTest, ACommitWaitingForItsBatchParksItsFiber) {
  // One worker thread runs every session's fiber, as the server's pool does
  // under load: a session waiting for the group committer (an fsync, say)
  // must give the thread back to the others.
  using namespace std::chrono_literals;
  MDB_txn* writer = nullptr;  // holds LMDB's writer lock, so the committer stalls
  ASSERT_EQ(mdb_txn_begin(primary_->Env(), nullptr, 0, &writer), MDB_SUCCESS);
  boost::asio::thread_pool pool(1);
  Fiber::Post post = [&pool](std::function<void()> task) { boost::asio::post(pool, std::move(task)); };
  std::atomic<bool> committed{false}, other_ran{false};
  post([&] { Fiber::Run(post, [&] { primary_->Write({{"a", "1"}}); committed = true; }); });
  std::this_thread::sleep_for(100ms);  // the commit waits for its batch
  post([&] { Fiber::Run(post, [&] { other_ran = true; }); });
  for (int i = 0; i < 200 && !other_ran.load(); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(other_ran.load()) << "the waiting commit held the only worker";
  EXPECT_FALSE(committed.load()) << "the commit did not wait for the writer lock";
  mdb_txn_abort(writer);
  for (int i = 0; i < 500 && !committed.load(); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(committed.load()) << "the commit never resumed";
  pool.join();  // only now: a parked fiber is no work the pool waits for
}

TEST_F(ReplicationLogTest, ConcurrentCommitsShareLogRecordsAndAllReplicate) {
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t)
    writers.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) primary_->Write({{"t" + std::to_string(t) + "_" + std::to_string(i), "v"}});
    });
  for (auto& w : writers) w.join();
  EXPECT_LE(primary_->Log().LastPosition(), 400u);  // batched: at most one record per commit
  CatchUp();
  while (backup_->Log().LastPosition() < primary_->Log().LastPosition()) CatchUp();
  EXPECT_EQ(backup_->Rows().size(), 400u);
  EXPECT_EQ(primary_->Log().TakeChecksum().hash, backup_->Log().TakeChecksum().hash);
}

}  // namespace
}  // namespace tessera::storage
