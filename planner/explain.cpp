// EXPLAIN text in PostgreSQL's layout: the root at column 0, each child on
// its own line as "->  Node" indented under its parent, details ("Filter:")
// under the node. Fragments show what runs on the shard as nested nodes.
#include <algorithm>

#include "common/stack_depth.h"
#include "planner/planner.h"

namespace tessera::planner {

namespace {

std::string ScanText(const TableLayout& t, const ScanSpec& scan) {
  std::string index_name = t.primary_key_name.empty() ? t.table_name + "_pkey" : t.primary_key_name;
  for (auto& i : t.indexes)
    if (i.id == scan.index_id && scan.index_id != 0) index_name = i.name;
  switch (scan.kind) {
    case ScanKind::kFull: return "Seq Scan on " + t.table_name;
    case ScanKind::kPoint: return "Point Lookup using " + index_name + " on " + t.table_name;
    case ScanKind::kRange: return "Range Scan using " + index_name + " on " + t.table_name;
    case ScanKind::kKeyList: return "Key Lookups using " + index_name + " on " + t.table_name;
  }
  return "Scan";
}

std::string KeyText(const std::vector<ExprRef>& values) {
  std::string out = "(";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ", ";
    out += ExprToText(*values[i]);
  }
  return out + ")";
}

struct Line {
  std::string text;
  std::vector<std::string> details;
  bool sibling = false;  // a second input: indented like the line before it
};

Line ScanLine(const TableLayout& table, const ScanSpec& s, const ExprRef& filter) {
  Line scan{ScanText(table, s), {}};
  if (s.kind == ScanKind::kPoint) scan.details.push_back("Key: " + KeyText(s.lower));
  if (s.kind == ScanKind::kKeyList)
    scan.details.push_back(std::string(s.key_array ? "Keys: elements of " : "Keys: ") + KeyText(s.lower));
  if (s.kind == ScanKind::kRange) {
    if (!s.lower.empty())
      scan.details.push_back(std::string("Lower: ") + KeyText(s.lower) + (s.lower_inclusive ? " incl" : " excl"));
    if (!s.upper.empty())
      scan.details.push_back(std::string("Upper: ") + KeyText(s.upper) + (s.upper_inclusive ? " incl" : " excl"));
  }
  if (filter) scan.details.push_back("Filter: " + ExprToText(*filter));
  return scan;
}

// A co-located join: the join, then its outer and inner inputs. An input
// read by key shows as a point lookup on the partner's key.
void AddJoinLines(const Fragment& f, std::vector<Line>* lines) {
  const FragmentJoin& j = *f.join;
  bool left = j.kind == FragmentJoinKind::kLeft;
  std::string method = j.method == FragmentJoinMethod::kHashInner ? "Hash " : "Key Lookup ";
  Line join{method + (left ? "Left Join" : "Join") + " (co-located, on primary key)", {}};
  if (j.condition) join.details.push_back("Join Filter: " + ExprToText(*j.condition));
  lines->push_back(join);
  auto by_key = [](const TableLayout& t) {
    ScanSpec s;
    s.kind = ScanKind::kPoint;
    Line line{ScanText(t, s), {"Key: the partner's primary key"}};
    return line;
  };
  Line outer = ScanLine(f.table, f.scan, f.filter);
  Line inner = ScanLine(j.table, j.scan, j.filter);
  if (j.method == FragmentJoinMethod::kLookupInner) {
    inner = by_key(j.table);
    if (j.filter) inner.details.push_back("Filter: " + ExprToText(*j.filter));
  }
  if (j.method == FragmentJoinMethod::kLookupOuter) {
    outer = by_key(f.table);
    if (f.filter) outer.details.push_back("Filter: " + ExprToText(*f.filter));
  }
  inner.sibling = true;
  lines->push_back(outer);
  lines->push_back(inner);
}

// The fragment's operators, outermost first.
std::vector<Line> FragmentLines(const Fragment& f) {
  std::vector<Line> lines;
  switch (f.kind) {
    case FragmentKind::kInsert: lines.push_back({"Insert into " + f.table.table_name, {}}); return lines;
    case FragmentKind::kUpdate: lines.push_back({"Update " + f.table.table_name, {}}); break;
    case FragmentKind::kDelete: lines.push_back({"Delete from " + f.table.table_name, {}}); break;
    case FragmentKind::kBuildIndex: lines.push_back({"Build index of " + f.table.table_name, {}}); return lines;
    case FragmentKind::kDropIndex: lines.push_back({"Drop index of " + f.table.table_name, {}}); return lines;
    case FragmentKind::kScan: break;
  }
  if (f.limit >= 0 && !f.top_n.empty())
    lines.push_back({"Top-N " + std::to_string(f.limit), {"Sort Key: " + SortKeysText(f.top_n)}});
  else if (f.limit >= 0)
    lines.push_back({"Limit " + std::to_string(f.limit), {}});
  if (f.lock_rows) {  // SELECT ... FOR UPDATE: locks the rows under the limit (executor/row_locking.h)
    std::vector<std::string> details;
    if (f.lock_wait == RowLockWait::kNoWait) details.push_back("Wait Policy: NOWAIT");
    if (f.lock_wait == RowLockWait::kSkipLocked) details.push_back("Wait Policy: SKIP LOCKED");
    lines.push_back({"LockRows", details});
  }
  if (!f.aggregates.empty() || !f.group_by.empty()) {
    std::string text = "Partial Aggregate (";
    for (size_t i = 0; i < f.aggregates.size(); ++i) text += (i ? ", " : "") + ExprToText(*f.aggregates[i]);
    Line line{text + ")", {}};
    if (!f.group_by.empty()) {
      std::string keys = "Group Key: ";
      for (size_t i = 0; i < f.group_by.size(); ++i) keys += (i ? ", " : "") + ExprToText(*f.group_by[i]);
      line.details.push_back(keys);
    }
    lines.push_back(line);
  }
  if (!f.projection.empty()) {
    std::string text = "Project (";
    for (size_t i = 0; i < f.projection.size(); ++i) text += (i ? ", " : "") + ExprToText(*f.projection[i]);
    lines.push_back({text + ")", {}});
  }
  if (f.join) {
    AddJoinLines(f, &lines);
    return lines;
  }
  lines.push_back(ScanLine(f.table, f.scan, f.filter));
  return lines;
}

void Emit(std::vector<std::string>* out, int indent, bool arrow, const std::string& text,
          const std::vector<std::string>& details) {
  std::string pad(indent, ' ');
  out->push_back(pad + (arrow ? "->  " : "") + text);
  std::string detail_pad(indent + (arrow ? 6 : 2), ' ');
  for (auto& d : details) out->push_back(detail_pad + d);
}

// The CTEs met while walking, in order, each listed once after the plan.
struct CteList {
  std::vector<const CteInfo*> seen;
  std::vector<const LogicalCteScan*> scans;
  void Add(const LogicalCteScan& scan) {
    if (std::find(seen.begin(), seen.end(), scan.Cte().get()) != seen.end()) return;
    seen.push_back(scan.Cte().get());
    scans.push_back(&scan);
  }
};

struct Extra {
  const FragmentDetails& fragment;
  const NodeDetails& node;
};

void Walk(const LogicalOperator& node, int indent, bool arrow, const Extra& extra, std::vector<std::string>* out,
          CteList* ctes) {
  CheckStackDepth();
  std::vector<std::string> details = node.ExplainDetails();
  int child_indent = arrow ? indent + 6 : indent + 2;
  const Fragment* fragment = nullptr;
  if (node.Kind() == LogicalKind::kFragmentScan) fragment = node.Cast<LogicalFragmentScan>().GetFragment().get();
  if (node.Kind() == LogicalKind::kUpdate || node.Kind() == LogicalKind::kDelete)
    fragment = static_cast<const LogicalWrite&>(node).GetFragment().get();
  if (node.Kind() == LogicalKind::kInsert) fragment = node.Cast<LogicalInsert>().GetFragment().get();
  if (fragment && extra.fragment)
    for (auto& line : extra.fragment(*fragment)) details.push_back(line);
  if (extra.node)
    for (auto& line : extra.node(node)) details.push_back(line);
  Emit(out, indent, arrow, node.Explain(), details);
  if (fragment) {
    int inner = child_indent;
    for (auto& line : FragmentLines(*fragment)) {
      if (line.sibling) inner -= 6;
      Emit(out, inner, true, line.text, line.details);
      inner += 6;
    }
  }
  // A CTE's query shows once, under "CTE name" after the plan.
  if (node.Kind() == LogicalKind::kCteScan) {
    ctes->Add(node.Cast<LogicalCteScan>());
    return;
  }
  for (auto& child : node.Children()) Walk(*child, child_indent, true, extra, out, ctes);
}

void WalkCtes(const Extra& extra, std::vector<std::string>* out, CteList* ctes) {
  for (size_t i = 0; i < ctes->scans.size(); ++i) {  // bodies may add CTEs they read
    const LogicalCteScan& scan = *ctes->scans[i];
    out->push_back("  CTE " + scan.Cte()->name);
    Walk(scan.Child(), 4, true, extra, out, ctes);
  }
}

}  // namespace

std::vector<std::string> ExplainPlan(const LogicalOperator& plan) {
  std::vector<std::string> out;
  CteList ctes;
  FragmentDetails no_fragment;
  NodeDetails no_node;
  Extra none{no_fragment, no_node};
  Walk(plan, 0, false, none, &out, &ctes);
  WalkCtes(none, &out, &ctes);
  return out;
}

std::vector<std::string> ExplainQuery(const PlannedQuery& query, const FragmentDetails& fragment_details,
                                      const NodeDetails& node_details) {
  std::vector<std::string> out;
  CteList ctes;
  Extra extra{fragment_details, node_details};
  Walk(*query.plan, 0, false, extra, &out, &ctes);
  for (size_t i = 0; i < query.subqueries.size(); ++i) {
    out.push_back("  SubPlan " + std::to_string(i + 1));
    std::vector<std::string> inner;
    Walk(*query.subqueries[i].plan, 4, true, extra, &inner, &ctes);
    out.insert(out.end(), inner.begin(), inner.end());
  }
  WalkCtes(extra, &out, &ctes);
  return out;
}

}  // namespace tessera::planner
