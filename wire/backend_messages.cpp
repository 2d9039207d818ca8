#include "wire/backend_messages.h"

namespace tessera::wire {

void AuthenticationOk::Encode(WriteBuffer& out) const {
  size_t at = out.Begin('R');
  out.PutInt32(0);
  out.End(at);
}

void AuthenticationRequest::Encode(WriteBuffer& out) const {
  size_t at = out.Begin('R');
  out.PutInt32(code);
  for (const std::string& mechanism : mechanisms) out.PutCString(mechanism);
  if (!mechanisms.empty()) out.PutByte(0);
  out.PutBytes(data);
  out.End(at);
}

void ParameterStatus::Encode(WriteBuffer& out) const {
  size_t at = out.Begin('S');
  out.PutCString(name);
  out.PutCString(value);
  out.End(at);
}

void BackendKeyData::Encode(WriteBuffer& out) const {
  size_t at = out.Begin('K');
  out.PutInt32(process_id);
  out.PutInt32(secret_key);
  out.End(at);
}

void NegotiateProtocolVersion::Encode(WriteBuffer& out) const {
  size_t at = out.Begin('v');
  out.PutInt32((3 << 16) | newest_minor);
  out.PutInt32(static_cast<int32_t>(unrecognized_options.size()));
  for (const auto& option : unrecognized_options) out.PutCString(option);
  out.End(at);
}

void ReadyForQuery::Encode(WriteBuffer& out) const {
  size_t at = out.Begin('Z');
  out.PutByte(static_cast<uint8_t>(status));
  out.End(at);
}

ErrorFields ErrorFields::From(const SqlError& error, std::string severity) {
  return ErrorFields{std::move(severity), error.Sqlstate(), error.Message(), error.Detail(), error.Hint(),
                     error.Position(), error.Context(), error.Object()};
}

void ErrorFields::Encode(WriteBuffer& out, char type) const {
  size_t at = out.Begin(type);
  auto field = [&out](char code, const std::string& value) {
    if (value.empty()) return;
    out.PutByte(static_cast<uint8_t>(code));
    out.PutCString(value);
  };
  // 'S' may be localised; 'V' (since 9.6) never is. We send both the same.
  field('S', severity);
  field('V', severity);
  field('C', sqlstate);
  field('M', message);
  field('D', detail);
  field('H', hint);
  if (position > 0) field('P', std::to_string(position));
  field('W', context);
  field('s', object.schema);
  field('t', object.table);
  field('c', object.column);
  field('d', object.datatype);
  field('n', object.constraint);
  out.PutByte(0);
  out.End(at);
}

void RowDescription::Encode(WriteBuffer& out) const {
  size_t at = out.Begin('T');
  out.PutInt16(static_cast<int16_t>(columns->size()));
  for (size_t i = 0; i < columns->size(); ++i) {
    const ColumnDesc& col = (*columns)[i];
    out.PutCString(col.name);
    out.PutInt32(static_cast<int32_t>(col.table_oid));
    out.PutInt16(col.column_number);
    out.PutInt32(static_cast<int32_t>(col.type.id));
    out.PutInt16(TypeLength(col.type.id));
    out.PutInt32(col.type.typmod);
    out.PutInt16(formats != nullptr && i < formats->size() ? (*formats)[i] : 0);
  }
  out.End(at);
}

void ParameterDescription::Encode(WriteBuffer& out) const {
  size_t at = out.Begin('t');
  out.PutInt16(static_cast<int16_t>(types.size()));
  for (const Type& type : types) out.PutInt32(static_cast<int32_t>(type.id));
  out.End(at);
}

void CommandComplete::Encode(WriteBuffer& out) const {
  size_t at = out.Begin('C');
  out.PutCString(tag);
  out.End(at);
}

void EncodeEmpty(WriteBuffer& out, char type) {
  size_t at = out.Begin(type);
  out.End(at);
}

}  // namespace tessera::wire
