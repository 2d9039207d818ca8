// Small adapters between LMDB's C API and the rest of storage/: MDB_val from
// and to string_view, and LMDB return codes turned into SqlError. Internal to
// storage/; nothing above this folder sees LMDB types.
#pragma once

#include <lmdb.h>

#include <string_view>

namespace tessera::storage {

inline MDB_val ToVal(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
inline std::string_view FromVal(const MDB_val& v) {
  return std::string_view(static_cast<const char*>(v.mv_data), v.mv_size);
}

// Throws SqlError: 53100 when the map is full (the disk-full of a memory
// map), XX000 with LMDB's message otherwise.
[[noreturn]] void ThrowLmdb(int rc, const char* what);
inline void CheckLmdb(int rc, const char* what) {
  if (rc != MDB_SUCCESS) ThrowLmdb(rc, what);
}

}  // namespace tessera::storage
