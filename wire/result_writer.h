// The result serialiser: turns a Session's ResultSink calls into
// RowDescription, DataRow, CommandComplete, EmptyQueryResponse and
// NoticeResponse messages. It writes into the handler's buffer and asks
// for a flush every ~64 kB, so a large result streams to the client
// instead of piling up in memory.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "executor/session.h"
#include "wire/wire_buffer.h"

namespace tessera::wire {

inline constexpr size_t kFlushThreshold = 64 * 1024;

class ResultWriter final : public ResultSink {
 public:
  // `formats`: one per result column (extended protocol), or empty for all
  // text (simple query). `flush` sends the buffer to the client.
  ResultWriter(WriteBuffer& out, const TextFormat& fmt, std::vector<int16_t> formats, std::function<void()> flush)
      : out_(out), fmt_(fmt), formats_(std::move(formats)), flush_(std::move(flush)) {}

  void Columns(const std::vector<ColumnDesc>& columns) override;
  void Row(const tessera::Row& row) override;
  void Complete(const std::string& tag) override;
  void EmptyQuery() override;
  void Notice(const std::string& severity, const std::string& sqlstate, const std::string& message) override;

  size_t RowsWritten() const { return rows_; }

 private:
  void MaybeFlush();

  WriteBuffer& out_;
  const TextFormat& fmt_;
  std::vector<int16_t> formats_;
  std::function<void()> flush_;
  size_t rows_ = 0;
};

}  // namespace tessera::wire
