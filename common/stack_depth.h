// PostgreSQL's check_stack_depth(), for every recursive walk over
// statement-shaped data: the parse tree, the AST, bound expressions, plans,
// their byte encoding and EXPLAIN. A client controls how deep those go (a
// 20,000-term `1+1+...` is a 20,000-deep tree), so a walk that recursed
// unchecked could overflow the stack and take the whole server down with
// SIGSEGV. Instead each recursive function calls CheckStackDepth() at its
// top; it compares the stack pointer with the bounds of the stack the code
// runs on and throws 54001 "stack depth limit exceeded" while there is still
// ample room below (the margin covers the frames between two checks and the
// unwinding).
//
// The bounds are the thread's own stack (read once per thread from
// pthread_getattr_np), or the session fiber's while one runs
// (common/fiber.h sets them when it switches in). Sessions run on fibers
// with large stacks, so the usable depth is the fiber stack's size less the
// margin, far more than PostgreSQL's default max_stack_depth of 2 MB.
#pragma once

#include <cstddef>

namespace tessera {

struct StackBounds {
  const char* low = nullptr;   // lowest usable address (the stack grows down to it)
  const char* high = nullptr;  // the stack's top
};

// Replaces the current thread's bounds (a fiber switching in or out);
// returns the previous ones. {} means "the thread's own stack".
StackBounds SetStackBounds(StackBounds bounds);

// Throws SqlError 54001 when less than the safety margin is left.
void CheckStackDepth();

// Bytes usable by checked recursion on the current stack (for messages and tests).
size_t StackDepthLimit();

}  // namespace tessera
