// Transaction records: the durable decision of a distributed transaction,
// kept by its primary participant (Percolator style). The record is opaque
// bytes (the cluster encodes "committed at C" or "aborted"), stored in the
// plain LMDB database "mvcc_txn_records" keyed by the external id.
//
// The decision is made by whichever writer gets there first: the primary's
// CommitAt (record written in the same LMDB transaction as its versions) or
// a cleaner's PutIfAbsent("aborted") for a coordinator that went silent.
// Both are check-then-write, so writers of one id take its latch (an
// in-memory per-id lock) around the check and the write; writers of
// different ids do not wait for each other and still share group commits.
// Every writer of this database goes through here, so the latch is enough.
#pragma once

#include <lmdb.h>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

namespace tessera::storage::mvcc {

class MvccEngine;

inline constexpr std::string_view kTxnRecordsDb = "mvcc_txn_records";

class TxnRecords {
 public:
  // Holds one id's latch until destroyed.
  class Latch {
   public:
    Latch() = default;
    Latch(TxnRecords* owner, std::string id) : owner_(owner), id_(std::move(id)) {}
    Latch(Latch&& other) noexcept : owner_(other.owner_), id_(std::move(other.id_)) { other.owner_ = nullptr; }
    Latch& operator=(Latch&& other) noexcept;
    Latch(const Latch&) = delete;
    Latch& operator=(const Latch&) = delete;
    ~Latch() { Release(); }

   private:
    void Release();
    TxnRecords* owner_ = nullptr;
    std::string id_;
  };

  TxnRecords(MvccEngine* engine, MDB_dbi dbi) : engine_(engine), dbi_(dbi) {}

  MDB_dbi Dbi() const { return dbi_; }
  // Throws 54000 if `id` cannot be an LMDB key.
  void CheckId(std::string_view id) const;
  // Blocks until no other writer holds `id`.
  Latch Lock(std::string_view id);
  // The stored record, on a fresh LMDB snapshot.
  std::optional<std::string> Get(std::string_view id);
  std::string PutIfAbsent(std::string_view id, std::string_view record);
  void Delete(std::string_view id);

 private:
  void Unlock(const std::string& id);
  void Submit(std::string_view id, std::optional<std::string> record);

  MvccEngine* engine_;
  MDB_dbi dbi_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::unordered_set<std::string> busy_;
};

}  // namespace tessera::storage::mvcc
