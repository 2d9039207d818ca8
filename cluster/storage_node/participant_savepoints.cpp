// Savepoints on a storage node. The gateway numbers its statements; while
// it has savepoints (TxnHeader::keep_undo) a participant records, at each
// new statement, the statement's number and the MVCC undo mark where its
// writes begin. A savepoint on the gateway is the number of the last
// statement before it, so ROLLBACK TO undoes, on every participant, the
// writes from the first statement numbered above it (ARCHITECTURE.md).
// Also kUnlockRows: row locks of a SELECT ... FOR UPDATE given back.
#include <algorithm>

#include "cluster/storage_node/storage_node.h"
#include "common/error.h"
#include "storage/key_encoding.h"

namespace tessera::cluster {

void StorageNode::MarkStatement(Participant& p, const TxnHeader& header) {
  if (!header.keep_undo) {
    // No savepoint is left on the gateway: nothing can be rolled back to.
    if (!p.statement_marks.empty()) {
      p.statement_marks.clear();
      p.txn->DropUndo();
    }
    return;
  }
  if (!p.statement_marks.empty() && p.statement_marks.back().first == header.statement) return;
  p.txn->KeepUndo();
  p.statement_marks.emplace_back(header.statement, p.txn->UndoMark());
}

std::string StorageNode::HandleRollbackTo(std::string_view payload) {
  RequirePrimary();
  TxnRequest request = Decode<TxnRequest>(payload);
  ParticipantRef p = participants_.Find(request.txn_id);
  // Gone (rolled back after its gateway connection dropped) or prepared:
  // its writes before the savepoint are not there to keep.
  auto not_active = [&] {
    return SqlError(sqlstate::kSerializationFailure,
                    "transaction " + request.txn_id + " is no longer active on this storage node");
  };
  if (!p) throw not_active();
  std::lock_guard lock(p->mutex);
  if (!p->txn || p->prepared) throw not_active();
  p->last_active = std::chrono::steady_clock::now();
  auto& marks = p->statement_marks;
  auto first_after = std::find_if(marks.begin(), marks.end(),
                                  [&](const auto& mark) { return mark.first > request.after_statement; });
  if (first_after == marks.end()) return {};  // nothing written here since
  p->txn->RollbackToMark(first_after->second);
  marks.erase(first_after, marks.end());
  return {};
}

// The gateway keeps a fanned-out SELECT ... FOR UPDATE's LIMIT over all
// shards: the rows a shard locked beyond it are unlocked again.
std::string StorageNode::HandleUnlockRows(std::string_view payload) {
  RequirePrimary();
  TxnRequest request = Decode<TxnRequest>(payload);
  ParticipantRef p = participants_.Find(request.txn_id);
  if (!p) return {};  // gone: its locks went with it
  std::lock_guard lock(p->mutex);
  if (!p->txn || p->prepared) return {};
  p->last_active = std::chrono::steady_clock::now();
  std::string prefix = storage::KeyPrefix(request.table_id, storage::kPrimaryIndexId);
  std::vector<std::string> keys;
  for (auto& suffix : request.row_keys) keys.push_back(prefix + suffix);
  p->txn->ReleaseSelectLocks(keys);
  return {};
}

}  // namespace tessera::cluster
