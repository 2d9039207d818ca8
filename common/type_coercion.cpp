// Type promotion and coercion rules of PostgreSQL: the result type of
// arithmetic, select_common_type for UNION/CASE/COALESCE, and which casts
// pg_cast allows implicitly ('i') or on assignment ('a').
#include <string>

#include "common/error.h"
#include "common/value_ops.h"

namespace tessera {
namespace {

enum class Category : char { kBool = 'B', kDateTime = 'D', kNumeric = 'N', kString = 'S', kUser = 'U', kUnknown = 'X', kArray = 'A' };

Category CategoryOf(TypeId id) {
  switch (id) {
    case TypeId::kBool:
      return Category::kBool;
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
    case TypeId::kOid:
    case TypeId::kFloat4:
    case TypeId::kFloat8:
    case TypeId::kNumeric:
      return Category::kNumeric;
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kBpchar:
      return Category::kString;
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return Category::kDateTime;
    case TypeId::kUnknown:
      return Category::kUnknown;
    default:
      return IsArrayType(id) ? Category::kArray : Category::kUser;
  }
}

bool IsPreferred(TypeId id) {
  return id == TypeId::kFloat8 || id == TypeId::kText || id == TypeId::kTimestampTz || id == TypeId::kBool ||
         id == TypeId::kOid;
}

int IntRank(TypeId id) { return id == TypeId::kInt2 ? 1 : id == TypeId::kInt4 ? 2 : 3; }

}  // namespace

TypeId ArithResultType(TypeId left, TypeId right) {
  if (left == TypeId::kUnknown) left = right;
  if (right == TypeId::kUnknown) right = left;
  if (left == TypeId::kDate || right == TypeId::kDate) {
    if (left == TypeId::kDate && right == TypeId::kDate) return TypeId::kInt4;  // date - date
    TypeId other = left == TypeId::kDate ? right : left;
    return IsIntegerType(other) ? TypeId::kDate : TypeId::kUnknown;
  }
  if (!IsNumericCategory(left) || !IsNumericCategory(right)) return TypeId::kUnknown;
  if (left == TypeId::kOid) left = TypeId::kInt8;
  if (right == TypeId::kOid) right = TypeId::kInt8;
  if (left == TypeId::kFloat4 && right == TypeId::kFloat4) return TypeId::kFloat4;
  if (left == TypeId::kFloat4 || left == TypeId::kFloat8 || right == TypeId::kFloat4 || right == TypeId::kFloat8)
    return TypeId::kFloat8;
  if (left == TypeId::kNumeric || right == TypeId::kNumeric) return TypeId::kNumeric;
  return IntRank(left) >= IntRank(right) ? left : right;
}

bool CanImplicitCast(TypeId from, TypeId to) {
  if (from == to || from == TypeId::kUnknown) return true;
  // An array coerces as its elements do (PostgreSQL's array_coerce).
  if (IsArrayType(from) || IsArrayType(to))
    return IsArrayType(from) && IsArrayType(to) && CanImplicitCast(ArrayElementType(from), ArrayElementType(to));
  switch (from) {
    case TypeId::kInt2:
      return to == TypeId::kInt4 || to == TypeId::kInt8 || to == TypeId::kFloat4 || to == TypeId::kFloat8 ||
             to == TypeId::kNumeric || to == TypeId::kOid;
    case TypeId::kInt4:
    case TypeId::kInt8:
      return (from == TypeId::kInt4 && to == TypeId::kInt8) || to == TypeId::kFloat4 || to == TypeId::kFloat8 ||
             to == TypeId::kNumeric || to == TypeId::kOid;
    case TypeId::kFloat4:
      return to == TypeId::kFloat8;
    case TypeId::kNumeric:
      return to == TypeId::kFloat4 || to == TypeId::kFloat8;
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kBpchar:
      return to == TypeId::kText || to == TypeId::kVarchar || to == TypeId::kBpchar;
    case TypeId::kDate:
      return to == TypeId::kTimestamp || to == TypeId::kTimestampTz;
    case TypeId::kTimestamp:
      return to == TypeId::kTimestampTz;
    default:
      return false;
  }
}

bool CanAssignCast(TypeId from, TypeId to) {
  if (CanImplicitCast(from, to)) return true;
  // Every type has an automatic I/O conversion to a string type on assignment.
  if (to == TypeId::kText || to == TypeId::kVarchar || to == TypeId::kBpchar) return true;
  if (IsArrayType(from) && IsArrayType(to)) return CanAssignCast(ArrayElementType(from), ArrayElementType(to));
  switch (from) {
    case TypeId::kInt4:
      return to == TypeId::kInt2;
    case TypeId::kInt8:
      return to == TypeId::kInt2 || to == TypeId::kInt4;
    case TypeId::kOid:
      return to == TypeId::kInt4 || to == TypeId::kInt8;
    case TypeId::kFloat4:
    case TypeId::kFloat8:
      return to == TypeId::kInt2 || to == TypeId::kInt4 || to == TypeId::kInt8 || to == TypeId::kNumeric ||
             to == TypeId::kFloat4;
    case TypeId::kNumeric:
      return to == TypeId::kInt2 || to == TypeId::kInt4 || to == TypeId::kInt8;
    case TypeId::kTimestamp:
      return to == TypeId::kDate;
    case TypeId::kTimestampTz:
      return to == TypeId::kDate || to == TypeId::kTimestamp;
    default:
      return false;
  }
}

Type CommonType(const std::vector<Type>& types, const char* context) {
  const Type* chosen = nullptr;
  for (const Type& t : types) {
    if (t.id == TypeId::kUnknown) continue;
    if (!chosen) {
      chosen = &t;
      continue;
    }
    if (t.id == chosen->id) continue;
    if (CategoryOf(t.id) != CategoryOf(chosen->id))
      throw SqlError(sqlstate::kDatatypeMismatch, std::string(context) + " types " + FormatType(Type::Of(chosen->id)) +
                                                      " and " + FormatType(Type::Of(t.id)) + " cannot be matched");
    // Move to the new type when it is reachable implicitly and not the other
    // way round, unless the current one is already the category's preferred type.
    if (!IsPreferred(chosen->id) && CanImplicitCast(chosen->id, t.id) && !CanImplicitCast(t.id, chosen->id))
      chosen = &t;
  }
  if (!chosen) return Type::Of(TypeId::kText);  // all unknown: text, as PostgreSQL resolves it
  // Keep the typmod only when every input of the chosen type agrees.
  Type result = Type::Of(chosen->id);
  bool first = true, same = true;
  for (const Type& t : types) {
    if (t.id == TypeId::kUnknown) continue;
    if (t.id != chosen->id) {
      same = false;
      break;
    }
    if (first) {
      result.typmod = t.typmod;
      first = false;
    } else if (t.typmod != result.typmod) {
      same = false;
    }
  }
  if (!same) result.typmod = -1;
  return result;
}

}  // namespace tessera
