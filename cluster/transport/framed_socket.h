// One TCP connection carrying transport frames (frame.h): the part the server
// and client sides share. Everything that touches the socket runs on the
// connection's strand; Send() and the other public calls are thread-safe, so
// worker threads and callers never touch Asio objects directly.
//
// Reading is buffered: one read usually brings several small frames, which are
// cut out of a 64 KiB buffer; a large frame's payload is read straight into its
// own string. A subclass may pause reading from OnFrame (client backpressure:
// the kernel's receive window then stops the sender) and resume it later.
//
// A subclass may also stop the strand's reading while nothing is expected
// (StopReadingWhenIdle) and let a waiting caller read on its own thread
// (ReadInline), saving the hop through the I/O thread.
//
// Writing gathers every frame queued since the last write into one writev.
// QueuedBytes counts frames queued and not yet written to the kernel, so a
// producer can wait for it to drop (server backpressure, WaitQueueBelow).
//
// With a TLS context (link_tls.h) the connection first completes a
// handshake (Handshake), and from then on every frame is encrypted as it is
// queued and decrypted as it is read, by a TlsSession that this class feeds
// the socket's bytes by hand (tls_session.h), so both shortcuts above work
// under TLS too.
#pragma once

// clang-format off
#include <utility>  // before Asio: its awaitable.hpp uses std::exchange
#include <boost/asio.hpp>
// clang-format on
#include <functional>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cluster/transport/frame.h"
#include "cluster/transport/link_tls_context.h"
#include "cluster/transport/tls_session.h"

namespace tessera::cluster::transport::detail {

class FramedSocket : public std::enable_shared_from_this<FramedSocket> {
 public:
  using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

  // `tls` null: plain TCP.
  FramedSocket(boost::asio::io_context& io, TlsContext tls);
  virtual ~FramedSocket() = default;
  FramedSocket(const FramedSocket&) = delete;
  FramedSocket& operator=(const FramedSocket&) = delete;

  static constexpr size_t kClosed = SIZE_MAX;
  // Thread-safe. Sends one frame: written at once from the calling thread when
  // nothing else is queued (the common case; saves waking the I/O thread),
  // else queued for the strand. Returns the bytes queued unsent afterwards, or
  // kClosed when the connection is closed (the frame is dropped).
  size_t Send(FrameKind kind, uint16_t method, uint64_t request_id, std::string payload);
  // Thread-safe. Blocks while `limit` or more bytes are queued unsent, until the
  // connection closes or `abort` is set (call WakeWaiters after setting it).
  // Returns true when the caller may send. Counts in `waits` each time it
  // starts to block (before blocking, so a wait that never ends is seen too).
  bool WaitQueueBelow(size_t limit, const std::atomic<bool>& abort, std::atomic<uint64_t>& waits);
  void WakeWaiters();
  // Thread-safe. Continues reading after OnFrame returned false.
  void ResumeReading();
  // Thread-safe and idempotent; OnClosed(reason) follows on the strand.
  void Close(std::string reason);
  // Thread-safe. True once closed (frames are dropped from then on).
  bool Closed() const;

 protected:
  // On the strand: whether a frame of this kind may arrive on this side.
  virtual bool Accepts(FrameKind kind) const = 0;
  // On the strand, for each frame in order. Return false to pause reading.
  virtual bool OnFrame(const FrameHeader& header, std::string payload) = 0;
  // On the strand, exactly once, after the socket was closed for any reason.
  virtual void OnClosed(const std::string& reason) = 0;
  // On the strand, when every frame read so far is delivered and none is half
  // read. True: the strand stops reading; the subclass then owns the read side
  // (ReadInline) until it hands it back with ReadOnStrand or Close.
  virtual bool StopReadingWhenIdle() { return false; }

  // What a ReadInline left to do.
  struct InlineRead {
    bool to_strand = false;    // the strand must take reading over (ReadOnStrand, or Close)
    std::string close_reason;  // not empty: the connection broke; Close(close_reason)
  };
  // Only on the one thread that owns the read side (the strand is not
  // reading): delivers the complete frames buffered, else waits up to `wait`
  // for bytes on `fd` (a descriptor of this socket), reads them and delivers
  // the complete frames. Frames too large for the buffer, a paused call and
  // errors are left to the strand (to_strand).
  InlineRead ReadInline(int fd, std::chrono::nanoseconds wait);
  // Thread-safe. The strand takes the read side back and carries on from
  // what is buffered.
  void ReadOnStrand();

  // On the strand, after accept or connect: starts reading and flushes frames
  // queued meanwhile. With TLS, only after Handshake succeeded.
  void StartIo();
  bool Secured() const { return tls_context_ != nullptr; }
  // On the strand, after accept or connect, with TLS: runs the handshake
  // (the client side checks that the server's certificate names `host`),
  // bounded by `timeout` (0: the caller bounds it), then calls `done` on
  // the strand with an empty string, or with why it failed (the caller
  // closes the connection).
  void Handshake(bool server, const std::string& host, std::chrono::milliseconds timeout,
                 std::function<void(const std::string& error)> done);
  void CloseOnStrand(const std::string& reason);
  bool ClosedOnStrand() const { return closed_on_strand_; }
  const std::string& PeerName() const { return peer_; }  // "ip:port" for logs, once I/O started; on the strand

  Strand strand_;
  boost::asio::ip::tcp::socket socket_;
  const TlsContext tls_context_;  // null: plain TCP

 private:
  struct OutFrame {
    EncodedHeader header;
    std::string payload;
    size_t sent = 0;  // bytes of header + payload already written
    // Under TLS once encrypted: `payload` holds ciphertext and the header
    // counts as sent. Frames queued before the handshake wait as plaintext.
    bool cipher = false;
  };

  // With mutex_ held: writes what the kernel takes right now, never blocks.
  size_t TrySendNow(const OutFrame& frame);
  // With mutex_ held: queues a frame (trying to write it at once when
  // nothing is queued). `bytes` is what it adds to queued_bytes_.
  void QueueLocked(OutFrame frame);
  // With mutex_ held, under TLS after the handshake: replaces the plaintext
  // of `frame` by its ciphertext. False (with `error`) if the session broke.
  bool EncryptLocked(OutFrame& frame, std::string& error);
  // Under TLS, by the read side's owner: decrypts what the session holds
  // into [out, out + capacity). Bytes written, 0 for none, -1 when the
  // session broke or the peer ended it (`error`).
  long DecryptInto(char* out, size_t capacity, std::string& error);
  // DecryptInto the free end of buffer_; true when bytes were added.
  bool PullPlaintext(std::string& error);
  void FeedCipher(size_t bytes);  // cipher_in_[0, bytes) received
  // Under TLS, on the strand: reads ciphertext into cipher_in_, feeds it to
  // the session, then runs `next` (or closes the connection on an error).
  void ReadCipherThen(void (FramedSocket::*next)());
  void HandshakeStep(std::string_view input, std::shared_ptr<struct HandshakeState> state);
  void FillLargeTls();

  void ProcessBuffer();
  void CompactBuffer();
  InlineRead DeliverInline(size_t& delivered);
  void ReadMore();
  void ReadLargePayload(const FrameHeader& header);
  void Deliver(const FrameHeader& header, std::string payload);
  void WriteNext();
  void OnWritten(const boost::system::error_code& ec, size_t bytes);

  // Strand only, except that the read state (buffer_, begin_, end_) belongs
  // to a ReadInline caller while the subclass gave the read side to one.
  std::string peer_ = "?";
  std::vector<char> buffer_;
  size_t begin_ = 0;  // unparsed bytes are buffer_[begin_, end_)
  size_t end_ = 0;
  FrameHeader large_header_;
  std::string large_payload_;
  size_t large_filled_ = 0;        // under TLS: bytes of large_payload_ decrypted so far
  std::vector<char> cipher_in_;    // under TLS: ciphertext just read, before the session takes it
  bool paused_ = false;
  bool closed_on_strand_ = false;
  std::vector<OutFrame> in_flight_;  // frames of the write in progress
  std::vector<boost::asio::const_buffer> write_buffers_;

  // Shared with other threads.
  mutable std::mutex mutex_;
  std::condition_variable drained_;
  std::vector<OutFrame> pending_;
  size_t queued_bytes_ = 0;  // pending_ + in_flight_
  int waiters_ = 0;
  // The socket's descriptor once I/O started, -1 once closed. Threads other
  // than the strand write to it only with mutex_ held, and the strand closes
  // it only with mutex_ held, so a write can never hit a reused descriptor.
  int fd_ = -1;
  bool io_started_ = false;
  // Under TLS: made by Handshake on the strand before I/O starts; then used
  // only with mutex_ held (OpenSSL's session is not thread-safe, and the
  // sender encrypts while the reader decrypts).
  std::unique_ptr<TlsSession> tls_;
  bool writing_ = false;  // a WriteNext is scheduled or running
  bool closed_ = false;
};

}  // namespace tessera::cluster::transport::detail
