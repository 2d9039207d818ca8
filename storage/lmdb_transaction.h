// Transaction over one LMDB database: reads come from a read-only LMDB
// transaction opened at Begin (the snapshot), writes wait in an ordered
// in-memory write set and reach LMDB only at Commit, through the engine's
// group committer. Reads merge the write set over the snapshot, so a
// transaction sees its own writes; a transaction that never wrote commits
// without touching the committer.
#pragma once

#include <lmdb.h>

#include "storage/engine.h"
#include "storage/group_committer.h"

namespace tessera::storage {

class LmdbEngine;

class LmdbTransaction final : public Transaction {
 public:
  LmdbTransaction(LmdbEngine* engine, MDB_dbi dbi);
  ~LmdbTransaction() override;  // rolls back if still open

  std::optional<std::string> Get(std::string_view key) override;
  void Put(std::string_view key, std::string_view value) override;
  void Delete(std::string_view key) override;
  std::unique_ptr<Iterator> Scan(std::string_view start, std::string_view end) override;
  void Commit() override;
  void Rollback() override;
  bool HasWrites() const override { return !writes_.empty(); }

 private:
  void CheckKey(std::string_view key) const;
  void ReleaseSnapshot();

  LmdbEngine* engine_;
  MDB_dbi dbi_;
  MDB_txn* reader_ = nullptr;  // null once finished
  WriteSet writes_;
};

}  // namespace tessera::storage
