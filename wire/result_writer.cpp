#include "wire/result_writer.h"

#include "wire/backend_messages.h"
#include "wire/value_codec.h"

namespace tessera::wire {

void ResultWriter::Columns(const std::vector<ColumnDesc>& columns) {
  RowDescription{&columns, &formats_}.Encode(out_);
}

void ResultWriter::BinaryColumns(const std::vector<ColumnDesc>& columns) {
  formats_.assign(columns.size(), kBinaryFormat);
  binary_until_complete_ = true;
  Columns(columns);
}

void ResultWriter::Row(const tessera::Row& row) {
  size_t at = out_.Begin('D');
  out_.PutInt16(static_cast<int16_t>(row.size()));
  for (size_t i = 0; i < row.size(); ++i) {
    int16_t format = i < formats_.size() ? formats_[i] : kTextFormat;
    EncodeColumn(row[i], format, fmt_, out_);
  }
  out_.End(at);
  ++rows_;
  MaybeFlush();
}

void ResultWriter::Complete(const std::string& tag) {
  if (binary_until_complete_) {
    formats_.clear();
    binary_until_complete_ = false;
  }
  CommandComplete{tag}.Encode(out_);
  MaybeFlush();
}

void ResultWriter::EmptyQuery() { EncodeEmpty(out_, 'I'); }

void ResultWriter::Notice(const std::string& severity, const std::string& sqlstate, const std::string& message) {
  ErrorFields notice;
  notice.severity = severity;
  notice.sqlstate = sqlstate;
  notice.message = message;
  notice.Encode(out_, 'N');
}

void ResultWriter::MaybeFlush() {
  if (out_.Size() >= kFlushThreshold && flush_) flush_();
}

}  // namespace tessera::wire
