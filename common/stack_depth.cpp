#include "common/stack_depth.h"

#include <pthread.h>

#include <algorithm>
#include <string>

#include "common/error.h"

namespace tessera {

namespace {

// Left free below the deepest check: the frames of one step between two
// checks (ANTLR's, the evaluator's, a std::sort) and the exception's
// unwinding must fit in it.
constexpr size_t kMinMargin = 512 << 10;

thread_local StackBounds current;

StackBounds ThreadStack() {
  StackBounds bounds;
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return bounds;
  void* addr = nullptr;
  size_t size = 0;
  if (pthread_attr_getstack(&attr, &addr, &size) == 0 && addr != nullptr) {
    bounds.low = static_cast<const char*>(addr);
    bounds.high = bounds.low + size;
  }
  pthread_attr_destroy(&attr);
  return bounds;
}

const StackBounds& Current() {
  if (current.low == nullptr) current = ThreadStack();
  return current;
}

size_t Margin(const StackBounds& b) {
  return std::max(kMinMargin, static_cast<size_t>(b.high - b.low) / 16);
}

}  // namespace

StackBounds SetStackBounds(StackBounds bounds) {
  StackBounds previous = current;
  current = bounds;
  return previous;
}

size_t StackDepthLimit() {
  const StackBounds& b = Current();
  if (b.low == nullptr) return 0;
  size_t size = static_cast<size_t>(b.high - b.low);
  return size > Margin(b) ? size - Margin(b) : 0;
}

void CheckStackDepth() {
  const StackBounds& b = Current();
  if (b.low == nullptr) return;  // unknown stack: nothing to compare with
  char here;
  const char* sp = &here;
  if (sp >= b.high || sp < b.low) return;  // not on the stack we know (a signal stack)
  if (static_cast<size_t>(sp - b.low) > Margin(b)) return;
  throw SqlError(sqlstate::kStatementTooComplex, "stack depth limit exceeded",
                 {}, "The statement nests too deeply for the server's stack of " +
                         std::to_string((b.high - b.low) >> 10) +
                         "kB; split long chains of operators or nested subqueries.");
}

}  // namespace tessera
