// Operators on values with PostgreSQL's semantics: both operands already of
// the operator's input types (the binder inserts casts). Integer arithmetic
// raises 22003 on overflow, division 22012 on zero. NULL operands are the
// caller's business (expression evaluation returns NULL before calling).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/value.h"

namespace tessera {

enum class ArithOp : uint8_t { kAdd, kSub, kMul, kDiv, kMod, kPow };

// int2/int4/int8 (same type both sides), float4/float8, numeric; date +/- int4,
// date - date, timestamp(tz) - timestamp(tz) is not supported yet.
Value Arith(ArithOp op, const Value& left, const Value& right);
Value Negate(const Value& v);
// text || text (any string types; result text).
Value Concat(const Value& left, const Value& right);
// SQL LIKE / ILIKE with '\' as escape.
bool Like(std::string_view text, std::string_view pattern, bool case_insensitive);

// Result type of arithmetic between two numeric-category types after
// PostgreSQL's promotion (int2+int4 -> int4, int+numeric -> numeric, any
// float -> float8, ...). Used by the binder.
TypeId ArithResultType(TypeId left, TypeId right);

// The common type of a UNION/CASE/COALESCE/IN list, following PostgreSQL's
// select_common_type rules (unknown literals take the other side's type).
// Throws 42804 when there is none.
Type CommonType(const std::vector<Type>& types, const char* context);

// Implicit cast allowed from `from` to `to` (PostgreSQL's castcontext 'i'),
// and assignment cast (context 'a', used for INSERT/UPDATE targets).
bool CanImplicitCast(TypeId from, TypeId to);
bool CanAssignCast(TypeId from, TypeId to);

}  // namespace tessera
