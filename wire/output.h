// Where a protocol handler's bytes go. The Asio connection implements it
// by handing chunks to the socket's strand; tests implement it with a string.
#pragma once

#include <string>

namespace tessera::wire {

class Output {
 public:
  virtual ~Output() = default;
  // Sends bytes to the client, in order. May block the calling worker
  // thread while the socket catches up (back-pressure), never an I/O thread.
  virtual void Send(std::string bytes) = 0;
  // Closes the connection once everything sent so far is written.
  virtual void Close() = 0;
};

}  // namespace tessera::wire
