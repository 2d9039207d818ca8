// The MVCC layout of one LMDB database. Every committed write of a user key
// is its own LMDB entry:
//   stored key   = user key + 8 bytes big-endian ~commit_ts
//   stored value = 1 tag byte (kRow or kTombstone) + row bytes
// Inverting the timestamp puts a key's versions newest first, so a reader at
// snapshot S seeks to (key, ~S) and the first entry of that key it lands on
// is the version it sees.
//
// Why a custom LMDB comparator instead of plain byte order: key_encoding.h
// keys are prefix-free for one column list (every value is self-delimiting),
// but the Engine interface takes arbitrary bytes and catalog keys in the meta
// space ("t/foo", "t/foobar") are not. With byte order, "a"+ts could sort
// after "ab"+ts, interleaving versions of different keys. CompareVersionKeys
// compares the user parts first and the suffixes second, which is correct
// for any keys, costs nothing in key size, and leaves the byte order of user
// keys unchanged (so SQL order is still byte order). Every process that opens
// these databases must install it (MvccEngine does, before any access).
#pragma once

#include <lmdb.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace tessera::storage::mvcc {

using Timestamp = uint64_t;

inline constexpr size_t kTimestampSize = 8;
// Timestamp 0 is never handed out: a snapshot at 0 sees nothing.
inline constexpr Timestamp kNoTimestamp = 0;
inline constexpr Timestamp kMaxTimestamp = ~Timestamp{0};

enum class VersionTag : uint8_t { kTombstone = 0, kRow = 1 };

std::string EncodeVersionKey(std::string_view user_key, Timestamp ts);
void AppendVersionKey(std::string* out, std::string_view user_key, Timestamp ts);
// The user key and timestamp of a stored key; false if it is too short.
bool DecodeVersionKey(std::string_view stored, std::string_view* user_key, Timestamp* ts);

std::string EncodeVersionValue(VersionTag tag, std::string_view row);
// False if the value is empty or its tag unknown (a corrupt entry).
bool DecodeVersionValue(std::string_view stored, VersionTag* tag, std::string_view* row);

// LMDB comparator (MDB_cmp_func) for stored keys: user key, then suffix.
int CompareVersionKeys(const MDB_val* a, const MDB_val* b);

}  // namespace tessera::storage::mvcc
