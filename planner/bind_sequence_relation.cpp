// FROM a sequence: its one row (last_value, log_cnt, is_called), as
// PostgreSQL reads a sequence's tuple; pg_dump reads each sequence's
// position so. The planning session lends the row (session_relations.h), so
// a plan that reads one is made again at every use and shows the sequence
// as it is then. Where the session cannot read it without moving it (a
// cluster's gateway) it stays 0A000.
#include "catalog/system/session_relations.h"
#include "catalog/system/system_oids.h"
#include "common/error.h"
#include "planner/bind_select_internal.h"
#include "planner/logical_system_scan.h"

namespace tessera::planner {

std::optional<FromResult> SelectBinder::BindSequenceRelation(const ast::TableRef& ref) {
  const ast::QualifiedName& name = ref.table;
  const catalog::SequenceInfo* seq = binder_.catalog_.FindSequence(name.schema, name.name);
  if (!seq) return std::nullopt;
  std::optional<Row> row = catalog::system::CurrentSequenceRow(seq->schema, seq->name);
  if (!row)
    throw SqlError::FeatureNotSupported("sequence \"" + name.name + "\" cannot be used as a table")
        .WithPosition(name.location + 1);
  std::vector<Type> types{Type::Of(TypeId::kInt8), Type::Of(TypeId::kInt8), Type::Of(TypeId::kBool)};
  static const char* kColumns[] = {"last_value", "log_cnt", "is_called"};
  FromResult out;
  out.plan = std::make_shared<LogicalSystemScan>(seq->schema + "." + seq->name, types, std::vector<Row>{*row});
  std::string alias = ref.alias.empty() ? seq->name : ref.alias;
  uint32_t oid = catalog::system::SequenceOid(*seq);
  for (size_t i = 0; i < types.size(); ++i)
    out.scope.columns.push_back({alias, kColumns[i], types[i], oid, static_cast<int16_t>(i + 1), false});
  return out;
}

}  // namespace tessera::planner
