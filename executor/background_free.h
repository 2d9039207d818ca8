// Freeing a big sort buffer or hash table takes about as long as filling it
// (millions of rows, one free() each): seconds that a cancelled or timed-out
// statement would spend after it was told to stop, before its error reaches
// the client. Such structures are handed to a short-lived thread instead.
// Their memory stays charged to the statement's account until they are
// gone, so the server's limit still holds meanwhile.
#pragma once

#include <memory>
#include <thread>

#include "common/memory_account.h"

namespace tessera::executor {

// Below this many charged bytes freeing inline is quicker than a thread.
inline constexpr int64_t kBackgroundFreeBytes = 16 << 20;

// Destroys `owned` on a detached thread, then, if `trim`, gives the pages
// back to the kernel (TrimFreedMemory).
template <class T>
void FreeInBackground(std::unique_ptr<T> owned, bool trim = false) {
  if (!owned) return;
  std::thread([doomed = std::move(owned), trim]() mutable {
    doomed.reset();
    if (trim) TrimFreedMemory();
  }).detach();
}

}  // namespace tessera::executor
