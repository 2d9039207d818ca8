// What pg_cursors, pg_prepared_statements and pg_stat_activity show to this session, lent to
// the planner while it plans (catalog/system/session_relations.h).
#include <chrono>

#include "catalog/acl.h"
#include "catalog/document_catalog.h"
#include "catalog/system/session_relations.h"
#include "catalog/system/system_oids.h"
#include "catalog/system/system_values.h"
#include "common/session_activity.h"
#include "executor/sql_session.h"

namespace tessera::executor {

namespace {

class SessionRowsView final : public catalog::system::SessionRows {
 public:
  using SequenceReader = std::function<std::optional<Row>(const std::string& schema, const std::string& name)>;
  SessionRowsView(const Session::NamedStatements& statements,
                  const std::map<std::string, std::unique_ptr<SqlCursor>>& cursors, const SessionSettings& settings,
                  SequenceReader sequences, const catalog::CatalogSnapshot& snapshot, uint32_t role)
      : statements_(statements),
        cursors_(cursors),
        settings_(settings),
        sequences_(std::move(sequences)),
        snapshot_(snapshot),
        role_(role) {}

  std::vector<Row> Cursors() const override {
    std::vector<Row> rows;
    for (const auto& [name, cursor] : cursors_) {
      const SqlCursor::Info& info = cursor->Details();
      rows.push_back({Value::Text(name), Value::Text(info.statement), Value::Bool(info.hold), Value::Bool(info.binary),
                      Value::Bool(info.scroll), Value::TimestampTz(info.creation_time)});
    }
    return rows;
  }

  std::vector<Row> PreparedStatements() const override {
    std::vector<Row> rows;
    for (const auto& [name, statement] : statements_) {
      auto prepared = std::dynamic_pointer_cast<SqlPrepared>(statement);
      if (name.empty() || prepared == nullptr) continue;  // the unnamed one is not listed
      std::string types = "{";
      for (size_t i = 0; i < prepared->param_types_.size(); ++i)
        types += (i ? "," : "") + FormatType(Type::Of(prepared->param_types_[i].id));
      types += "}";
      // generic_plans and custom_plans: Tessera does not count its plans.
      rows.push_back({Value::Text(name), Value::Text(prepared->from_sql_ ? prepared->prepare_text_ : prepared->sql_),
                      Value::TimestampTz(prepared->prepare_time_), Value::Text(types), Value::Bool(prepared->from_sql_),
                      Value::Null(), Value::Null()});
    }
    return rows;
  }

  // pg_settings: what SHOW ALL shows, with the default as boot_val and
  // reset_val. Tessera does not keep a setting's unit, category, context,
  // type, source or range, so those columns are NULL rather than guessed.
  std::vector<Row> Settings() const override {
    std::vector<Row> rows;
    Value none = Value::Null();
    for (const auto& s : settings_.ShowAllWithDefaults()) {
      rows.push_back({Value::Text(s[0]), Value::Text(s[1]), none, none, Value::Text(s[2]), none, none, none, none,
                      none, none, none, Value::Text(s[3]), Value::Text(s[3]), none, none, Value::Bool(false)});
    }
    return rows;
  }

  std::optional<Row> SequenceRow(const std::string& schema, const std::string& name) const override {
    return sequences_(schema, name);
  }

 private:
  std::vector<Row> Activity() const override {
    std::vector<Row> rows;
    const bool superuser = catalog::IsSuperuser(snapshot_, role_);
    for (const SessionActivity& a : ActivityRegistry::Sessions()) {
      const catalog::RoleInfo* user = snapshot_.FindRole(a.user);
      Value usesysid = user ? catalog::system::OidValue(user->oid) : Value::Null();
      Value datid = a.database == catalog::system::kDatabaseName ? catalog::system::OidValue(catalog::system::kDatabaseOid) : Value::Null();
      // What every role may see of every session (PostgreSQL's pg_stat_get_activity).
      Row row{datid, Value::Text(a.database), Value::Int4(a.pid), Value::Null(), usesysid, Value::Text(a.user),
              Value::Text(a.application_name)};
      const bool visible = superuser || (user && catalog::IsMemberOf(snapshot_, role_, user->oid, true));
      if (!visible) {
        row.resize(20, Value::Null());
        row.push_back(Value::Text("<insufficient privilege>"));
        row.push_back(Value::Null());
        rows.push_back(std::move(row));
        continue;
      }
      auto time = [](int64_t t) { return t == 0 ? Value::Null() : Value::TimestampTz(t); };
      bool tcp = !a.client_address.empty() && a.client_address != "unknown";
      row.push_back(tcp ? Value::Text(a.client_address) : Value::Null());  // client_addr
      row.push_back(Value::Null());                                           // client_hostname
      row.push_back(tcp ? Value::Int4(a.client_port) : Value::Int4(-1));      // client_port (-1: Unix socket)
      row.push_back(time(a.backend_start));
      row.push_back(time(a.xact_start));
      row.push_back(time(a.query_start));
      row.push_back(time(a.state_change));
      row.push_back(Value::Null());  // wait_event_type
      row.push_back(Value::Null());  // wait_event
      row.push_back(Value::Text(a.state));
      row.push_back(Value::Null());  // backend_xid
      row.push_back(Value::Null());  // backend_xmin
      row.push_back(Value::Null());  // query_id
      row.push_back(Value::Text(a.query));
      row.push_back(Value::Text("client backend"));
      rows.push_back(std::move(row));
    }
    return rows;
  }

 private:
  const Session::NamedStatements& statements_;
  const std::map<std::string, std::unique_ptr<SqlCursor>>& cursors_;
  const SessionSettings& settings_;
  SequenceReader sequences_;
  const catalog::CatalogSnapshot& snapshot_;
  uint32_t role_;
};

}  // namespace

// A sequence read as a relation: (last_value, log_cnt, is_called), as
// PostgreSQL's sequence tuple shows them; SELECT on it is needed (42501).
// Only the embedded server hands out every value itself and so knows the
// last one without moving the sequence (DocumentCatalog::SequencePosition).
std::optional<Row> SqlSession::SequenceRow(const std::string& schema, const std::string& name) {
  if (!db_.SingleProcess()) return std::nullopt;
  auto* shared = dynamic_cast<catalog::DocumentCatalog*>(&db_.Catalog());
  auto snapshot = SessionCatalog().Snapshot();
  const catalog::SequenceInfo* seq = snapshot->FindSequence(schema, name);
  if (shared == nullptr || seq == nullptr || seq->name.find('$') != std::string::npos) return std::nullopt;
  catalog::CheckSequencePrivileges(*snapshot, *seq, CurrentRole().oid, catalog::privilege::kSelect);
  if (!shared->Snapshot()->FindSequence(seq->schema, seq->name)) return std::nullopt;  // created in this block
  auto [last_value, is_called] = shared->SequencePosition(seq->schema, seq->name);
  return Row{Value::Int8(last_value), Value::Int8(0), Value::Bool(is_called)};
}

int64_t PgNowMicros() {
  using namespace std::chrono;
  int64_t unix_us = duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
  return unix_us - 946684800LL * 1000000LL;
}

planner::PlannedQuery SqlSession::Plan(const ast::Statement& stmt, const catalog::CatalogSnapshot& snapshot,
                                       const std::vector<Type>& param_types, bool* reads_session_rows) {
  SessionRowsView rows(
      statements_, cursors_, settings_,
      [this](const std::string& schema, const std::string& name) { return SequenceRow(schema, name); }, snapshot,
      CurrentRole().oid);
  catalog::system::ScopedSessionRows lend(&rows);
  catalog::system::TakeSessionRowsRead();
  planner::PlannedQuery plan = planner::PlanQuery(stmt, snapshot, param_types, CurrentUser(), user_);
  bool read = catalog::system::TakeSessionRowsRead();
  if (reads_session_rows != nullptr) *reads_session_rows = read;
  return plan;
}

}  // namespace tessera::executor
