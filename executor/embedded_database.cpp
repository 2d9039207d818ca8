// OpenEmbeddedDatabase: the storage engine and LMDB catalog in the data directory.
#include "executor/embedded_database.h"

#include <cstdlib>
#include <cstring>

#include "catalog/lmdb_catalog.h"
#include "executor/sql_session.h"

namespace tessera::executor {

EmbeddedDatabase::EmbeddedDatabase(const DatabaseOptions& options) {
  storage::mvcc::MvccOptions engine_options;
  engine_options.engine.sync = options.sync_commits;
  engine_ = storage::mvcc::MvccEngine::Open(options.data_dir, engine_options);
  catalog_ = catalog::OpenLmdbCatalog(*engine_);
  const char* env = std::getenv("TESSERA_ENCODE_FRAGMENTS");
  encode_fragments_ = options.encode_fragments || (env && std::strcmp(env, "0") != 0 && *env);
}

std::unique_ptr<Session> EmbeddedDatabase::NewSession() { return std::make_unique<SqlSession>(*this); }

int64_t EmbeddedDatabase::NextVal(const std::string& qualified_name) {
  auto dot = qualified_name.find('.');
  std::string schema = dot == std::string::npos ? "public" : qualified_name.substr(0, dot);
  std::string name = dot == std::string::npos ? qualified_name : qualified_name.substr(dot + 1);
  return catalog_->NextVal(schema, name);
}

}  // namespace tessera::executor

namespace tessera {

std::unique_ptr<SessionFactory> OpenEmbeddedDatabase(const DatabaseOptions& options) {
  return std::make_unique<executor::EmbeddedDatabase>(options);
}

}  // namespace tessera
