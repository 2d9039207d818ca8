// Memory accounting: the server's limit (`--memory-limit`) is a MemoryPool;
// a statement (or a transaction's write set) charges a MemoryAccount, which
// has its own limit and takes its bytes from the pool in 1 MiB chunks, so
// the shared atomic is touched once a megabyte, not once a row. Past either
// limit, Grow throws 53200 "out of memory" as PostgreSQL does, and the
// account returns everything to the pool when it is destroyed.
//
// The figures are estimates of what operators hold (rows, keys, hash table
// nodes: EstimateRowBytes), not a malloc hook: they bound the big buffers
// that grow with the data, which is where a query's memory goes.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "common/value.h"

namespace tessera {

class MemoryPool {
 public:
  explicit MemoryPool(int64_t limit = 0) : limit_(limit) {}
  // The process's pool: what `--memory-limit` sets. Unlimited until set.
  static MemoryPool& Server();
  // A quarter of physical memory: the default of --memory-limit.
  static int64_t DefaultLimit();

  // 0: unlimited.
  void SetLimit(int64_t bytes) { limit_.store(bytes, std::memory_order_relaxed); }
  int64_t Limit() const { return limit_.load(std::memory_order_relaxed); }
  int64_t Used() const { return used_.load(std::memory_order_relaxed); }
  // False (and nothing taken) when `bytes` more would pass the limit.
  bool TryReserve(int64_t bytes);
  void Release(int64_t bytes) { used_.fetch_sub(bytes, std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> limit_;
  std::atomic<int64_t> used_{0};
};

// Bytes taken straight from a pool by an owner that may pass between
// threads (a big protocol message read on the I/O thread and freed by the
// worker that ran it). The constructor throws 53200 when the pool cannot
// give them, naming `context`.
class PoolReservation {
 public:
  PoolReservation(int64_t bytes, const char* context, MemoryPool* pool = &MemoryPool::Server());
  ~PoolReservation() { pool_->Release(bytes_); }
  PoolReservation(const PoolReservation&) = delete;
  PoolReservation& operator=(const PoolReservation&) = delete;
  int64_t Bytes() const { return bytes_; }

 private:
  int64_t bytes_;
  MemoryPool* pool_;
};

// One statement's (or write set's) memory. Used by one thread at a time.
class MemoryAccount {
 public:
  static constexpr int64_t kChunk = 1 << 20;

  // `limit` 0: only the pool's limit applies. `name` is the memory context
  // named in the error's DETAIL; `limit_name` says in its HINT what set the
  // limit ("<limit_name>: 64MB.").
  MemoryAccount(std::string name, int64_t limit,
                std::string limit_name = "Per-statement limit (tessera.statement_memory_limit)",
                MemoryPool* pool = &MemoryPool::Server())
      : name_(std::move(name)), limit_name_(std::move(limit_name)), limit_(limit), pool_(pool) {
    UpdateThreshold();
  }
  ~MemoryAccount() { ReleaseAll(); }
  MemoryAccount(const MemoryAccount&) = delete;
  MemoryAccount& operator=(const MemoryAccount&) = delete;

  // Charges `bytes` more; 53200 when that passes this account's limit or
  // the pool's (then nothing is charged). `context` names what grew in the
  // error (default: the account's name).
  void Grow(int64_t bytes, const char* context = nullptr) {
    used_ += bytes;
    if (used_ > threshold_) GrowSlow(bytes, context);
  }
  // The most charged at once (reserved: whole chunks), for TrimWhenDone.
  int64_t Peak() const { return peak_reserved_; }
  // Gives back `bytes` charged earlier; whole spare chunks go back to the pool.
  void Shrink(int64_t bytes);
  // Back to zero: everything returns to the pool.
  void ReleaseAll();

  int64_t Used() const { return used_; }
  int64_t Limit() const { return limit_; }
  void SetLimit(int64_t bytes) {
    limit_ = bytes;
    UpdateThreshold();
  }
  const std::string& Name() const { return name_; }

 private:
  void GrowSlow(int64_t bytes, const char* context);
  void UpdateThreshold() { threshold_ = limit_ > 0 && limit_ < reserved_ ? limit_ : reserved_; }

  std::string name_;
  std::string limit_name_;
  int64_t limit_;
  MemoryPool* pool_;
  int64_t used_ = 0;
  int64_t reserved_ = 0;   // taken from the pool, a multiple of kChunk
  int64_t threshold_ = 0;  // the fast path's bound: reserved_, or limit_ if lower
  int64_t peak_reserved_ = 0;
};

// Hands the pages of freed memory back to the kernel (malloc_trim). The
// allocator keeps what a big statement freed in its per-thread arenas, so
// without this the process's resident size would be the sum of every
// thread's past peaks rather than what is in use now.
void TrimFreedMemory();
// Whether freeing what peaked at `peak` bytes should trim the heap: a big
// statement (16 MB or more) in a process whose resident size is past half
// its --memory-limit (SetResidentLimit). Trimming when there is room would
// only make the next big statement fault its pages in again.
bool WorthTrimming(int64_t peak);
// The process's --memory-limit, for WorthTrimming (0: never trim).
void SetResidentLimit(int64_t bytes);
// What SetResidentLimit set (0: none).
int64_t ResidentLimit();
// VmRSS of this process in bytes (0 if /proc cannot tell).
int64_t ResidentBytes();

// Trims when it goes out of scope if `account` peaked past WorthTrimming:
// declare it before the locals that hold the account's memory.
class TrimWhenDone {
 public:
  explicit TrimWhenDone(const MemoryAccount& account) : account_(account) {}
  ~TrimWhenDone() {
    if (WorthTrimming(account_.Peak())) TrimFreedMemory();
  }
  TrimWhenDone(const TrimWhenDone&) = delete;
  TrimWhenDone& operator=(const TrimWhenDone&) = delete;

 private:
  const MemoryAccount& account_;
};

// Charges an account as a buffer grows and gives it all back when the
// buffer is dropped (an operator's sort buffer or hash table). A null
// account charges nothing.
class MemoryCharge {
 public:
  explicit MemoryCharge(MemoryAccount* account = nullptr, const char* context = nullptr)
      : account_(account), context_(context) {}
  ~MemoryCharge() { Reset(); }
  MemoryCharge(const MemoryCharge&) = delete;
  MemoryCharge& operator=(const MemoryCharge&) = delete;

  void Attach(MemoryAccount* account) {
    Reset();
    account_ = account;
  }
  void Add(int64_t bytes) {
    if (!account_) return;
    account_->Grow(bytes, context_);
    charged_ += bytes;
  }
  // Gives back `bytes` of what was added (a buffer that dropped an entry).
  void Remove(int64_t bytes) {
    if (!account_) return;
    account_->Shrink(bytes);
    charged_ -= bytes;
  }
  void Reset() {
    if (account_ && charged_ != 0) account_->Shrink(charged_);
    charged_ = 0;
  }
  int64_t Charged() const { return charged_; }

 private:
  MemoryAccount* account_;
  const char* context_;
  int64_t charged_ = 0;
};

// "64MB", "1GB", "512kB", "100B", "1024" (a bare number is kilobytes, as
// for PostgreSQL's memory settings): bytes, or -1 when not a size.
int64_t ParseByteSize(const std::string& text);
// 1GB, 64MB, 512kB or 100B: the largest unit that divides it.
std::string FormatByteSize(int64_t bytes);

// Estimated heap bytes of values and rows: the Value objects themselves plus
// payloads that live outside them (strings past the small-string buffer).
// Each heap block also costs the allocator's header and rounding.
inline constexpr int64_t kHeapBlockOverhead = 16;
inline int64_t EstimateValueBytes(const Value& v) {
  int64_t bytes = sizeof(Value);
  if (const auto* s = std::get_if<std::string>(&v.GetPayload()))
    if (s->capacity() > 15) bytes += static_cast<int64_t>(s->capacity()) + 1 + kHeapBlockOverhead;
  if (const auto* a = std::get_if<Value::ArrayRef>(&v.GetPayload())) {  // shared: counted whole by each holder
    bytes += 2 * kHeapBlockOverhead + static_cast<int64_t>(sizeof(Value::Elements));
    for (const Value& e : **a) bytes += EstimateValueBytes(e);
  }
  return bytes;
}
inline int64_t EstimateRowBytes(const std::vector<Value>& row) {
  int64_t bytes = sizeof(std::vector<Value>) + static_cast<int64_t>(row.capacity() - row.size()) * sizeof(Value);
  if (row.capacity() > 0) bytes += kHeapBlockOverhead;
  for (const Value& v : row) bytes += EstimateValueBytes(v);
  return bytes;
}
// A hash table entry beyond its key and mapped value: node pointers, the
// cached hash, the bucket slot and the allocator's header.
inline constexpr int64_t kHashEntryOverhead = 48;

}  // namespace tessera
