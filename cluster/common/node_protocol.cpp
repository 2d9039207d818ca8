#include "cluster/common/node_protocol.h"

#include "planner/codec_buffer.h"

namespace tessera::cluster {

namespace codec = planner::codec;

namespace {

// Field numbers: 1-9 the transaction header, 10+ the message's own.
void WriteHeader(codec::Writer& w, const TxnHeader& h) {
  w.FieldBytes(1, h.txn_id);
  w.FieldVarint(2, h.snapshot_ts);
  w.FieldVarint(3, h.isolation);
  w.FieldInt(4, h.lock_timeout_ms);
  w.FieldVarint(5, h.statement);
  w.FieldVarint(6, h.keep_undo);
}

bool ReadHeader(const codec::Field& f, TxnHeader& h) {
  switch (f.number) {
    case 1: h.txn_id = std::string(f.bytes); return true;
    case 2: h.snapshot_ts = f.varint; return true;
    case 3: h.isolation = static_cast<uint8_t>(f.varint); return true;
    case 4: h.lock_timeout_ms = f.Int(); return true;
    case 5: h.statement = f.varint; return true;
    case 6: h.keep_undo = f.varint != 0; return true;
    default: return false;
  }
}

template <typename Fn>
void ReadFields(std::string_view bytes, Fn fn) {
  codec::Reader reader(bytes);
  reader.Fields(fn);
}

}  // namespace

std::string Encode(const ExecuteRequest& r) {
  codec::Writer w;
  WriteHeader(w, r.txn);
  w.FieldBytes(10, r.fragment_request);
  w.FieldVarint(11, static_cast<uint64_t>(r.format.date_style));
  w.FieldVarint(12, static_cast<uint64_t>(r.format.date_order));
  w.FieldBytes(13, r.format.time_zone);
  w.FieldInt(14, r.format.extra_float_digits);
  w.FieldInt(15, r.statement_timestamp);
  w.FieldInt(16, r.transaction_timestamp);
  w.FieldVarint(17, r.commit_now);
  w.FieldVarint(18, r.quick);
  w.FieldInt(19, r.time_left_ms);
  w.FieldInt(20, r.memory_limit);
  w.End();
  return w.Take();
}

template <>
ExecuteRequest Decode<ExecuteRequest>(std::string_view bytes) {
  ExecuteRequest r;
  ReadFields(bytes, [&](const codec::Field& f) {
    if (ReadHeader(f, r.txn)) return;
    switch (f.number) {
      case 10: r.fragment_request = std::string(f.bytes); break;
      case 11: r.format.date_style = static_cast<DateStyle>(f.varint); break;
      case 12: r.format.date_order = static_cast<DateOrder>(f.varint); break;
      case 13: r.format.time_zone = std::string(f.bytes); break;
      case 14: r.format.extra_float_digits = static_cast<int>(f.Int()); break;
      case 15: r.statement_timestamp = f.Int(); break;
      case 16: r.transaction_timestamp = f.Int(); break;
      case 17: r.commit_now = f.varint != 0; break;
      case 18: r.quick = f.varint != 0; break;
      case 19: r.time_left_ms = f.Int(); break;
      case 20: r.memory_limit = f.Int(); break;
      default: break;
    }
  });
  return r;
}

std::string Encode(const ExecuteResponse& r) {
  codec::Writer w;
  w.FieldBytes(10, r.fragment_result);
  w.FieldVarint(11, r.snapshot_ts);
  w.FieldVarint(12, r.wrote);
  w.End();
  return w.Take();
}

template <>
ExecuteResponse Decode<ExecuteResponse>(std::string_view bytes) {
  ExecuteResponse r;
  ReadFields(bytes, [&](const codec::Field& f) {
    switch (f.number) {
      case 10: r.fragment_result = std::string(f.bytes); break;
      case 11: r.snapshot_ts = f.varint; break;
      case 12: r.wrote = f.varint != 0; break;
      default: break;
    }
  });
  return r;
}

std::string Encode(const KvRequest& r) {
  codec::Writer w;
  WriteHeader(w, r.txn);
  w.FieldVarint(10, static_cast<uint64_t>(r.op));
  w.FieldBytes(11, r.key);
  w.FieldBytes(12, r.value);
  w.FieldBytes(13, r.end_key);
  w.End();
  return w.Take();
}

template <>
KvRequest Decode<KvRequest>(std::string_view bytes) {
  KvRequest r;
  ReadFields(bytes, [&](const codec::Field& f) {
    if (ReadHeader(f, r.txn)) return;
    switch (f.number) {
      case 10: r.op = static_cast<KvRequest::Op>(f.varint); break;
      case 11: r.key = std::string(f.bytes); break;
      case 12: r.value = std::string(f.bytes); break;
      case 13: r.end_key = std::string(f.bytes); break;
      default: break;
    }
  });
  return r;
}

std::string Encode(const KvResponse& r) {
  codec::Writer w;
  w.FieldVarint(10, r.found);
  w.FieldBytes(11, r.value);
  for (auto& [k, v] : r.pairs) {
    w.FieldBytes(12, k);
    w.FieldBytes(13, v);
  }
  w.End();
  return w.Take();
}

template <>
KvResponse Decode<KvResponse>(std::string_view bytes) {
  KvResponse r;
  ReadFields(bytes, [&](const codec::Field& f) {
    switch (f.number) {
      case 10: r.found = f.varint != 0; break;
      case 11: r.value = std::string(f.bytes); break;
      case 12: r.pairs.emplace_back(std::string(f.bytes), std::string()); break;
      case 13:
        if (r.pairs.empty()) codec::Reader::Corrupt();
        r.pairs.back().second = std::string(f.bytes);
        break;
      default: break;
    }
  });
  return r;
}

std::string Encode(const TxnRequest& r) {
  codec::Writer w;
  w.FieldBytes(1, r.txn_id);
  w.FieldVarint(10, r.commit_ts);
  w.FieldVarint(11, r.write_record);
  w.FieldBytes(12, r.coordinator);
  w.FieldVarint(13, r.after_statement);
  if (r.table_id != 0) w.FieldVarint(14, r.table_id);
  for (auto& key : r.row_keys) w.FieldBytes(15, key);
  w.End();
  return w.Take();
}

template <>
TxnRequest Decode<TxnRequest>(std::string_view bytes) {
  TxnRequest r;
  ReadFields(bytes, [&](const codec::Field& f) {
    switch (f.number) {
      case 1: r.txn_id = std::string(f.bytes); break;
      case 10: r.commit_ts = f.varint; break;
      case 11: r.write_record = f.varint != 0; break;
      case 12: r.coordinator = std::string(f.bytes); break;
      case 13: r.after_statement = f.varint; break;
      case 14: r.table_id = static_cast<uint32_t>(f.varint); break;
      case 15: r.row_keys.emplace_back(f.bytes); break;
      default: break;
    }
  });
  return r;
}

std::string Encode(const TxnStatusResponse& r) {
  codec::Writer w;
  w.FieldVarint(10, static_cast<uint64_t>(r.state));
  w.FieldVarint(11, r.commit_ts);
  w.End();
  return w.Take();
}

template <>
TxnStatusResponse Decode<TxnStatusResponse>(std::string_view bytes) {
  TxnStatusResponse r;
  ReadFields(bytes, [&](const codec::Field& f) {
    switch (f.number) {
      case 10: r.state = static_cast<TxnStatusResponse::State>(f.varint); break;
      case 11: r.commit_ts = f.varint; break;
      default: break;
    }
  });
  return r;
}

std::string EncodeTxnRecord(const TxnStatusResponse& status) { return Encode(status); }
TxnStatusResponse DecodeTxnRecord(std::string_view bytes) { return Decode<TxnStatusResponse>(bytes); }

std::string Encode(const TimestampRequest& r) {
  codec::Writer w;
  w.FieldVarint(10, r.count);
  w.End();
  return w.Take();
}

template <>
TimestampRequest Decode<TimestampRequest>(std::string_view bytes) {
  TimestampRequest r;
  ReadFields(bytes, [&](const codec::Field& f) {
    if (f.number == 10) r.count = static_cast<uint32_t>(f.varint);
  });
  return r;
}

std::string Encode(const TimestampResponse& r) {
  codec::Writer w;
  w.FieldVarint(10, r.first);
  w.End();
  return w.Take();
}

template <>
TimestampResponse Decode<TimestampResponse>(std::string_view bytes) {
  TimestampResponse r;
  ReadFields(bytes, [&](const codec::Field& f) {
    if (f.number == 10) r.first = f.varint;
  });
  return r;
}

std::string Encode(const WaitEdgesResponse& r) {
  codec::Writer w;
  for (auto& e : r.edges) {
    codec::Writer edge;
    edge.FieldBytes(1, e.waiter);
    edge.FieldBytes(2, e.holder);
    edge.FieldInt(3, e.waited_ms);
    edge.End();
    w.FieldBytes(10, edge.Take());
  }
  w.End();
  return w.Take();
}

template <>
WaitEdgesResponse Decode<WaitEdgesResponse>(std::string_view bytes) {
  WaitEdgesResponse r;
  ReadFields(bytes, [&](const codec::Field& f) {
    if (f.number != 10) return;
    WaitEdgesResponse::Edge e;
    ReadFields(f.bytes, [&](const codec::Field& g) {
      if (g.number == 1) e.waiter = std::string(g.bytes);
      if (g.number == 2) e.holder = std::string(g.bytes);
      if (g.number == 3) e.waited_ms = g.Int();
    });
    r.edges.push_back(std::move(e));
  });
  return r;
}

}  // namespace tessera::cluster
