// See sort_run_file.h.
#include "executor/sort_run_file.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "common/error.h"
#include "planner/fragment_codec.h"

namespace tessera::executor {

namespace {

std::mutex dir_mutex;
std::string* temp_dir = nullptr;  // set once at start, then only read
std::atomic<uint64_t> file_counter{0};
constexpr const char* kPrefix = "tessera_sort.";

void PutLength(std::string* out, size_t n) {
  auto v = static_cast<uint32_t>(n);
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

}  // namespace

void RemoveOrphanedRuns(const std::string& dir) {
  std::error_code ec;
  for (auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(kPrefix, 0) != 0) continue;
    long pid = std::strtol(name.c_str() + std::strlen(kPrefix), nullptr, 10);
    if (pid <= 0 || pid == getpid()) continue;
    if (kill(static_cast<pid_t>(pid), 0) == -1 && errno == ESRCH) std::filesystem::remove(entry.path(), ec);
  }
}

const std::string& TempDirectory() {
  std::lock_guard<std::mutex> lock(dir_mutex);
  if (temp_dir == nullptr) {
    const char* env = std::getenv("TMPDIR");
    temp_dir = new std::string(env != nullptr && *env != '\0' ? env : "/tmp");
    RemoveOrphanedRuns(*temp_dir);
  }
  return *temp_dir;
}

void SetTempDirectory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  for (auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().filename().string().rfind(kPrefix, 0) == 0) std::filesystem::remove(entry.path(), ec);
  std::lock_guard<std::mutex> lock(dir_mutex);
  delete temp_dir;
  temp_dir = new std::string(dir);
}

SortRunFile::SortRunFile(const std::string& dir) {
  path_ = dir + "/" + kPrefix + std::to_string(getpid()) + "." + std::to_string(file_counter++);
  file_ = std::fopen(path_.c_str(), "wb");
  if (file_ == nullptr) Fail("could not create temporary file");
  std::setvbuf(file_, nullptr, _IOFBF, static_cast<size_t>(kBufferBytes));
}

SortRunFile::~SortRunFile() {
  if (file_ != nullptr) std::fclose(file_);
  std::remove(path_.c_str());
}

void SortRunFile::Fail(const char* what) const {
  int e = errno;
  throw SqlError(e == ENOSPC ? "53100" : "58030",
                 std::string(what) + " \"" + path_ + "\": " + std::strerror(e));
}

void SortRunFile::Append(const KeyedRow& row) {
  std::string keys = planner::EncodeRowBytes(row.keys);
  std::string values = planner::EncodeRowBytes(row.row);
  buffer_.clear();
  PutLength(&buffer_, keys.size());
  PutLength(&buffer_, values.size());
  buffer_ += keys;
  buffer_ += values;
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
    Fail("could not write to temporary file");
  bytes_ += static_cast<int64_t>(buffer_.size());
}

void SortRunFile::FinishWriting() {
  std::FILE* file = file_;
  file_ = nullptr;
  if (std::fclose(file) != 0) Fail("could not write to temporary file");
}

void SortRunFile::Rewind() {
  if (file_ != nullptr) FinishWriting();
  file_ = std::fopen(path_.c_str(), "rb");
  if (file_ == nullptr) Fail("could not open temporary file");
  std::setvbuf(file_, nullptr, _IOFBF, static_cast<size_t>(kBufferBytes));
}

bool SortRunFile::Read(KeyedRow* row) {
  uint32_t lengths[2];
  size_t got = std::fread(lengths, 1, sizeof lengths, file_);
  if (got == 0 && std::feof(file_)) return false;
  if (got != sizeof lengths) Fail("could not read from temporary file");
  buffer_.resize(size_t{lengths[0]} + lengths[1]);
  if (std::fread(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
    Fail("could not read from temporary file");
  std::string_view bytes(buffer_);
  row->keys = planner::DecodeRowBytes(bytes.substr(0, lengths[0]));
  row->row = planner::DecodeRowBytes(bytes.substr(lengths[0]));
  return true;
}

}  // namespace tessera::executor
