// CREATE / ALTER / DROP SEQUENCE with PostgreSQL 15's option rules and
// messages (sequence.c init_params, process_owned_by). What is not honoured
// is refused with 0A000: TEMP sequences, CACHE above 1, and ALTER SEQUENCE
// (non-transactional here) inside a transaction block (sql_session).
#include <charconv>
#include <map>

#include "common/error.h"
#include "executor/ddl_executor.h"
#include "planner/binder.h"

namespace tessera::executor {

namespace {

using catalog::SequenceInfo;

int64_t TypeMax(TypeId type) {
  return type == TypeId::kInt2 ? INT16_MAX : type == TypeId::kInt4 ? INT32_MAX : INT64_MAX;
}
int64_t TypeMin(TypeId type) {
  return type == TypeId::kInt2 ? INT16_MIN : type == TypeId::kInt4 ? INT32_MIN : INT64_MIN;
}

const char* TypeName(TypeId type) {
  return type == TypeId::kInt2 ? "smallint" : type == TypeId::kInt4 ? "integer" : "bigint";
}

int64_t OptionNumber(const ast::SequenceOption& option) {
  int64_t out = 0;
  const std::string& text = option.value;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end != text.data() + text.size())
    throw SqlError(sqlstate::kNumericValueOutOfRange, "value \"" + text + "\" is out of range for type bigint");
  return out;
}

SqlError BadOption(const std::string& message) { return SqlError(sqlstate::kInvalidParameterValue, message); }

// The options of one statement by name; 42601 when one is written twice.
std::map<std::string, const ast::SequenceOption*> ByName(const std::vector<ast::SequenceOption>& options) {
  std::map<std::string, const ast::SequenceOption*> out;
  for (const auto& option : options) {
    if (!out.emplace(option.name, &option).second)
      throw SqlError(sqlstate::kSyntaxError, "conflicting or redundant options", {}, {}, option.location + 1);
  }
  return out;
}

void CheckBound(const char* what, int64_t value, TypeId type) {
  if (value < TypeMin(type) || value > TypeMax(type))
    throw BadOption(std::string(what) + " (" + std::to_string(value) + ") is out of range for sequence data type " +
                    TypeName(type));
}

// Walks a bound default for nextval of `qualified`.
bool UsesSequence(const planner::BoundExpr& e, const std::string& qualified) {
  if (e.kind == planner::BoundExprKind::kNextVal && e.name == qualified) return true;
  for (const auto& arg : e.args)
    if (arg && UsesSequence(*arg, qualified)) return true;
  return false;
}

// A START or RESTART value outside the sequence's bounds, in PostgreSQL's words.
void CheckWithinBounds(const char* what, int64_t value, const SequenceInfo& seq) {
  if (value < seq.min_value)
    throw BadOption(std::string(what) + " value (" + std::to_string(value) + ") cannot be less than MINVALUE (" +
                    std::to_string(seq.min_value) + ")");
  if (value > seq.max_value)
    throw BadOption(std::string(what) + " value (" + std::to_string(value) + ") cannot be greater than MAXVALUE (" +
                    std::to_string(seq.max_value) + ")");
}

}  // namespace

// PostgreSQL's init_params: `seq` holds the current definition (defaults
// for CREATE); returns whether RESTART was written (seq's origin then set).
bool ApplySequenceOptions(SequenceInfo& seq, const std::vector<ast::SequenceOption>& options, bool is_init) {
  auto opts = ByName(options);
  auto get = [&](const char* name) -> const ast::SequenceOption* {
    auto it = opts.find(name);
    return it == opts.end() ? nullptr : it->second;
  };
  bool reset_max = false, reset_min = false;
  if (auto* as = get("as")) {
    bool serial = false;
    Type type;
    try {
      type = ResolveTypeName(as->type.name, std::nullopt, std::nullopt, &serial);
    } catch (const SqlError&) {
      type = Type::Of(TypeId::kText);
    }
    if (serial || (type.id != TypeId::kInt2 && type.id != TypeId::kInt4 && type.id != TypeId::kInt8))
      throw BadOption("sequence type must be smallint, integer, or bigint");
    if (!is_init) {
      reset_max = seq.max_value == TypeMax(seq.type);
      reset_min = seq.min_value == TypeMin(seq.type);
    }
    seq.type = type.id;
  }
  if (auto* inc = get("increment")) {
    seq.increment = OptionNumber(*inc);
    if (seq.increment == 0) throw BadOption("INCREMENT must not be zero");
  }
  if (auto* cycle = get("cycle")) seq.cycle = !cycle->no;
  auto* max = get("maxvalue");
  if (max && !max->no) {
    seq.max_value = OptionNumber(*max);
  } else if (is_init || max || reset_max) {
    seq.max_value = seq.increment > 0 || reset_max ? TypeMax(seq.type) : -1;
  }
  CheckBound("MAXVALUE", seq.max_value, seq.type);
  auto* min = get("minvalue");
  if (min && !min->no) {
    seq.min_value = OptionNumber(*min);
  } else if (is_init || min || reset_min) {
    seq.min_value = seq.increment < 0 || reset_min ? TypeMin(seq.type) : 1;
  }
  CheckBound("MINVALUE", seq.min_value, seq.type);
  if (seq.min_value >= seq.max_value)
    throw BadOption("MINVALUE (" + std::to_string(seq.min_value) + ") must be less than MAXVALUE (" +
                    std::to_string(seq.max_value) + ")");
  if (auto* start = get("start")) {
    seq.start = OptionNumber(*start);
  } else if (is_init) {
    seq.start = seq.increment > 0 ? seq.min_value : seq.max_value;
  }
  CheckWithinBounds("START", seq.start, seq);
  auto* restart = get("restart");
  if (restart || is_init) {
    seq.last_value = restart && restart->has_value ? OptionNumber(*restart) : seq.start;
    seq.is_called = false;
    CheckWithinBounds("RESTART", seq.last_value, seq);
  }
  if (auto* cache = get("cache")) {
    int64_t n = OptionNumber(*cache);
    if (n <= 0) throw BadOption("CACHE (" + std::to_string(n) + ") must be greater than zero");
    if (n > 1) throw SqlError::FeatureNotSupported("CACHE greater than 1 is not supported");
    seq.cache = n;
  }
  return restart != nullptr;
}

void DdlExecutor::ApplyOwnedBy(SequenceInfo& seq, const std::vector<ast::SequenceOption>& options) {
  const ast::SequenceOption* owned = nullptr;
  for (const auto& option : options)
    if (option.name == "owned") owned = &option;
  if (!owned) return;
  const auto& parts = owned->owned_by;
  if (parts.size() == 1) {
    if (parts[0] != "none")
      throw SqlError(sqlstate::kSyntaxError, "invalid OWNED BY option", {},
                     "Specify OWNED BY table.column or OWNED BY NONE.");
    seq.owned_by_table.clear();
    seq.owned_by_column.clear();
    return;
  }
  if (parts.size() > 3) throw SqlError(sqlstate::kSyntaxError, "improper qualified name (too many dotted names)");
  std::string schema = parts.size() == 3 ? parts[0] : "";
  const std::string& table_name = parts[parts.size() - 2];
  const std::string& column = parts.back();
  auto snapshot = catalog_.Snapshot();
  const catalog::TableInfo* table = snapshot->FindTable(schema, table_name);
  if (!table) throw SqlError::UndefinedTable(table_name);
  if (table->IsView())
    throw SqlError(sqlstate::kWrongObjectType, "sequence cannot be owned by relation \"" + table->name + "\"",
                   "This operation is not supported for views.");
  if (table->schema != seq.schema)
    throw SqlError(sqlstate::kObjectNotInPrerequisiteState, "sequence must be in same schema as table it is linked to");
  if (!table->FindColumn(column))
    throw SqlError(sqlstate::kUndefinedColumn,
                   "column \"" + column + "\" of relation \"" + table->name + "\" does not exist");
  seq.owned_by_table = table->name;
  seq.owned_by_column = column;
}

std::vector<std::pair<const catalog::TableInfo*, int>> DdlExecutor::SequenceUsers(
    const catalog::CatalogSnapshot& snapshot, const SequenceInfo& seq) {
  std::vector<std::pair<const catalog::TableInfo*, int>> users;
  std::string qualified = seq.schema + "." + seq.name;
  std::vector<Type> no_params;
  for (const auto& [id, table] : snapshot.Tables()) {
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const catalog::ColumnInfo& column = table.columns[i];
      if (column.default_sql.find("nextval") == std::string::npos) continue;
      try {
        auto bound = planner::Binder(snapshot, &no_params).BindDefault(column);
        if (bound && UsesSequence(*bound, qualified)) users.push_back({&table, static_cast<int>(i)});
      } catch (const SqlError&) {  // a default that no longer binds uses no sequence
      }
    }
  }
  return users;
}

std::string DdlExecutor::CreateSequence(const ast::CreateSequenceStmt& stmt) {
  if (stmt.temporary) throw SqlError::FeatureNotSupported("temporary sequences are not supported");
  auto snapshot = catalog_.Snapshot();
  const std::string& name = stmt.sequence.name;
  if (snapshot->FindSequence(stmt.sequence.schema, name) || snapshot->FindTable(stmt.sequence.schema, name)) {
    if (stmt.if_not_exists) {
      notice_(sqlstate::kDuplicateTable, "relation \"" + name + "\" already exists, skipping");
      return "CREATE SEQUENCE";
    }
    throw SqlError(sqlstate::kDuplicateTable, "relation \"" + name + "\" already exists");
  }
  SequenceInfo seq;
  seq.name = name;
  if (!stmt.sequence.schema.empty()) seq.schema = stmt.sequence.schema;
  CheckCreateIn(seq.schema);
  seq.owner = role_;
  ApplySequenceOptions(seq, stmt.options, true);
  ApplyOwnedBy(seq, stmt.options);
  catalog_.CreateSequence(seq);
  return "CREATE SEQUENCE";
}

const SequenceInfo* DdlExecutor::LookupSequence(const ast::QualifiedName& name, const char* missing_what,
                                                bool if_exists) {
  snapshot_ = catalog_.Snapshot();
  if (const SequenceInfo* seq = snapshot_->FindSequence(name.schema, name.name)) return seq;
  if (const catalog::TableInfo* table = snapshot_->FindTable(name.schema, name.name)) {
    // DROP SEQUENCE names the statement that would drop it.
    std::string hint = missing_what[0] != 's' ? ""
                       : table->IsView()      ? "Use DROP VIEW to remove a view."
                                              : "Use DROP TABLE to remove a table.";
    throw SqlError(sqlstate::kWrongObjectType, "\"" + table->name + "\" is not a sequence", {}, hint);
  }
  if (if_exists) {
    notice_(sqlstate::kSuccessfulCompletion,
            std::string(missing_what) + " \"" + name.ToString() + "\" does not exist, skipping");
    return nullptr;
  }
  throw SqlError(sqlstate::kUndefinedTable, std::string(missing_what) + " \"" + name.ToString() + "\" does not exist");
}

std::string DdlExecutor::AlterSequence(const ast::AlterSequenceStmt& stmt) {
  const SequenceInfo* found = LookupSequence(stmt.sequence, "relation", stmt.if_exists);
  if (!found) return "ALTER SEQUENCE";
  CheckOwner(*found);
  SequenceInfo seq = *found;
  std::string name = seq.name;
  if (!stmt.new_name.empty()) {
    if (snapshot_->FindSequence(seq.schema, stmt.new_name) || snapshot_->FindTable(seq.schema, stmt.new_name))
      throw SqlError(sqlstate::kDuplicateTable, "relation \"" + stmt.new_name + "\" already exists");
    if (!SequenceUsers(*snapshot_, seq).empty())
      throw SqlError::FeatureNotSupported("renaming a sequence that a column default uses is not supported");
    seq.name = stmt.new_name;
    catalog_.AlterSequence(seq.schema, name, seq);
    return "ALTER SEQUENCE";
  }
  bool restart = ApplySequenceOptions(seq, stmt.options, false);
  ApplyOwnedBy(seq, stmt.options);
  catalog_.AlterSequence(seq.schema, name, seq);
  if (restart) catalog_.SetSequenceValue(seq.schema, name, seq.last_value, false);
  return "ALTER SEQUENCE";
}

std::string DdlExecutor::DropSequence(const ast::DropSequenceStmt& stmt) {
  std::vector<SequenceInfo> targets;
  for (const auto& name : stmt.sequences) {
    const SequenceInfo* seq = LookupSequence(name, "sequence", stmt.if_exists);
    if (seq) CheckOwner(*seq);
    if (seq) targets.push_back(*seq);
  }
  auto snapshot = catalog_.Snapshot();
  std::vector<std::string> details;
  std::map<uint32_t, catalog::TableInfo> changed;  // tables whose defaults go
  for (const SequenceInfo& seq : targets) {
    for (auto [table, column] : SequenceUsers(*snapshot, seq)) {
      const catalog::ColumnInfo& user = table->columns[column];
      if (user.identity && seq.owned_by_table == table->name && seq.owned_by_column == user.name)
        throw SqlError(sqlstate::kDependentObjectsStillExist,
                       "cannot drop sequence " + seq.name + " because column " + user.name + " of table " +
                           table->name + " requires it",
                       {}, "You can drop column " + user.name + " of table " + table->name + " instead.");
      details.push_back("default value for column " + table->columns[column].name + " of table " + table->name +
                        (stmt.cascade ? "" : " depends on sequence " + seq.name));
      auto [it, fresh] = changed.emplace(table->id, *table);
      it->second.columns[column].default_sql.clear();
      it->second.columns[column].is_serial = false;
    }
  }
  if (!details.empty()) {
    std::string detail;
    for (auto& line : details) detail += (detail.empty() ? "" : "\n") + line;
    if (!stmt.cascade) {
      std::string what = targets.size() == 1
                             ? "cannot drop sequence " + targets[0].name + " because other objects depend on it"
                             : "cannot drop desired object(s) because other objects depend on them";
      throw SqlError(sqlstate::kDependentObjectsStillExist, what, detail,
                     "Use DROP ... CASCADE to drop the dependent objects too.");
    }
    // (PostgreSQL lists several in the notice's DETAIL, which notices here do not carry.)
    notice_(sqlstate::kSuccessfulCompletion,
            details.size() == 1 ? "drop cascades to " + details[0]
                                : "drop cascades to " + std::to_string(details.size()) + " other objects");
    for (auto& [id, table] : changed) catalog_.UpdateTable(table);
  }
  for (const SequenceInfo& seq : targets) catalog_.DropSequence(seq.schema, seq.name);
  return "DROP SEQUENCE";
}

}  // namespace tessera::executor
