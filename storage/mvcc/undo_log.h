// The write set's undo log, for savepoints (SAVEPOINT / ROLLBACK TO): while
// a transaction keeps one (MvccTransaction::KeepUndo), every write appends
// the state its key had in the write set before it: absent (the first write
// of the key, which also took its lock) or the value buffered then. A
// savepoint is a position in the log; rolling back to it replays the later
// entries newest first, which restores the write set exactly as it was, and
// the keys whose entry says "absent" (and not locked) are those locked after
// the savepoint.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tessera::storage::mvcc {

struct UndoEntry {
  std::string key;
  bool was_written = false;           // false: the key was not in the write set
  std::optional<std::string> before;  // the buffered value (nullopt: a delete), if was_written
  // Not written but locked by SELECT ... FOR UPDATE before: undoing keeps
  // the lock. A lock-only key taken after the savepoint logs was_written =
  // false, was_locked = false, and undoing releases it.
  bool was_locked = false;
  // Written with PutNew: not locked, so undoing releases no lock.
  bool unlocked_new = false;
};

using UndoLog = std::vector<UndoEntry>;

}  // namespace tessera::storage::mvcc
