#include "cluster/replication/node_identity.h"

#include <filesystem>
#include <fstream>
#include <random>

#include "common/error.h"

namespace tessera::cluster::replication {

std::string LoadOrCreateNodeId(const std::string& data_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) throw SqlError(sqlstate::kInternalError, "could not create directory \"" + data_dir + "\": " + ec.message());
  fs::path path = fs::path(data_dir) / "node-id";
  if (std::ifstream in(path); in) {
    std::string id;
    in >> id;
    if (!id.empty()) return id;
  }
  std::random_device random;
  std::string id;
  for (int i = 0; i < 4; ++i) {
    char buffer[9];
    std::snprintf(buffer, sizeof buffer, "%08x", random());
    id += buffer;
  }
  // Written to a temporary name and renamed: a crash never leaves a partial id.
  fs::path temporary = path;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << id << "\n";
    out.flush();
    if (!out) throw SqlError(sqlstate::kInternalError, "could not write " + temporary.string());
  }
  fs::rename(temporary, path, ec);
  if (ec) throw SqlError(sqlstate::kInternalError, "could not write " + path.string() + ": " + ec.message());
  return id;
}

}  // namespace tessera::cluster::replication
