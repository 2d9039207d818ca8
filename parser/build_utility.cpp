// Transactions, SET/SHOW/RESET, EXPLAIN, VACUUM/ANALYZE and COPY.
#include "common/error.h"
#include "parser/ast_builder.h"

namespace tessera {

namespace {

void ApplyTransactionModes(TP::TransactionModesContext* ctx, ast::TransactionStmt& stmt) {
  if (ctx == nullptr) return;
  for (auto* mode : ctx->transactionMode()) {
    if (auto* iso = dynamic_cast<TP::IsolationModeContext*>(mode)) {
      std::string level;
      for (auto* child : iso->isolationLevel()->children) {
        if (!level.empty()) level += ' ';
        level += LowerAscii(child->getText());
      }
      stmt.isolation = level;
    } else {
      stmt.read_only = dynamic_cast<TP::ReadOnlyModeContext*>(mode) != nullptr;
    }
  }
}

// EXPLAIN (ANALYZE off) and COPY (HEADER false): PostgreSQL's boolean spellings.
bool OptionIsTrue(const std::string& value) {
  return !(value == "false" || value == "off" || value == "0" || value == "no");
}

}  // namespace

ast::StatementPtr AstBuilder::BuildTransaction(TP::TransactionStmtContext* ctx) {
  auto stmt = std::make_unique<ast::TransactionStmt>();
  if (auto* b = dynamic_cast<TP::BeginStmtContext*>(ctx)) {
    stmt->txn_kind = ast::TransactionKind::kBegin;
    ApplyTransactionModes(b->transactionModes(), *stmt);
  } else if (auto* s = dynamic_cast<TP::StartStmtContext*>(ctx)) {
    stmt->txn_kind = ast::TransactionKind::kBegin;
    ApplyTransactionModes(s->transactionModes(), *stmt);
  } else if (dynamic_cast<TP::CommitStmtContext*>(ctx) != nullptr) {
    stmt->txn_kind = ast::TransactionKind::kCommit;
  } else if (dynamic_cast<TP::RollbackStmtContext*>(ctx) != nullptr) {
    stmt->txn_kind = ast::TransactionKind::kRollback;
  } else if (auto* to = dynamic_cast<TP::RollbackToStmtContext*>(ctx)) {
    stmt->txn_kind = ast::TransactionKind::kRollbackTo;
    stmt->savepoint = Identifier(to->identifier());
  } else if (auto* sp = dynamic_cast<TP::SavepointStmtContext*>(ctx)) {
    stmt->txn_kind = ast::TransactionKind::kSavepoint;
    stmt->savepoint = Identifier(sp->identifier());
  } else if (auto* release = dynamic_cast<TP::ReleaseStmtContext*>(ctx)) {
    stmt->txn_kind = ast::TransactionKind::kRelease;
    stmt->savepoint = Identifier(release->identifier());
  } else {
    stmt->txn_kind = ast::TransactionKind::kSetTransaction;
    ApplyTransactionModes(static_cast<TP::SetTransactionStmtContext*>(ctx)->transactionModes(), *stmt);
  }
  return stmt;
}

ast::StatementPtr AstBuilder::BuildSet(TP::SetStmtContext* ctx) {
  auto stmt = std::make_unique<ast::SetStmt>();
  if (auto* chars = dynamic_cast<TP::SetSessionCharacteristicsContext*>(ctx)) {
    // The session defaults JDBC's setTransactionIsolation sets; SetStmt holds
    // one variable, so the isolation level wins over READ ONLY/WRITE.
    ast::TransactionStmt modes;
    ApplyTransactionModes(chars->transactionModes(), modes);
    if (!modes.isolation.empty()) {
      stmt->name = "default_transaction_isolation";
      stmt->values.push_back(modes.isolation);
    } else {
      stmt->name = "default_transaction_read_only";
      stmt->values.push_back(modes.read_only.value_or(false) ? "on" : "off");
    }
    return stmt;
  }
  if (auto* tz = dynamic_cast<TP::SetTimeZoneContext*>(ctx)) {
    stmt->name = "timezone";
    auto locals = tz->LOCAL();
    stmt->local = !locals.empty() && locals[0]->getSymbol()->getTokenIndex() < tz->TIME()->getSymbol()->getTokenIndex();
    if (tz->varValue() != nullptr) {
      stmt->values.push_back(VarValueText(tz->varValue()));
    } else {
      stmt->to_default = true;  // SET TIME ZONE DEFAULT / LOCAL
    }
    return stmt;
  }
  if (auto* role = dynamic_cast<TP::SetRoleContext*>(ctx)) {
    // SET ROLE r is the role setting (SET role TO r), as in gram.y.
    stmt->name = "role";
    stmt->local = role->LOCAL() != nullptr;
    stmt->values.push_back(VarValueText(role->varValue()));
    return stmt;
  }
  auto* var = static_cast<TP::SetVarContext*>(ctx);
  stmt->name = VarName(var->varName());
  stmt->local = var->LOCAL() != nullptr;
  stmt->to_default = var->DEFAULT() != nullptr;
  for (auto* value : var->varValue()) stmt->values.push_back(VarValueText(value));
  return stmt;
}

ast::StatementPtr AstBuilder::BuildShow(TP::ShowStmtContext* ctx) {
  auto stmt = std::make_unique<ast::ShowStmt>();
  if (dynamic_cast<TP::ShowIsolationContext*>(ctx) != nullptr) {
    stmt->name = "transaction_isolation";
  } else if (dynamic_cast<TP::ShowTimeZoneContext*>(ctx) != nullptr) {
    stmt->name = "timezone";
  } else if (dynamic_cast<TP::ShowAllContext*>(ctx) != nullptr) {
    stmt->name = "all";
  } else {
    stmt->name = VarName(static_cast<TP::ShowVarContext*>(ctx)->varName());
  }
  return stmt;
}

ast::StatementPtr AstBuilder::BuildReset(TP::ResetStmtContext* ctx) {
  auto stmt = std::make_unique<ast::ResetStmt>();
  if (dynamic_cast<TP::ResetTimeZoneContext*>(ctx) != nullptr) {
    stmt->name = "timezone";
  } else if (dynamic_cast<TP::ResetAllContext*>(ctx) != nullptr) {
    stmt->name = "all";
  } else {
    stmt->name = VarName(static_cast<TP::ResetVarContext*>(ctx)->varName());
  }
  return stmt;
}

ast::StatementPtr AstBuilder::BuildExplain(TP::ExplainStmtContext* ctx) {
  auto stmt = std::make_unique<ast::ExplainStmt>();
  if (ctx->OPEN_PAREN() == nullptr) {
    stmt->analyze = ctx->ANALYZE() != nullptr;
    stmt->verbose = ctx->VERBOSE() != nullptr;
  }
  for (auto* option : ctx->explainOption()) {
    std::string name = LowerAscii(option->getStart()->getText());
    bool on = option->optionValue() == nullptr || OptionIsTrue(OptionValueText(option->optionValue()));
    if (name == "analyze" || name == "analyse") stmt->analyze = on;
    if (name == "verbose") stmt->verbose = on;
  }
  stmt->statement = BuildStatement(ctx->statement());
  return stmt;
}

ast::StatementPtr AstBuilder::BuildVacuum(TP::VacuumStmtContext* ctx) {
  auto stmt = std::make_unique<ast::VacuumStmt>();
  std::vector<TP::QualifiedNameContext*> names;
  if (auto* v = dynamic_cast<TP::VacuumContext*>(ctx)) {
    stmt->analyze = v->ANALYZE() != nullptr;
    names = v->qualifiedName();
  } else {
    stmt->analyze = true;
    names = static_cast<TP::AnalyzeContext*>(ctx)->qualifiedName();
  }
  for (auto* name : names) stmt->tables.push_back(QualifiedName(name));
  return stmt;
}

namespace {

void ApplyCopyOption(ast::CopyStmt& stmt, const std::string& name, const std::string& value, bool has_value) {
  stmt.options.emplace_back(name, value);
  if (name == "format") {
    stmt.format = LowerAscii(value);
  } else if (name == "csv") {
    stmt.format = "csv";
  } else if (name == "binary") {
    stmt.format = "binary";
  } else if (name == "delimiter") {
    stmt.delimiter = value;
  } else if (name == "null") {
    stmt.null_string = value;
    stmt.null_set = true;
  } else if (name == "header") {
    stmt.header = !has_value || OptionIsTrue(LowerAscii(value));
  }
}

}  // namespace

ast::StatementPtr AstBuilder::BuildCopy(TP::CopyStmtContext* ctx) {
  auto stmt = std::make_unique<ast::CopyStmt>();
  if (ctx->insertStmt() != nullptr || ctx->updateStmt() != nullptr || ctx->deleteStmt() != nullptr)
    throw SqlError::FeatureNotSupported("COPY (INSERT/UPDATE/DELETE ... RETURNING) TO is not supported");
  if (ctx->selectStmt() != nullptr) {
    // Kept as text: the session parses and plans it as it plans COPY table TO.
    stmt->query = SourceText(ctx->selectStmt());
  } else {
    stmt->table = QualifiedName(ctx->qualifiedName());
    stmt->columns = IdentifierList(ctx->identifierList());
  }
  stmt->from = ctx->FROM() != nullptr;
  if (ctx->stringConst() != nullptr) {
    stmt->stdio = false;
    stmt->file = StringConst(ctx->stringConst());
  }
  for (auto* option : ctx->copyOption()) {
    std::string name = option->NULL_P() != nullptr ? "null" : Identifier(option->identifier());
    auto* value = option->optionValue();
    ApplyCopyOption(*stmt, name, value != nullptr ? OptionValueText(value) : "", value != nullptr);
  }
  for (auto* option : ctx->copyLegacyOption()) {
    std::string name = option->NULL_P() != nullptr ? "null" : Identifier(option->identifier());
    auto* value = option->stringConst();
    ApplyCopyOption(*stmt, name, value != nullptr ? StringConst(value) : "", value != nullptr);
  }
  return stmt;
}

}  // namespace tessera
