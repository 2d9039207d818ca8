#include "cluster/replication/replication_protocol.h"

#include "common/error.h"
#include "planner/codec_buffer.h"

namespace tessera::cluster::replication {

namespace codec = planner::codec;

std::string EncodeReplicate(const ReplicateRequest& r) {
  codec::Writer w;
  w.FieldVarint(1, r.epoch);
  w.FieldBytes(2, r.primary);
  for (const auto& [position, bytes] : r.records) {
    w.FieldVarint(3, position);
    w.FieldBytes(4, bytes);
  }
  if (!r.backup.empty()) w.FieldBytes(5, r.backup);
  w.End();
  return w.Take();
}

ReplicateRequest DecodeReplicateRequest(std::string_view bytes) {
  ReplicateRequest r;
  uint64_t pending_position = 0;
  bool have_position = false;
  codec::Reader reader(bytes);
  reader.Fields([&](const codec::Field& f) {
    switch (f.number) {
      case 1: r.epoch = f.varint; break;
      case 2: r.primary = std::string(f.bytes); break;
      case 5: r.backup = std::string(f.bytes); break;
      case 3:
        pending_position = f.varint;
        have_position = true;
        break;
      case 4:
        if (!have_position) throw SqlError("XX001", "replication request: a record without its position");
        r.records.emplace_back(pending_position, std::string(f.bytes));
        have_position = false;
        break;
      default: break;
    }
  });
  return r;
}

std::string EncodeReplicate(const ReplicateResponse& r) {
  codec::Writer w;
  w.FieldVarint(1, r.applied);
  w.FieldVarint(2, r.last_hash);
  w.End();
  return w.Take();
}

ReplicateResponse DecodeReplicateResponse(std::string_view bytes) {
  ReplicateResponse r;
  codec::Reader reader(bytes);
  reader.Fields([&](const codec::Field& f) {
    if (f.number == 1) r.applied = f.varint;
    if (f.number == 2) r.last_hash = f.varint;
  });
  return r;
}

}  // namespace tessera::cluster::replication
