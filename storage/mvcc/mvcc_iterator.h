// Iterator over [start, end) for an MVCC transaction: the keys its snapshot
// sees (VersionCursor) merged with its own buffered writes, which win where
// both hold a key; a buffered delete hides the snapshot's key.
#pragma once

#include <lmdb.h>

#include <string>

#include "storage/engine.h"
#include "storage/group_committer.h"
#include "storage/mvcc/version_reader.h"

namespace tessera::storage::mvcc {

class MvccIterator final : public Iterator {
 public:
  MvccIterator(MDB_txn* txn, MDB_dbi dbi, Timestamp snapshot, const WriteSet& writes, std::string_view start,
               std::string_view end);

  bool Valid() const override { return source_ != Source::kNone; }
  void Next() override;
  std::string_view Key() const override;
  std::string_view Value() const override;

 private:
  enum class Source : uint8_t { kNone, kStore, kWrites };

  bool WriteInRange() const { return write_it_ != writes_.end() && (end_.empty() || write_it_->first < end_); }
  void Settle();

  VersionCursor store_;
  const WriteSet& writes_;
  WriteSet::const_iterator write_it_;
  std::string end_;
  Source source_ = Source::kNone;
};

}  // namespace tessera::storage::mvcc
