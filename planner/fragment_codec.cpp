// Fragment encoding: values, expressions, table layouts, scans, fragments,
// requests and results, each a list of numbered fields (codec_buffer.h).
#include "common/stack_depth.h"
#include "planner/fragment_codec.h"

#include "planner/codec_buffer.h"

namespace tessera::planner {

using codec::Field;
using codec::Reader;
using codec::Writer;

namespace {

constexpr std::string_view kMagic = "TSF";

namespace {

void EncodeValueInto(Writer& w, const Value& v);

// Scratch writers for encoding rows: a result of a million rows would
// otherwise allocate a string per row and per value (most of its encoding
// time on a storage node).
struct RowScratch {
  Writer row;
  Writer value;
};

// Writes `row` as field `field` of `out`.
void AppendRowField(Writer& out, uint32_t field, const Row& row, RowScratch& scratch) {
  scratch.row.Clear();
  for (const Value& v : row) {
    scratch.value.Clear();
    EncodeValueInto(scratch.value, v);
    scratch.row.FieldBytes(1, scratch.value.View());
  }
  scratch.row.End();
  out.FieldBytes(field, scratch.row.View());
}

void EncodeValueInto(Writer& w, const Value& v) {
  w.FieldVarint(1, static_cast<uint32_t>(v.Id()));
  w.FieldInt(2, v.GetType().typmod);
  const auto& p = v.GetPayload();
  if (std::holds_alternative<int64_t>(p)) w.FieldInt(3, std::get<int64_t>(p));
  else if (std::holds_alternative<double>(p)) w.FieldDouble(4, std::get<double>(p));
  else if (std::holds_alternative<std::string>(p)) w.FieldBytes(5, std::get<std::string>(p));
  else if (std::holds_alternative<Numeric>(p)) {
    const Numeric& n = std::get<Numeric>(p);
    __int128 m = n.Mantissa();
    w.FieldBytes(6, std::string_view(reinterpret_cast<const char*>(&m), sizeof(m)));
    w.FieldInt(7, n.Scale());
  } else if (std::holds_alternative<Value::ArrayRef>(p)) {
    w.FieldBytes(8, EncodeRowBytes(v.GetArray()));  // elements, each an encoded value
  }
  w.End();
}

}  // namespace

std::string EncodeValue(const Value& v) {
  Writer w;
  EncodeValueInto(w, v);
  return w.Take();
}

Value DecodeValue(std::string_view bytes) {
  Type type;
  int which = 0;
  int64_t i = 0;
  double d = 0;
  std::string s;
  __int128 mantissa = 0;
  int32_t scale = 0;
  Row elements;
  Reader(bytes).Fields([&](const Field& f) {
    switch (f.number) {
      case 1: type.id = static_cast<TypeId>(f.varint); break;
      case 2: type.typmod = static_cast<int32_t>(f.Int()); break;
      case 3: which = 3, i = f.Int(); break;
      case 4: which = 4, d = f.fixed; break;
      case 5: which = 5, s = std::string(f.bytes); break;
      case 6:
        if (f.bytes.size() != sizeof(mantissa)) Reader::Corrupt();
        which = 6;
        std::memcpy(&mantissa, f.bytes.data(), sizeof(mantissa));
        break;
      case 7: scale = static_cast<int32_t>(f.Int()); break;
      case 8: which = 8, elements = DecodeRowBytes(f.bytes); break;
      default: break;
    }
  });
  if (which == 0) return Value::Null(type);
  if (which == 8 && IsArrayType(type.id)) return Value::Array(type, std::move(elements));
  switch (type.id) {
    case TypeId::kBool: return Value::Bool(i != 0);
    case TypeId::kInt2: return Value::Int2(static_cast<int16_t>(i));
    case TypeId::kInt4: return Value::Int4(static_cast<int32_t>(i));
    case TypeId::kInt8:
    case TypeId::kOid: return Value::Int8(i);
    case TypeId::kDate: return Value::Date(static_cast<int32_t>(i));
    case TypeId::kTimestamp: return Value::Timestamp(i);
    case TypeId::kTimestampTz: return Value::TimestampTz(i);
    case TypeId::kFloat4: return Value::Float4(static_cast<float>(d));
    case TypeId::kFloat8: return Value::Float8(d);
    case TypeId::kNumeric: return Value::Num(Numeric(mantissa, scale), type.typmod);
    case TypeId::kBytea: return Value::Bytea(std::move(s));
    case TypeId::kUnknown: return Value::Unknown(std::move(s));
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kBpchar: return Value::Text(std::move(s), type);
    default: break;
  }
  Reader::Corrupt();
}

std::string EncodeLayout(const TableLayout& t) {
  Writer w;
  w.FieldVarint(1, t.table_id);
  w.FieldBytes(2, t.table_name);
  for (size_t i = 0; i < t.column_names.size(); ++i) {
    Writer c;
    c.FieldBytes(1, t.column_names[i]);
    c.FieldVarint(2, static_cast<uint32_t>(t.column_types[i].id));
    c.FieldInt(3, t.column_types[i].typmod);
    c.FieldVarint(4, i < t.not_null.size() && t.not_null[i]);
    c.End();
    w.FieldBytes(3, c.Take());
  }
  for (int k : t.primary_key) w.FieldVarint(4, static_cast<uint64_t>(k));
  w.FieldBytes(5, t.primary_key_name);
  for (auto& index : t.indexes) {
    Writer x;
    x.FieldVarint(1, index.id);
    x.FieldBytes(2, index.name);
    for (int c : index.columns) x.FieldVarint(3, static_cast<uint64_t>(c));
    for (bool d : index.descending) x.FieldVarint(4, d);
    x.FieldVarint(5, index.unique);
    x.End();
    w.FieldBytes(6, x.Take());
  }
  for (auto& check : t.checks) {
    Writer x;
    x.FieldBytes(1, check.name);
    x.FieldBytes(2, EncodeExpr(*check.expr));
    x.End();
    w.FieldBytes(7, x.Take());
  }
  w.FieldBytes(8, t.schema_name);
  w.End();
  return w.Take();
}

TableLayout DecodeLayout(std::string_view bytes) {
  TableLayout t;
  Reader(bytes).Fields([&](const Field& f) {
    switch (f.number) {
      case 1: t.table_id = static_cast<uint32_t>(f.varint); break;
      case 2: t.table_name = std::string(f.bytes); break;
      case 8: t.schema_name = std::string(f.bytes); break;
      case 3: {
        std::string name;
        Type type;
        bool not_null = false;
        Reader(f.bytes).Fields([&](const Field& c) {
          if (c.number == 1) name = std::string(c.bytes);
          if (c.number == 2) type.id = static_cast<TypeId>(c.varint);
          if (c.number == 3) type.typmod = static_cast<int32_t>(c.Int());
          if (c.number == 4) not_null = c.varint != 0;
        });
        t.column_names.push_back(name);
        t.column_types.push_back(type);
        t.not_null.push_back(not_null);
        break;
      }
      case 4: t.primary_key.push_back(static_cast<int>(f.varint)); break;
      case 5: t.primary_key_name = std::string(f.bytes); break;
      case 6: {
        TableLayout::Index index;
        Reader(f.bytes).Fields([&](const Field& x) {
          if (x.number == 1) index.id = static_cast<uint32_t>(x.varint);
          if (x.number == 2) index.name = std::string(x.bytes);
          if (x.number == 3) index.columns.push_back(static_cast<int>(x.varint));
          if (x.number == 4) index.descending.push_back(x.varint != 0);
          if (x.number == 5) index.unique = x.varint != 0;
        });
        t.indexes.push_back(std::move(index));
        break;
      }
      case 7: {
        TableLayout::Check check;
        Reader(f.bytes).Fields([&](const Field& x) {
          if (x.number == 1) check.name = std::string(x.bytes);
          if (x.number == 2) check.expr = DecodeExpr(x.bytes);
        });
        if (!check.expr) Reader::Corrupt();
        t.checks.push_back(std::move(check));
        break;
      }
      default: break;
    }
  });
  return t;
}

void EncodeExprs(Writer& w, uint32_t field, const std::vector<ExprRef>& exprs) {
  for (auto& e : exprs) w.FieldBytes(field, EncodeExpr(*e));
}

std::string EncodeSortKey(const SortKey& k) {
  Writer w;
  w.FieldBytes(1, EncodeExpr(*k.expr));
  w.FieldVarint(2, k.descending);
  w.FieldVarint(3, k.nulls_first);
  w.End();
  return w.Take();
}

SortKey DecodeSortKey(std::string_view bytes) {
  SortKey k;
  Reader(bytes).Fields([&](const Field& f) {
    if (f.number == 1) k.expr = DecodeExpr(f.bytes);
    if (f.number == 2) k.descending = f.varint != 0;
    if (f.number == 3) k.nulls_first = f.varint != 0;
  });
  if (!k.expr) Reader::Corrupt();
  return k;
}

std::string EncodeScan(const ScanSpec& s) {
  Writer w;
  w.FieldVarint(1, static_cast<uint8_t>(s.kind));
  w.FieldVarint(2, s.index_id);
  EncodeExprs(w, 3, s.lower);
  w.FieldVarint(4, s.lower_inclusive);
  EncodeExprs(w, 5, s.upper);
  w.FieldVarint(6, s.upper_inclusive);
  w.FieldVarint(7, s.equalities);
  w.FieldVarint(8, s.key_array);
  w.End();
  return w.Take();
}

ScanSpec DecodeScan(std::string_view bytes) {
  ScanSpec s;
  Reader(bytes).Fields([&](const Field& f) {
    switch (f.number) {
      case 1: s.kind = static_cast<ScanKind>(f.varint); break;
      case 2: s.index_id = static_cast<uint32_t>(f.varint); break;
      case 3: s.lower.push_back(DecodeExpr(f.bytes)); break;
      case 4: s.lower_inclusive = f.varint != 0; break;
      case 5: s.upper.push_back(DecodeExpr(f.bytes)); break;
      case 6: s.upper_inclusive = f.varint != 0; break;
      case 7: s.equalities = static_cast<uint32_t>(f.varint); break;
      case 8: s.key_array = f.varint != 0; break;
      default: break;
    }
  });
  return s;
}

void WriteHeader(Writer& w) {
  w.Raw(kMagic);
  w.Varint(kFragmentFormatVersion);
}

Reader ReadHeader(std::string_view bytes) {
  if (bytes.substr(0, kMagic.size()) != kMagic) Reader::Corrupt();
  Reader r(bytes.substr(kMagic.size()));
  uint64_t version = r.Varint();
  if (version == 0) Reader::Corrupt();
  // Newer versions only add fields, which the field readers skip.
  return r;
}

}  // namespace

std::string EncodeRowBytes(const Row& row) {
  Writer w;
  Writer value;
  for (auto& v : row) {
    value.Clear();
    EncodeValueInto(value, v);
    w.FieldBytes(1, value.View());
  }
  w.End();
  return w.Take();
}

Row DecodeRowBytes(std::string_view bytes) {
  Row row;
  row.reserve(8);
  Reader(bytes).Fields([&](const Field& f) {
    if (f.number == 1) row.push_back(DecodeValue(f.bytes));
  });
  return row;
}

std::string EncodeExpr(const BoundExpr& e) {
  CheckStackDepth();
  Writer w;
  w.FieldVarint(1, static_cast<uint8_t>(e.kind));
  w.FieldVarint(2, static_cast<uint32_t>(e.type.id));
  w.FieldInt(3, e.type.typmod);
  if (e.kind == BoundExprKind::kConstant) w.FieldBytes(4, EncodeValue(e.value));
  if (e.index != 0) w.FieldInt(5, e.index);
  if (e.op != 0) w.FieldVarint(6, e.op);
  if (e.negated) w.FieldVarint(7, 1);
  if (e.distinct) w.FieldVarint(8, 1);
  if (!e.name.empty()) w.FieldBytes(9, e.name);
  EncodeExprs(w, 10, e.args);
  w.End();
  return w.Take();
}

ExprRef DecodeExpr(std::string_view bytes) {
  CheckStackDepth();
  auto e = std::make_shared<BoundExpr>();
  Reader(bytes).Fields([&](const Field& f) {
    switch (f.number) {
      case 1: e->kind = static_cast<BoundExprKind>(f.varint); break;
      case 2: e->type.id = static_cast<TypeId>(f.varint); break;
      case 3: e->type.typmod = static_cast<int32_t>(f.Int()); break;
      case 4: e->value = DecodeValue(f.bytes); break;
      case 5: e->index = static_cast<int32_t>(f.Int()); break;
      case 6: e->op = static_cast<uint8_t>(f.varint); break;
      case 7: e->negated = f.varint != 0; break;
      case 8: e->distinct = f.varint != 0; break;
      case 9: e->name = std::string(f.bytes); break;
      case 10: e->args.push_back(DecodeExpr(f.bytes)); break;
      default: break;
    }
  });
  if (e->kind == BoundExprKind::kFunction) {
    // Arguments already carry the overload's exact types, so this resolves to the same overload.
    std::vector<Type> types;
    for (auto& a : e->args) types.push_back(a->type);
    e->fn = ResolveFunction(e->name, types).overload;
  }
  return e;
}

namespace {

std::string EncodeJoin(const FragmentJoin& j) {
  Writer w;
  w.FieldVarint(1, static_cast<uint8_t>(j.kind));
  w.FieldVarint(2, static_cast<uint8_t>(j.method));
  w.FieldBytes(3, EncodeLayout(j.table));
  w.FieldBytes(4, EncodeScan(j.scan));
  if (j.filter) w.FieldBytes(5, EncodeExpr(*j.filter));
  if (j.condition) w.FieldBytes(6, EncodeExpr(*j.condition));
  w.End();
  return w.Take();
}

std::shared_ptr<const FragmentJoin> DecodeJoin(std::string_view bytes) {
  auto j = std::make_shared<FragmentJoin>();
  bool has_table = false;
  Reader(bytes).Fields([&](const Field& f) {
    switch (f.number) {
      case 1: j->kind = static_cast<FragmentJoinKind>(f.varint); break;
      case 2: j->method = static_cast<FragmentJoinMethod>(f.varint); break;
      case 3: j->table = DecodeLayout(f.bytes), has_table = true; break;
      case 4: j->scan = DecodeScan(f.bytes); break;
      case 5: j->filter = DecodeExpr(f.bytes); break;
      case 6: j->condition = DecodeExpr(f.bytes); break;
      default: break;
    }
  });
  if (!has_table || j->kind > FragmentJoinKind::kLeft || j->method > FragmentJoinMethod::kHashInner) Reader::Corrupt();
  return j;
}

std::string EncodeSetColumn(const SetColumn& s) {
  Writer x;
  x.FieldVarint(1, static_cast<uint64_t>(s.column));
  x.FieldBytes(2, EncodeExpr(*s.value));
  x.End();
  return x.Take();
}

SetColumn DecodeSetColumn(std::string_view bytes) {
  SetColumn s;
  Reader(bytes).Fields([&](const Field& y) {
    if (y.number == 1) s.column = static_cast<int>(y.varint);
    if (y.number == 2) s.value = DecodeExpr(y.bytes);
  });
  if (!s.value) Reader::Corrupt();
  return s;
}

}  // namespace

std::string EncodeFragment(const Fragment& f) {
  Writer w;
  w.FieldVarint(1, static_cast<uint8_t>(f.kind));
  w.FieldBytes(2, EncodeLayout(f.table));
  w.FieldBytes(3, EncodeScan(f.scan));
  if (f.filter) w.FieldBytes(4, EncodeExpr(*f.filter));
  EncodeExprs(w, 5, f.projection);
  for (auto& k : f.top_n) w.FieldBytes(6, EncodeSortKey(k));
  w.FieldInt(7, f.limit);
  for (auto& s : f.set) w.FieldBytes(8, EncodeSetColumn(s));
  EncodeExprs(w, 9, f.returning);
  if (f.on_conflict_do_nothing) w.FieldVarint(10, 1);
  EncodeExprs(w, 11, f.group_by);
  EncodeExprs(w, 12, f.aggregates);
  if (f.join) w.FieldBytes(13, EncodeJoin(*f.join));
  if (f.await_writers_only) w.FieldVarint(14, 1);
  w.FieldInt(15, f.conflict_arbiter);
  if (f.on_conflict_do_update) w.FieldVarint(16, 1);
  for (auto& s : f.conflict_set) w.FieldBytes(17, EncodeSetColumn(s));
  if (f.conflict_filter) w.FieldBytes(18, EncodeExpr(*f.conflict_filter));
  if (f.lock_rows) w.FieldVarint(19, 1);
  if (f.lock_wait != RowLockWait::kBlock) w.FieldVarint(20, static_cast<uint8_t>(f.lock_wait));
  EncodeExprs(w, 21, f.returning_old);
  if (f.fk_returning != 0) w.FieldVarint(22, f.fk_returning);
  w.End();
  return w.Take();
}

Fragment DecodeFragment(std::string_view bytes) {
  Fragment f;
  Reader(bytes).Fields([&](const Field& x) {
    switch (x.number) {
      case 1: f.kind = static_cast<FragmentKind>(x.varint); break;
      case 2: f.table = DecodeLayout(x.bytes); break;
      case 3: f.scan = DecodeScan(x.bytes); break;
      case 4: f.filter = DecodeExpr(x.bytes); break;
      case 5: f.projection.push_back(DecodeExpr(x.bytes)); break;
      case 6: f.top_n.push_back(DecodeSortKey(x.bytes)); break;
      case 7: f.limit = x.Int(); break;
      case 8: f.set.push_back(DecodeSetColumn(x.bytes)); break;
      case 9: f.returning.push_back(DecodeExpr(x.bytes)); break;
      case 10: f.on_conflict_do_nothing = x.varint != 0; break;
      case 11: f.group_by.push_back(DecodeExpr(x.bytes)); break;
      case 12: f.aggregates.push_back(DecodeExpr(x.bytes)); break;
      case 13: f.join = DecodeJoin(x.bytes); break;
      case 14: f.await_writers_only = x.varint != 0; break;
      case 15: f.conflict_arbiter = x.Int(); break;
      case 16: f.on_conflict_do_update = x.varint != 0; break;
      case 17: f.conflict_set.push_back(DecodeSetColumn(x.bytes)); break;
      case 18: f.conflict_filter = DecodeExpr(x.bytes); break;
      case 19: f.lock_rows = x.varint != 0; break;
      case 20:
        if (x.varint > static_cast<uint8_t>(RowLockWait::kSkipLocked)) Reader::Corrupt();
        f.lock_wait = static_cast<RowLockWait>(x.varint);
        break;
      case 21: f.returning_old.push_back(DecodeExpr(x.bytes)); break;
      case 22: f.fk_returning = static_cast<uint32_t>(x.varint); break;
      default: break;
    }
  });
  return f;
}

std::string EncodeFragmentRequest(const FragmentRequest& request) {
  Writer w;
  WriteHeader(w);
  w.FieldBytes(1, EncodeFragment(*request.fragment));
  for (auto& p : request.params) w.FieldBytes(2, EncodeValue(p));
  RowScratch scratch;
  for (auto& r : request.rows) AppendRowField(w, 3, r, scratch);
  for (auto& s : request.subquery_rows) AppendRowField(w, 4, s, scratch);
  for (int64_t id : request.row_ids) w.FieldInt(5, id);
  if (request.want_row_keys) w.FieldVarint(6, 1);
  for (auto& v : request.outer_values) w.FieldBytes(7, EncodeValue(v));
  w.End();
  return w.Take();
}

FragmentRequest DecodeFragmentRequest(std::string_view bytes) {
  FragmentRequest request;
  ReadHeader(bytes).Fields([&](const Field& f) {
    if (f.number == 1) request.fragment = std::make_shared<Fragment>(DecodeFragment(f.bytes));
    if (f.number == 2) request.params.push_back(DecodeValue(f.bytes));
    if (f.number == 3) request.rows.push_back(DecodeRowBytes(f.bytes));
    if (f.number == 4) request.subquery_rows.push_back(DecodeRowBytes(f.bytes));
    if (f.number == 5) request.row_ids.push_back(f.Int());
    if (f.number == 6) request.want_row_keys = f.varint != 0;
    if (f.number == 7) request.outer_values.push_back(DecodeValue(f.bytes));
  });
  if (!request.fragment) Reader::Corrupt();
  return request;
}

std::string EncodeFragmentResult(const FragmentResult& result, const std::function<void()>& per_row) {
  Writer w;
  WriteHeader(w);
  RowScratch scratch;
  for (auto& r : result.rows) {
    AppendRowField(w, 1, r, scratch);
    if (per_row) per_row();
  }
  w.FieldInt(2, result.affected);
  for (auto& k : result.row_keys) w.FieldBytes(3, k);
  w.End();
  return w.Take();
}

FragmentResult DecodeFragmentResult(std::string_view bytes, const std::function<void()>& per_row) {
  FragmentResult result;
  ReadHeader(bytes).Fields([&](const Field& f) {
    if (f.number == 1) {
      result.rows.push_back(DecodeRowBytes(f.bytes));
      if (per_row) per_row();
    }
    if (f.number == 2) result.affected = f.Int();
    if (f.number == 3) result.row_keys.emplace_back(f.bytes);
  });
  return result;
}

}  // namespace tessera::planner
