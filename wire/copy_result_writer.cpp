// ResultWriter's side of the COPY sub-protocol.
#include "wire/result_writer.h"

#include "wire/backend_messages.h"

namespace tessera::wire {

void ResultWriter::CopyInBegin(bool binary, size_t columns) {
  if (!copy_in_) throw SqlError::FeatureNotSupported("COPY FROM STDIN is not possible here");
  EncodeCopyResponse(out_, 'G', binary, columns);
  if (flush_) flush_();  // the client sends nothing until it sees CopyInResponse
}

bool ResultWriter::CopyInNext(std::string& chunk) { return copy_in_->Next(chunk); }

void ResultWriter::CopyOutBegin(bool binary, size_t columns) { EncodeCopyResponse(out_, 'H', binary, columns); }

void ResultWriter::CopyOutData(std::string_view data) {
  EncodeCopyData(out_, data);
  MaybeFlush();
}

void ResultWriter::CopyOutDone() { EncodeEmpty(out_, 'c'); }

}  // namespace tessera::wire
