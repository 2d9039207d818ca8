// Views. A view is stored as the SQL text of its query (catalog::TableInfo::
// view_sql) and a FROM item naming it binds that text again, in its own
// binder (no WITH queries of the naming statement are visible, as in
// PostgreSQL), as a subquery in FROM would be: the optimizer then sees one
// plan, so predicates on the view reach the fragments below it.
//
// PostgreSQL stores a view as its analysed query tree, so a view keeps
// meaning what it meant at CREATE VIEW when its tables gain columns. Text
// does too once CREATE VIEW has rewritten it (ViewRecorder): every `*` of a
// select list becomes the columns it stood for then, and every unqualified
// column reference is qualified with its FROM item's name, so a column added
// later can neither join a `*` nor make a name ambiguous. What text cannot
// follow, a renamed table or column, is refused while a view uses it
// (executor/ddl_view.cpp).
#include <cctype>

#include "common/error.h"
#include "common/temp_schema.h"
#include "parser/ast/view_definition.h"
#include "parser/parser.h"
#include "planner/binder.h"

namespace tessera::planner {

namespace {

std::string ColumnText(const ScopeColumn& c) {
  return c.table.empty() ? ast::QuoteIdentifier(c.name)
                         : ast::QuoteIdentifier(c.table) + "." + ast::QuoteIdentifier(c.name);
}

// The end (byte offset) of the identifier at `at`, and its name as the
// parser folds it; npos when there is none.
size_t IdentifierEnd(const std::string& text, size_t at, std::string* name) {
  if (at < text.size() && text[at] == '"') {
    for (size_t i = at + 1; i < text.size(); ++i) {
      if (text[i] != '"') {
        *name += text[i];
        continue;
      }
      if (i + 1 < text.size() && text[i + 1] == '"') {
        *name += '"';
        ++i;
        continue;
      }
      return i + 1;
    }
    return std::string::npos;
  }
  size_t i = at;
  while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_' || text[i] == '$' ||
                             static_cast<unsigned char>(text[i]) >= 0x80)) {
    *name += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
    ++i;
  }
  return i == at ? std::string::npos : i;
}

// The end of `*` or `name.*` starting at `at`.
size_t StarEnd(const std::string& text, size_t at) {
  size_t i = at;
  while (i < text.size() && text[i] != '*') {
    if (text[i] == '"') {
      std::string ignored;
      i = IdentifierEnd(text, i, &ignored);
      if (i == std::string::npos) return i;
      continue;
    }
    ++i;
  }
  return i < text.size() ? i + 1 : std::string::npos;
}

// An aggregate call (not one OVER a window), or with `window`, a window function call.
bool Calls(const ast::Expr& e, bool window) {
  if (e.kind == ast::ExprKind::kFuncCall && window && e.over) return true;
  if (e.kind == ast::ExprKind::kFuncCall && !window && !e.over && IsAggregateName(e.func_name)) return true;
  for (auto& a : e.args)
    if (a && Calls(*a, window)) return true;
  return e.case_else && Calls(*e.case_else, window);
}

// Why PostgreSQL would not update through a view with this query
// (view_query_is_auto_updatable); empty when it would.
std::string NotUpdatableReason(const ast::SelectStmt& q) {
  if (q.distinct || !q.distinct_on.empty()) return "Views containing DISTINCT are not automatically updatable.";
  if (!q.group_by.empty()) return "Views containing GROUP BY are not automatically updatable.";
  if (q.having) return "Views containing HAVING are not automatically updatable.";
  if (q.set_op != ast::SetOpKind::kNone)
    return "Views containing UNION, INTERSECT, or EXCEPT are not automatically updatable.";
  if (q.with) return "Views containing WITH are not automatically updatable.";
  if (q.limit || q.offset) return "Views containing LIMIT or OFFSET are not automatically updatable.";
  bool aggregates = false, windows = false;
  for (auto& t : q.targets) aggregates |= Calls(*t.expr, false);
  for (auto& o : q.order_by) aggregates |= Calls(*o.expr, false);
  if (aggregates) return "Views that return aggregate functions are not automatically updatable.";
  for (auto& t : q.targets) windows |= Calls(*t.expr, true);
  for (auto& o : q.order_by) windows |= Calls(*o.expr, true);
  if (windows) return "Views that return window functions are not automatically updatable.";
  for (auto& t : q.targets)
    if (t.expr->kind == ast::ExprKind::kFuncCall && t.expr->func_name == "generate_series")
      return "Views that return set-returning functions are not automatically updatable.";
  if (q.from.size() != 1 || q.from[0]->kind != ast::TableRefKind::kTable)
    return "Views that do not select from a single table or view are not automatically updatable.";
  return {};
}

}  // namespace

void RefuseViewWrite(const catalog::TableInfo& view, ViewWrite write) {
  std::vector<ast::StatementPtr> parsed = ParseSql(view.view_sql);
  std::string reason = NotUpdatableReason(parsed.at(0)->As<ast::SelectStmt>());
  if (reason.empty())
    throw SqlError::FeatureNotSupported("writing through a view (an automatically updatable one) is not supported");
  const char* verb = write == ViewWrite::kInsert   ? "insert into"
                     : write == ViewWrite::kUpdate ? "update"
                                                   : "delete from";
  const char* hint =
      write == ViewWrite::kInsert
          ? "To enable inserting into the view, provide an INSTEAD OF INSERT trigger or an unconditional "
            "ON INSERT DO INSTEAD rule."
      : write == ViewWrite::kUpdate
          ? "To enable updating the view, provide an INSTEAD OF UPDATE trigger or an unconditional ON "
            "UPDATE DO INSTEAD rule."
          : "To enable deleting from the view, provide an INSTEAD OF DELETE trigger or an unconditional "
            "ON DELETE DO INSTEAD rule.";
  throw SqlError(sqlstate::kObjectNotInPrerequisiteState, std::string("cannot ") + verb + " view \"" + view.name + "\"",
                 reason, hint);
}

void Binder::RecordColumnRef(const ast::Expr& e, const ScopeColumn& column) {
  if (column.table_oid != 0) recorder_->columns.insert({column.table_oid, column.attnum});
  if (e.names.size() != 1 || column.table.empty() || e.location < 0) return;
  recorder_->edits[e.location] = {ViewRecorder::EditKind::kColumn, ColumnText(column), e.names[0]};
}

void Binder::RecordStar(const ast::Expr& e, const Scope& scope, const std::vector<size_t>& expanded) {
  std::string text;
  for (size_t i : expanded) {
    const ScopeColumn& c = scope.columns[i];
    if (c.table_oid != 0) recorder_->columns.insert({c.table_oid, c.attnum});
    text += (text.empty() ? "" : ", ") + ColumnText(c);
  }
  if (e.location >= 0) recorder_->edits[e.location] = {ViewRecorder::EditKind::kStar, text, {}};
}

std::string ApplyViewEdits(const std::string& text, int query_start, const ViewRecorder& recorder) {
  // Locations count characters; the text is UTF-8.
  std::vector<size_t> byte_of;
  for (size_t i = 0; i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) byte_of.push_back(i);
  std::string out;
  size_t done = 0;
  for (const auto& [location, edit] : recorder.edits) {
    int c = location - query_start;
    if (c < 0 || static_cast<size_t>(c) >= byte_of.size() || byte_of[c] < done) continue;
    size_t at = byte_of[c];
    size_t end = std::string::npos;
    if (edit.kind == ViewRecorder::EditKind::kStar) {
      end = StarEnd(text, at);
    } else {
      std::string name;
      end = IdentifierEnd(text, at, &name);
      if (name != edit.name) continue;  // not where the parser said: leave it as written
    }
    if (end == std::string::npos) continue;
    out.append(text, done, at - done);
    out += edit.text;
    done = end;
  }
  out.append(text, done, std::string::npos);
  return out;
}

BoundQuery Binder::BindView(const catalog::TableInfo& view) {
  for (const ViewFrame* f = view_frames_; f; f = f->parent)
    if (f->id == view.id)
      throw SqlError(sqlstate::kInvalidObjectDefinition,
                     "infinite recursion detected in rules for relation \"" + view.name + "\"");
  std::vector<ast::StatementPtr> statements = ParseSql(view.view_sql);
  if (statements.size() != 1 || statements[0]->kind != ast::StmtKind::kSelect)
    throw SqlError::Internal("the stored query of view \"" + view.name + "\" is not a SELECT");
  // The view's own binder: its text sees no WITH query of this statement,
  // and its error positions are not this statement's. Nor the session's
  // temp tables: a view never reads one (CREATE VIEW refuses it), so its
  // names mean what they meant at CREATE VIEW, as PostgreSQL's stored OIDs do.
  static const std::string kNoTempSchema;
  TempSchemaScope no_temp_schema(kNoTempSchema);
  Binder body(catalog_, param_types_, subqueries_);
  body.user_ = user_;
  body.session_user_ = session_user_;
  // What the view's query reads is checked with its owner's rights (PostgreSQL's
  // checkAsUser), the view itself with the caller's (Require at its FROM item).
  body.privileges_ = privileges_;
  body.check_as_ = view.owner;
  body.query_level_ = query_level_ + 1;
  ViewFrame frame{view_frames_, view.id};
  body.view_frames_ = &frame;
  BoundQuery q;
  try {
    q = body.BindSelect(statements[0]->As<ast::SelectStmt>());
  } catch (SqlError& err) {
    throw err.WithPosition(0);
  }
  if (q.columns.size() != view.columns.size())
    throw SqlError::Internal("view \"" + view.name + "\" no longer matches its stored columns");
  for (size_t i = 0; i < q.columns.size(); ++i) {
    if (!(q.columns[i].type == view.columns[i].type))
      throw SqlError::Internal("view \"" + view.name + "\" no longer matches its stored columns");
    q.columns[i].name = view.columns[i].name;
  }
  return q;
}

}  // namespace tessera::planner
