// The connection's side of COPY FROM STDIN: the worker running the COPY
// takes the client's messages straight from the inbox the I/O thread fills.
// The inbox stays bounded: reading pauses above the high mark as usual and
// resumes here once the COPY has consumed enough.
#include "wire/connection.h"

namespace tessera::wire {

namespace {
constexpr size_t kCopyResumeBelow = 1 << 20;  // as Drain()'s low mark
}  // namespace

std::optional<RawMessage> Connection::NextMessage() {
  std::unique_lock lock(mutex_);
  WaitForWorker(lock, [this] { return !inbox_.empty(); });
  Item& front = inbox_.front();
  // EOF, a framing error or shutdown: leave it queued so the handler deals
  // with it once the COPY has failed.
  if (front.kind != Item::Kind::kMessage) return std::nullopt;
  RawMessage message = std::move(front.message);
  inbox_bytes_ -= message.body.size();
  inbox_.pop_front();
  if (read_paused_ && inbox_bytes_ < kCopyResumeBelow) {
    read_paused_ = false;
    boost::asio::post(socket_.get_executor(), [self = shared_from_this()] { self->ReadMore(); });
  }
  return message;
}

}  // namespace tessera::wire
