#include "storage/mvcc/mvcc_iterator.h"

namespace tessera::storage::mvcc {

MvccIterator::MvccIterator(MDB_txn* txn, MDB_dbi dbi, Timestamp snapshot, const WriteSet& writes,
                           std::string_view start, std::string_view end)
    : store_(txn, dbi, snapshot, start, end), writes_(writes), write_it_(writes.lower_bound(start)), end_(end) {
  Settle();
}

void MvccIterator::Settle() {
  for (;;) {
    bool has_write = WriteInRange();
    if (!has_write) {
      source_ = store_.Valid() ? Source::kStore : Source::kNone;
      return;
    }
    if (store_.Valid() && store_.Key() < write_it_->first) {
      source_ = Source::kStore;
      return;
    }
    // The write set holds the smallest key: it shadows the snapshot's entry.
    if (store_.Valid() && store_.Key() == write_it_->first) store_.Next();
    if (!write_it_->second) {
      ++write_it_;
      continue;
    }
    source_ = Source::kWrites;
    return;
  }
}

void MvccIterator::Next() {
  if (source_ == Source::kWrites) ++write_it_;
  if (source_ == Source::kStore) store_.Next();
  Settle();
}

std::string_view MvccIterator::Key() const {
  return source_ == Source::kWrites ? std::string_view(write_it_->first) : store_.Key();
}

std::string_view MvccIterator::Value() const {
  return source_ == Source::kWrites ? std::string_view(*write_it_->second) : store_.Value();
}

}  // namespace tessera::storage::mvcc
