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
#include "wire/copy_input.h"
#include "wire/wire_buffer.h"

namespace tessera::wire {

inline constexpr size_t kFlushThreshold = 64 * 1024;

class ResultWriter final : public ResultSink {
 public:
  // `formats`: one per result column (extended protocol), or empty for all
  // text (simple query). `flush` sends the buffer to the client.
  // `copy_in` serves COPY FROM STDIN (null: refused).
  ResultWriter(WriteBuffer& out, const TextFormat& fmt, std::vector<int16_t> formats, std::function<void()> flush,
               CopyInput* copy_in = nullptr)
      : out_(out), fmt_(fmt), formats_(std::move(formats)), flush_(std::move(flush)), copy_in_(copy_in) {}

  void Columns(const std::vector<ColumnDesc>& columns) override;
  // Binary for this statement's rows only (a simple query's next statement is text again).
  void BinaryColumns(const std::vector<ColumnDesc>& columns) override;
  void Row(const tessera::Row& row) override;
  void Complete(const std::string& tag) override;
  void EmptyQuery() override;
  void Notice(const std::string& severity, const std::string& sqlstate, const std::string& message) override;
  // The COPY sub-protocol, in wire/copy_result_writer.cpp.
  void CopyInBegin(bool binary, size_t columns) override;
  bool CopyInNext(std::string& chunk) override;
  void CopyOutBegin(bool binary, size_t columns) override;
  void CopyOutData(std::string_view data) override;
  void CopyOutDone() override;

  size_t RowsWritten() const { return rows_; }

 private:
  void MaybeFlush();

  WriteBuffer& out_;
  const TextFormat& fmt_;
  std::vector<int16_t> formats_;
  bool binary_until_complete_ = false;  // BinaryColumns: formats_ go back to empty at Complete
  std::function<void()> flush_;
  size_t rows_ = 0;
  CopyInput* copy_in_ = nullptr;
};

}  // namespace tessera::wire
