// Iterator over [start, end) that merges a transaction's write set over an
// LMDB snapshot: where both hold a key the write set wins, and a delete in
// the write set hides the snapshot's key. Both sources are already sorted,
// so this is a two-way merge that never copies keys or values: Key() and
// Value() point into LMDB's map or into the write set.
#pragma once

#include <lmdb.h>

#include <string>

#include "storage/engine.h"
#include "storage/group_committer.h"

namespace tessera::storage {

class MergingIterator final : public Iterator {
 public:
  MergingIterator(MDB_txn* txn, MDB_dbi dbi, const WriteSet& writes, std::string_view start, std::string_view end);
  ~MergingIterator() override;

  bool Valid() const override { return source_ != Source::kNone; }
  void Next() override;
  std::string_view Key() const override;
  std::string_view Value() const override;

 private:
  enum class Source : uint8_t { kNone, kStore, kWrites };

  bool InRange(std::string_view key) const { return end_.empty() || key < end_; }
  void StoreSeek(std::string_view start);
  void StoreNext();
  void StoreFetch(int rc);
  // Chooses the next visible entry from the two heads.
  void Settle();

  MDB_cursor* cursor_ = nullptr;
  bool store_valid_ = false;
  MDB_val store_key_{};
  MDB_val store_value_{};
  const WriteSet& writes_;
  WriteSet::const_iterator write_it_;
  std::string end_;
  Source source_ = Source::kNone;
};

}  // namespace tessera::storage
