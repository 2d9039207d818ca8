// A sorted run of an external sort (executor/external_sort.h) in a
// temporary file: written once, front to back, then read once, front to
// back. Each record is a KeyedRow, its sort keys and its row each encoded
// with their types (planner/fragment_codec.h's EncodeRowBytes) behind a
// 4-byte length, so merging compares the keys without evaluating them again.
//
// The file lives in `dir` (the server's temporary directory, TempDirectory())
// under a name of its own, and is removed when the object goes: when the
// statement ends, fails or is cancelled, since the sort owns its runs and the
// operator tree goes with the statement. A process that dies leaves them
// behind; `tessera start` empties its data directory's temporary directory.
#pragma once

#include <cstdio>
#include <string>

#include "executor/sort_util.h"

namespace tessera::executor {

// Where the external sort writes its runs: `$TMPDIR` (or /tmp) unless
// SetTempDirectory named another at start (the data directory's `tmp/`).
const std::string& TempDirectory();
// Makes `dir` the temporary directory, creating it and removing the files a
// previous process left there.
void SetTempDirectory(const std::string& dir);
// Removes the run files in `dir` that no live process owns. Files are named
// tessera_sort.<pid>.<n>: in a shared directory ($TMPDIR, a gateway's) those
// of a process killed mid-sort would stay behind; a live process's (this
// one's, or another server's) are left alone. TempDirectory() calls it once.
void RemoveOrphanedRuns(const std::string& dir);

class SortRunFile {
 public:
  static constexpr int64_t kBufferBytes = 64 * 1024;  // stdio's, writing or reading

  explicit SortRunFile(const std::string& dir);
  ~SortRunFile();
  SortRunFile(const SortRunFile&) = delete;
  SortRunFile& operator=(const SortRunFile&) = delete;

  void Append(const KeyedRow& row);
  // Ends writing and closes the file: a sort may write thousands of runs,
  // more than a process may hold open; only those being merged are open.
  void FinishWriting();
  // Opens the file again; reading starts at the first record.
  void Rewind();
  // The next record; false after the last.
  bool Read(KeyedRow* row);
  int64_t Bytes() const { return bytes_; }
  const std::string& Path() const { return path_; }

 private:
  [[noreturn]] void Fail(const char* what) const;
  std::string path_;
  std::FILE* file_ = nullptr;
  int64_t bytes_ = 0;
  std::string buffer_;  // one record
};

}  // namespace tessera::executor
