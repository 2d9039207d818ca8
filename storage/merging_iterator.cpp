#include "storage/merging_iterator.h"

#include "common/error.h"
#include "storage/lmdb_util.h"

namespace tessera::storage {

MergingIterator::MergingIterator(MDB_txn* txn, MDB_dbi dbi, const WriteSet& writes, std::string_view start,
                                 std::string_view end)
    : writes_(writes), write_it_(writes.lower_bound(start)), end_(end) {
  CheckLmdb(mdb_cursor_open(txn, dbi, &cursor_), "mdb_cursor_open");
  StoreSeek(start);
  Settle();
}

MergingIterator::~MergingIterator() { mdb_cursor_close(cursor_); }

void MergingIterator::StoreSeek(std::string_view start) {
  if (start.empty()) {
    StoreFetch(mdb_cursor_get(cursor_, &store_key_, &store_value_, MDB_FIRST));
    return;
  }
  store_key_ = ToVal(start);
  StoreFetch(mdb_cursor_get(cursor_, &store_key_, &store_value_, MDB_SET_RANGE));
}

void MergingIterator::StoreNext() { StoreFetch(mdb_cursor_get(cursor_, &store_key_, &store_value_, MDB_NEXT)); }

void MergingIterator::StoreFetch(int rc) {
  if (rc == MDB_NOTFOUND) {
    store_valid_ = false;
    return;
  }
  CheckLmdb(rc, "mdb_cursor_get");
  store_valid_ = InRange(FromVal(store_key_));
}

void MergingIterator::Settle() {
  for (;;) {
    bool has_write = write_it_ != writes_.end() && InRange(write_it_->first);
    if (!has_write) {
      source_ = store_valid_ ? Source::kStore : Source::kNone;
      return;
    }
    if (store_valid_) {
      std::string_view store_key = FromVal(store_key_);
      if (store_key < write_it_->first) {
        source_ = Source::kStore;
        return;
      }
      if (store_key == write_it_->first) StoreNext();  // shadowed by our own write
    }
    if (write_it_->second) {
      source_ = Source::kWrites;
      return;
    }
    ++write_it_;  // our own delete: hide it
  }
}

void MergingIterator::Next() {
  TS_ASSERT(source_ != Source::kNone, "Next on an exhausted iterator");
  if (source_ == Source::kWrites) {
    ++write_it_;
  } else {
    StoreNext();
  }
  Settle();
}

std::string_view MergingIterator::Key() const {
  return source_ == Source::kWrites ? std::string_view(write_it_->first) : FromVal(store_key_);
}

std::string_view MergingIterator::Value() const {
  return source_ == Source::kWrites ? std::string_view(*write_it_->second) : FromVal(store_value_);
}

}  // namespace tessera::storage
