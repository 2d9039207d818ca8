// OpenEmbeddedDatabase: the storage engine and LMDB catalog in the data
// directory, and the in-process transaction the session drives.
#include "executor/embedded_database.h"

#include <cstdlib>
#include <cstring>

#include "catalog/lmdb_catalog.h"
#include "common/error.h"
#include "common/scram.h"
#include "executor/local_fragment_executor.h"
#include "executor/sort_run_file.h"
#include "executor/sql_session.h"
#include "storage/mvcc/mvcc_transaction.h"

namespace tessera::executor {

namespace {

class EmbeddedTxn final : public BackendTxn {
 public:
  EmbeddedTxn(std::unique_ptr<storage::mvcc::MvccTransaction> txn, bool encode)
      : txn_(std::move(txn)), encode_(encode) {}
  uint64_t Id() const override { return txn_->Id(); }
  IsolationLevel Isolation() const override { return txn_->Isolation(); }
  void RefreshSnapshot() override {
    if (txn_->Isolation() == IsolationLevel::kReadCommitted) txn_->RefreshSnapshot();
  }
  void SetLockTimeout(std::chrono::milliseconds timeout) override { txn_->SetLockTimeout(timeout); }
  std::unique_ptr<FragmentExecutor> Fragments(const FragmentServices& services) override {
    return std::make_unique<LocalFragmentExecutor>(*txn_, services, encode_);
  }
  storage::Transaction& Kv() override { return *txn_; }
  void Commit() override { txn_->Commit(); }
  void Rollback() override { txn_->Rollback(); }
  uint64_t Savepoint() override {
    txn_->KeepUndo();
    return txn_->UndoMark();
  }
  void RollbackTo(uint64_t mark) override { txn_->RollbackToMark(mark); }
  void ForgetSavepoints() override { txn_->DropUndo(); }

 private:
  std::unique_ptr<storage::mvcc::MvccTransaction> txn_;
  bool encode_;
};

}  // namespace

std::unique_ptr<Session> Backend::NewSession() { return std::make_unique<SqlSession>(*this); }

std::optional<std::string> Backend::RolePassword(const std::string& name) {
  auto snapshot = Catalog().Snapshot();
  const catalog::RoleInfo* role = snapshot->FindRole(name);
  if (role == nullptr) return std::nullopt;
  return role->password;
}

EmbeddedDatabase::EmbeddedDatabase(const DatabaseOptions& options) {
  storage::mvcc::MvccOptions engine_options;
  engine_options.engine.sync = options.sync_commits;
  engine_ = storage::mvcc::MvccEngine::Open(options.data_dir, engine_options);
  // External sorts' runs (sort_run_file.h): in the data directory, emptied
  // of what a process that died left behind.
  SetTempDirectory(options.data_dir + "/pgsql_tmp");
  catalog_ = catalog::OpenLmdbCatalog(*engine_);
  if (options.superuser_password) {
    if (options.superuser_password->empty())
      throw SqlError(sqlstate::kInvalidParameterValue, "the superuser's password may not be empty");
    auto snapshot = catalog_->Snapshot();
    const catalog::RoleInfo* found = snapshot->FindRole("tessera");
    if (found == nullptr)
      throw SqlError(sqlstate::kUndefinedObject, "role \"tessera\" does not exist (it was renamed)");
    catalog::RoleInfo role = *found;
    role.password = scram::MakeVerifier(*options.superuser_password);
    catalog_->UpdateRole(role.name, role);
  }
  const char* env = std::getenv("TESSERA_ENCODE_FRAGMENTS");
  encode_fragments_ = options.encode_fragments || (env && std::strcmp(env, "0") != 0 && *env);
  // Every temp table in the store is a leftover: no session of this process
  // holds a temp schema yet (a crash skipped their sessions' cleanup).
  DropLeftoverTempTables(*this);
}

std::unique_ptr<BackendTxn> EmbeddedDatabase::Begin(const storage::mvcc::TxnOptions& options) {
  return std::make_unique<EmbeddedTxn>(engine_->Begin(options), encode_fragments_);
}

std::pair<std::string, std::string> SplitQualifiedName(const std::string& qualified_name) {
  auto dot = qualified_name.find('.');
  if (dot == std::string::npos) return {"public", qualified_name};
  return {qualified_name.substr(0, dot), qualified_name.substr(dot + 1)};
}

int64_t EmbeddedDatabase::NextVal(const std::string& qualified_name) {
  auto [schema, name] = SplitQualifiedName(qualified_name);
  return catalog_->NextVal(schema, name);
}

}  // namespace tessera::executor

namespace tessera {

std::unique_ptr<SessionFactory> OpenEmbeddedDatabase(const DatabaseOptions& options) {
  return std::make_unique<executor::EmbeddedDatabase>(options);
}

}  // namespace tessera
