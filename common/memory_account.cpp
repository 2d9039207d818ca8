// MemoryPool and MemoryAccount (common/memory_account.h).
#include "common/memory_account.h"

#include <malloc.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <stdexcept>

#include "common/error.h"

namespace tessera {

std::string FormatByteSize(int64_t bytes) {
  if (bytes >= (int64_t{1} << 30) && bytes % (int64_t{1} << 30) == 0) return std::to_string(bytes >> 30) + "GB";
  if (bytes >= (int64_t{1} << 20) && bytes % (int64_t{1} << 20) == 0) return std::to_string(bytes >> 20) + "MB";
  if (bytes >= (int64_t{1} << 10) && bytes % (int64_t{1} << 10) == 0) return std::to_string(bytes >> 10) + "kB";
  return std::to_string(bytes) + "B";
}

int64_t ParseByteSize(const std::string& text) {
  size_t end = 0;
  int64_t n = 0;
  try {
    n = std::stoll(text, &end);
  } catch (const std::logic_error&) {
    return -1;
  }
  if (n < 0) return -1;
  std::string unit = text.substr(end);
  unit.erase(0, unit.find_first_not_of(' '));
  int shift;
  if (unit.empty() || unit == "kB") shift = 10;
  else if (unit == "B") shift = 0;
  else if (unit == "MB") shift = 20;
  else if (unit == "GB") shift = 30;
  else if (unit == "TB") shift = 40;
  else return -1;
  if (n > (INT64_MAX >> shift)) return -1;
  return n << shift;
}

namespace {

std::string HumanBytes(int64_t bytes) { return FormatByteSize(bytes); }

// PostgreSQL's shape: "out of memory", DETAIL "Failed on request of size N
// in memory context "X"."; the HINT says which of our limits was reached.
[[noreturn]] void ThrowOutOfMemory(const std::string& context, int64_t request, const std::string& hint) {
  throw SqlError(sqlstate::kOutOfMemory, "out of memory",
                 "Failed on request of size " + std::to_string(request) + " in memory context \"" + context + "\".",
                 hint);
}

[[noreturn]] void ThrowPoolExhausted(const std::string& context, int64_t request, const MemoryPool& pool) {
  ThrowOutOfMemory(context, request,
                   "What the server's statements may use together (75% of --memory-limit): " +
                       HumanBytes(pool.Limit() >> 20 << 20) + ".");
}

}  // namespace

PoolReservation::PoolReservation(int64_t bytes, const char* context, MemoryPool* pool) : bytes_(bytes), pool_(pool) {
  if (!pool_->TryReserve(bytes_)) ThrowPoolExhausted(context, bytes_, *pool_);
}

MemoryPool& MemoryPool::Server() {
  static MemoryPool pool;
  return pool;
}

int64_t MemoryPool::DefaultLimit() {
  long pages = ::sysconf(_SC_PHYS_PAGES);
  long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return int64_t{4} << 30;
  return static_cast<int64_t>(pages) * page_size / 4;
}

bool MemoryPool::TryReserve(int64_t bytes) {
  int64_t limit = Limit();
  int64_t used = used_.load(std::memory_order_relaxed);
  do {
    if (limit > 0 && used + bytes > limit) return false;
  } while (!used_.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
  return true;
}

void MemoryAccount::GrowSlow(int64_t bytes, const char* context) {
  std::string where = context ? context : name_;
  if (limit_ > 0 && used_ > limit_) {
    used_ -= bytes;
    ThrowOutOfMemory(where, bytes, limit_name_ + ": " + HumanBytes(limit_) + ".");
  }
  int64_t missing = used_ - reserved_;
  if (missing <= 0) return;  // under both the reservation and the limit
  int64_t chunks = (missing + kChunk - 1) / kChunk;
  if (!pool_->TryReserve(chunks * kChunk)) {
    used_ -= bytes;
    ThrowPoolExhausted(where, bytes, *pool_);
  }
  reserved_ += chunks * kChunk;
  if (reserved_ > peak_reserved_) peak_reserved_ = reserved_;
  UpdateThreshold();
}

void TrimFreedMemory() { ::malloc_trim(0); }

namespace {
std::atomic<int64_t> resident_limit{0};
}  // namespace

void SetResidentLimit(int64_t bytes) { resident_limit.store(bytes); }
int64_t ResidentLimit() { return resident_limit.load(); }

int64_t ResidentBytes() {
  // statm's second field: resident pages.
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  long size = 0, resident = 0;
  int n = std::fscanf(f, "%ld %ld", &size, &resident);
  std::fclose(f);
  return n == 2 ? static_cast<int64_t>(resident) * ::sysconf(_SC_PAGESIZE) : 0;
}

bool WorthTrimming(int64_t peak) {
  int64_t limit = resident_limit.load();
  return limit > 0 && peak >= (int64_t{16} << 20) && ResidentBytes() > limit / 2;
}

void MemoryAccount::Shrink(int64_t bytes) {
  used_ -= bytes;
  if (used_ < 0) used_ = 0;
  // Keep one spare chunk, so an operator that frees and grows again does
  // not go back and forth to the shared pool.
  int64_t spare = reserved_ - used_;
  if (spare > 2 * kChunk) {
    int64_t give = (spare / kChunk - 1) * kChunk;
    reserved_ -= give;
    pool_->Release(give);
    UpdateThreshold();
  }
}

void MemoryAccount::ReleaseAll() {
  if (reserved_ > 0) pool_->Release(reserved_);
  reserved_ = 0;
  used_ = 0;
  UpdateThreshold();
}

}  // namespace tessera
