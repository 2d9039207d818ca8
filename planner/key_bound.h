// Key bounds of another type than their key column: `int4_key = $1` with an
// int8 parameter (pgjdbc's setLong), `int_key > 2.5`, `date_key <
// timestamp '2020-01-02 10:00'`, `varchar_key = text_value`, `char_key =
// text_value` (compared as the trimmed char value, as PostgreSQL casts the
// char column to text), `text_key = char_value` (the char value trimmed). The planner
// uses such a comparison for a key lookup or range when the two types are
// of one family and every value of the column's type is exactly a value of
// the other (KeyBoundConvertible); at run time the value becomes a bound of
// the column's type with PostgreSQL's semantics at the edges (ToKeyBound):
// an int8 beyond int4's range matches nothing instead of raising 22003, and
// `> 2.5` on an integer key starts at 3.
#pragma once

#include "common/value.h"

namespace tessera::planner {

// Whether a value of type `value` can bound a key column of type `column`
// (different types; same type needs nothing).
bool KeyBoundConvertible(TypeId column, TypeId value);

enum class KeyBoundSide { kEqual, kLower, kUpper };

// Turns `*v` into a value of `column`'s type that bounds the key as the
// comparison did: kEqual for `key = v`, kLower for `key > v` (or `>=` when
// *inclusive), kUpper for `key < v` (`<=`). A bound that moves to the next
// value of the column's type sets *inclusive (`> 2.5` is `>= 3`; `< 5e9` on
// int4 is `<= 2147483647`). False when no value of the column's type can
// satisfy it (`= 2.5`, `= 5e9` on int4, `> 5e9` on int4): the scan is empty.
// `inclusive` may be null for kEqual.
bool ToKeyBound(Value* v, Type column, KeyBoundSide side, bool* inclusive);

}  // namespace tessera::planner
