// What the SQL session needs from the storage side, so one SqlSession serves
// both deployments (DESIGN.md: one code path, two transports):
//  - embedded (`tessera start`): one MvccEngine in the process, fragments run
//    in-process (embedded_database.h);
//  - cluster (`tessera gateway`): the catalog lives in etcd and a transaction
//    spans participants on several storage nodes (cluster/gateway/).
// The session owns parsing, planning, settings and the transaction state
// machine; a backend owns where fragments run and how commits happen.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "catalog/catalog.h"
#include "executor/fragment_runner.h"
#include "executor/physical_operator.h"
#include "executor/session.h"
#include "storage/engine.h"
#include "storage/mvcc/mvcc_engine.h"

namespace tessera::executor {

using storage::mvcc::IsolationLevel;

// The storage side of one SQL transaction. Used by one thread at a time.
class BackendTxn {
 public:
  virtual ~BackendTxn() = default;
  virtual uint64_t Id() const = 0;
  virtual IsolationLevel Isolation() const = 0;
  // Before every statement after the first: READ COMMITTED takes a new snapshot.
  virtual void RefreshSnapshot() = 0;
  // How long the coming statement's writes wait for row locks; zero: forever.
  virtual void SetLockTimeout(std::chrono::milliseconds timeout) = 0;
  // Where this transaction's fragments run. `services` carries the session's
  // function context (DateStyle, now()) and counters.
  virtual std::unique_ptr<FragmentExecutor> Fragments(const FragmentServices& services) = 0;
  // Plain key-value access in this transaction, for DDL's data work (index
  // builds, table rewrites, truncation).
  virtual storage::Transaction& Kv() = 0;
  // Durable when it returns; throws SqlError (40001, 08006...) otherwise. The
  // transaction is finished either way.
  virtual void Commit() = 0;
  virtual void Rollback() = 0;

  // Savepoints (SAVEPOINT, ROLLBACK TO; ARCHITECTURE.md): from the first
  // call on, the transaction records what each write replaces. Returns a
  // mark above every write so far; 0 is before the first write.
  virtual uint64_t Savepoint() = 0;
  // Undoes every write after `mark` (a value Savepoint returned, or 0), on
  // every node it reached, and unlocks the rows first written after it.
  // Throws SqlError if it could not (the transaction must then roll back).
  virtual void RollbackTo(uint64_t mark) = 0;
  // No savepoint is left: stop recording (frees the record).
  virtual void ForgetSavepoints() = 0;
};

class Backend : public SessionFactory {
 public:
  virtual catalog::Catalog& Catalog() = 0;
  virtual std::unique_ptr<BackendTxn> Begin(const storage::mvcc::TxnOptions& options) = 0;
  // Wakes transaction `txn_id` from a lock wait so it sees a cancel (any thread).
  virtual void Interrupt(uint64_t txn_id) = 0;
  // Hidden row ids and other counters (storage::Engine::AllocateRange).
  virtual int64_t AllocateRange(const std::string& counter, int64_t count) = 0;
  // nextval of "schema.name".
  virtual int64_t NextVal(const std::string& qualified_name) = 0;

  // EXPLAIN's line on where a fragment runs (empty: nowhere worth saying).
  virtual std::string FragmentPlacement(const planner::Fragment& fragment) {
    (void)fragment;
    return {};
  }

  // Every session that can change the catalog runs in this process (the
  // embedded server), so process-wide state such as LOCK TABLE's locks
  // (table_share_locks.h) is seen by all of them; not so on a cluster.
  virtual bool SingleProcess() const { return false; }

  // Temporary tables (common/temp_schema.h, ARCHITECTURE.md): the number n
  // of a new session's pg_temp_<n>, never handed out twice (a counter), and
  // held live until ReleaseTempSchema or the end of this process. A temp
  // schema no live session holds is a leftover of a session whose cleanup
  // could not run (a crash), and its tables are dropped
  // (DropLeftoverTempTables). In one process the live ones are a set here;
  // a gateway keeps them in etcd under its lease (cluster_backend.h).
  virtual int64_t ClaimTempSchema();
  virtual void ReleaseTempSchema(int64_t n);
  virtual bool TempSchemaLive(int64_t n);

  std::unique_ptr<Session> NewSession() override;  // a SqlSession over this backend
  std::optional<std::string> RolePassword(const std::string& name) override;  // from the catalog's roles

 private:
  std::mutex temp_schemas_mutex_;
  std::set<int64_t> temp_schemas_;  // claimed by sessions of this process
};

// Drops the tables of every temp schema no live session holds (a server's
// or gateway's start, and a session's first temp table); best effort: a
// failure is logged and left for the next time.
void DropLeftoverTempTables(Backend& db);

}  // namespace tessera::executor
