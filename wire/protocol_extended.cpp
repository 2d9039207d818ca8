// The extended query protocol: Parse, Bind, Describe, Execute, Close, Sync.
#include "common/utf8.h"
#include "wire/backend_messages.h"
#include "wire/frontend_messages.h"
#include "wire/protocol_handler.h"
#include "wire/result_writer.h"
#include "wire/value_codec.h"

namespace tessera::wire {

namespace {

SqlError NoSuchStatement(const std::string& name) {
  if (name.empty()) return SqlError(sqlstate::kInvalidSqlStatementName, "unnamed prepared statement does not exist");
  return SqlError(sqlstate::kInvalidSqlStatementName, "prepared statement \"" + name + "\" does not exist");
}

SqlError NoSuchPortal(const std::string& name) {
  return SqlError(sqlstate::kInvalidCursorName, "portal \"" + name + "\" does not exist");
}

// A Bind's format codes: none (all text), one for all, or one each.
std::vector<int16_t> ExpandFormats(const std::vector<int16_t>& codes, size_t count) {
  for (int16_t code : codes) CheckFormatCode(code);
  if (codes.empty()) return std::vector<int16_t>(count, kTextFormat);
  if (codes.size() == 1) return std::vector<int16_t>(count, codes[0]);
  return codes;
}

}  // namespace

void ProtocolHandler::HandleParse(const std::string& body) {
  ParseMessage parse = ParseMessage::Decode(body);
  utf8::Check(parse.sql);
  if (!parse.statement.empty() && session_->Statements().count(parse.statement)) {
    throw SqlError(sqlstate::kDuplicatePreparedStatement,
                   "prepared statement \"" + parse.statement + "\" already exists");
  }
  std::vector<Type> types;
  types.reserve(parse.param_type_oids.size());
  // OID 0 asks the server to infer the type; the session sees kUnknown.
  for (uint32_t oid : parse.param_type_oids) {
    types.push_back(Type::Of(oid == 0 ? TypeId::kUnknown : static_cast<TypeId>(oid)));
  }
  session_->Statements()[parse.statement] = session_->Prepare(parse.sql, types);
  EncodeEmpty(out_, '1');
}

void ProtocolHandler::HandleBind(const std::string& body) {
  BindMessage bind = BindMessage::Decode(body);
  auto it = session_->Statements().find(bind.statement);
  if (it == session_->Statements().end()) throw NoSuchStatement(bind.statement);
  std::shared_ptr<PreparedStatement> statement = it->second;
  if (!bind.portal.empty() && portals_.count(bind.portal)) {
    throw SqlError("42P03", "cursor \"" + bind.portal + "\" already exists");
  }
  const std::vector<Type>& types = statement->ParamTypes();
  size_t n = bind.params.size();
  if (bind.param_formats.size() > 1 && bind.param_formats.size() != n) {
    throw SqlError(sqlstate::kProtocolViolation, "bind message has " + std::to_string(bind.param_formats.size()) +
                                                     " parameter formats but " + std::to_string(n) + " parameters");
  }
  if (n != types.size()) {
    throw SqlError(sqlstate::kProtocolViolation,
                   "bind message supplies " + std::to_string(n) + " parameters, but prepared statement \"" +
                       bind.statement + "\" requires " + std::to_string(types.size()));
  }
  std::vector<int16_t> param_formats = ExpandFormats(bind.param_formats, n);
  std::vector<Value> params;
  params.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    params.push_back(DecodeParam(bind.params[i], param_formats[i], types[i], session_->Format(), static_cast<int>(i + 1)));
  }
  size_t columns = statement->ResultColumns().size();
  if (bind.result_formats.size() > 1 && bind.result_formats.size() != columns) {
    throw SqlError(sqlstate::kProtocolViolation, "bind message has " + std::to_string(bind.result_formats.size()) +
                                                     " result formats but query has " + std::to_string(columns) +
                                                     " columns");
  }
  PortalState state;
  state.formats = ExpandFormats(bind.result_formats, columns);
  state.portal = session_->Bind(statement, std::move(params));
  state.sql = statement->Sql();
  portals_[bind.portal] = std::move(state);
  EncodeEmpty(out_, '2');
}

void ProtocolHandler::HandleDescribe(const std::string& body) {
  DescribeMessage describe = DescribeMessage::Decode(body);
  if (describe.target == 'S') {
    auto it = session_->Statements().find(describe.name);
    if (it == session_->Statements().end()) throw NoSuchStatement(describe.name);
    ParameterDescription{it->second->ParamTypes()}.Encode(out_);
    const auto& columns = it->second->ResultColumns();
    // Result formats are not known before Bind, so a statement describes as text.
    if (columns.empty()) {
      EncodeEmpty(out_, 'n');
    } else {
      RowDescription{&columns, nullptr}.Encode(out_);
    }
    return;
  }
  auto it = portals_.find(describe.name);
  if (it == portals_.end()) {
    // A cursor of SQL DECLARE is a portal too; it returns text.
    const std::vector<ColumnDesc>* cursor = session_->CursorColumns(describe.name);
    if (cursor == nullptr) throw NoSuchPortal(describe.name);
    RowDescription{cursor, nullptr}.Encode(out_);
    return;
  }
  const auto& columns = it->second.portal->ResultColumns();
  if (columns.empty()) {
    EncodeEmpty(out_, 'n');
  } else {
    RowDescription{&columns, &it->second.formats}.Encode(out_);
  }
}

void ProtocolHandler::HandleExecute(const std::string& body) {
  ExecuteMessage execute = ExecuteMessage::Decode(body);
  auto it = portals_.find(execute.portal);
  if (it == portals_.end()) throw NoSuchPortal(execute.portal);
  PortalState& state = it->second;
  ResultWriter writer(out_, session_->Format(), state.formats, [this] { Flush(); }, &copy_input_);
  size_t max_rows = execute.max_rows > 0 ? static_cast<size_t>(execute.max_rows) : 0;
  activity_->Started(state.sql);
  bool done = state.portal->Execute(max_rows, writer);
  if (!done) EncodeEmpty(out_, 's');
  SendChangedParameters();
}

void ProtocolHandler::HandleClose(const std::string& body) {
  CloseMessage close = CloseMessage::Decode(body);
  // Closing something that does not exist is not an error.
  if (close.target == 'S') {
    session_->Statements().erase(close.name);
  } else {
    portals_.erase(close.name);
  }
  EncodeEmpty(out_, '3');
}

void ProtocolHandler::HandleSync() {
  skip_until_sync_ = false;
  try {
    session_->Sync();
  } catch (const SqlError& error) {
    SendError(error, "ERROR");
  }
  // Portals live only as long as their transaction.
  if (session_->Status() == TxnStatus::kIdle) portals_.clear();
  SendChangedParameters();
  SendReadyForQuery();
}

}  // namespace tessera::wire
