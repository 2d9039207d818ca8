// EXPLAIN text in PostgreSQL's layout: the root at column 0, each child on
// its own line as "->  Node" indented under its parent, details ("Filter:")
// under the node. Fragments show what runs on the shard as nested nodes.
#include "planner/planner.h"

namespace tessera::planner {

namespace {

std::string ScanText(const Fragment& f) {
  const TableLayout& t = f.table;
  std::string index_name = t.primary_key_name.empty() ? t.table_name + "_pkey" : t.primary_key_name;
  for (auto& i : t.indexes)
    if (i.id == f.scan.index_id && f.scan.index_id != 0) index_name = i.name;
  switch (f.scan.kind) {
    case ScanKind::kFull: return "Seq Scan on " + t.table_name;
    case ScanKind::kPoint: return "Point Lookup using " + index_name + " on " + t.table_name;
    case ScanKind::kRange: return "Range Scan using " + index_name + " on " + t.table_name;
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
};

// The fragment's operators, outermost first.
std::vector<Line> FragmentLines(const Fragment& f) {
  std::vector<Line> lines;
  switch (f.kind) {
    case FragmentKind::kInsert: lines.push_back({"Insert into " + f.table.table_name, {}}); return lines;
    case FragmentKind::kUpdate: lines.push_back({"Update " + f.table.table_name, {}}); break;
    case FragmentKind::kDelete: lines.push_back({"Delete from " + f.table.table_name, {}}); break;
    case FragmentKind::kScan: break;
  }
  if (f.limit >= 0 && !f.top_n.empty())
    lines.push_back({"Top-N " + std::to_string(f.limit), {"Sort Key: " + SortKeysText(f.top_n)}});
  else if (f.limit >= 0)
    lines.push_back({"Limit " + std::to_string(f.limit), {}});
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
  Line scan{ScanText(f), {}};
  if (f.scan.kind == ScanKind::kPoint) scan.details.push_back("Key: " + KeyText(f.scan.lower));
  if (f.scan.kind == ScanKind::kRange) {
    if (!f.scan.lower.empty())
      scan.details.push_back(std::string("Lower: ") + KeyText(f.scan.lower) + (f.scan.lower_inclusive ? " incl" : " excl"));
    if (!f.scan.upper.empty())
      scan.details.push_back(std::string("Upper: ") + KeyText(f.scan.upper) + (f.scan.upper_inclusive ? " incl" : " excl"));
  }
  if (f.filter) scan.details.push_back("Filter: " + ExprToText(*f.filter));
  lines.push_back(scan);
  return lines;
}

void Emit(std::vector<std::string>* out, int indent, bool arrow, const std::string& text,
          const std::vector<std::string>& details) {
  std::string pad(indent, ' ');
  out->push_back(pad + (arrow ? "->  " : "") + text);
  std::string detail_pad(indent + (arrow ? 6 : 2), ' ');
  for (auto& d : details) out->push_back(detail_pad + d);
}

void Walk(const LogicalOperator& node, int indent, bool arrow, const FragmentDetails& extra,
          std::vector<std::string>* out) {
  std::vector<std::string> details = node.ExplainDetails();
  int child_indent = arrow ? indent + 6 : indent + 2;
  const Fragment* fragment = nullptr;
  if (node.Kind() == LogicalKind::kFragmentScan) fragment = node.Cast<LogicalFragmentScan>().GetFragment().get();
  if (node.Kind() == LogicalKind::kUpdate || node.Kind() == LogicalKind::kDelete)
    fragment = static_cast<const LogicalWrite&>(node).GetFragment().get();
  if (node.Kind() == LogicalKind::kInsert) fragment = node.Cast<LogicalInsert>().GetFragment().get();
  if (fragment && extra)
    for (auto& line : extra(*fragment)) details.push_back(line);
  Emit(out, indent, arrow, node.Explain(), details);
  if (fragment) {
    int inner = child_indent;
    for (auto& line : FragmentLines(*fragment)) {
      Emit(out, inner, true, line.text, line.details);
      inner += 6;
    }
  }
  for (auto& child : node.Children()) Walk(*child, child_indent, true, extra, out);
}

}  // namespace

std::vector<std::string> ExplainPlan(const LogicalOperator& plan) {
  std::vector<std::string> out;
  Walk(plan, 0, false, {}, &out);
  return out;
}

std::vector<std::string> ExplainQuery(const PlannedQuery& query, const FragmentDetails& fragment_details) {
  std::vector<std::string> out;
  Walk(*query.plan, 0, false, fragment_details, &out);
  for (size_t i = 0; i < query.subqueries.size(); ++i) {
    out.push_back("  SubPlan " + std::to_string(i + 1));
    std::vector<std::string> inner;
    Walk(*query.subqueries[i], 4, true, fragment_details, &inner);
    out.insert(out.end(), inner.begin(), inner.end());
  }
  return out;
}

}  // namespace tessera::planner
