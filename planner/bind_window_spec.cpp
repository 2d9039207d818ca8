// A window call's window: OVER name, OVER (name ...) or OVER (...), resolved
// against the query's WINDOW clause with PostgreSQL's copying rules, its
// PARTITION BY and ORDER BY expressions bound, and its frame checked. Frame
// options that are not computed (RANGE with an offset, EXCLUDE) are refused
// with 0A000 rather than computed as another frame.
#include "common/error.h"
#include "common/value_ops.h"
#include "planner/binder.h"
#include "planner/expr_evaluator.h"

namespace tessera::planner {

namespace {

// A window with the WINDOW clause entries it names merged in.
struct ResolvedWindow {
  std::vector<const ast::Expr*> partition;
  std::vector<const ast::OrderItem*> order;
  const ast::WindowFrame* frame = nullptr;
};

// `visible`: how many WINDOW entries `spec` may name (an entry names only earlier ones).
ResolvedWindow Resolve(const ast::WindowSpec& spec, const std::vector<ast::WindowDef>* defs, size_t visible) {
  ResolvedWindow out;
  for (auto& p : spec.partition_by) out.partition.push_back(p.get());
  for (auto& o : spec.order_by) out.order.push_back(o.get());
  out.frame = spec.frame ? &*spec.frame : nullptr;
  if (spec.ref.empty()) return out;
  size_t i = 0;
  while (defs && i < visible && (*defs)[i].name != spec.ref) ++i;
  if (!defs || i == visible)
    throw SqlError(sqlstate::kUndefinedObject, "window \"" + spec.ref + "\" does not exist", {}, {}, spec.location + 1);
  ResolvedWindow base = Resolve(*(*defs)[i].spec, defs, i);
  if (spec.bare_ref) return base;
  if (!out.partition.empty())
    throw SqlError(sqlstate::kWindowingError, "cannot override PARTITION BY clause of window \"" + spec.ref + "\"", {},
                   {}, spec.partition_by[0]->location + 1);
  if (!out.order.empty() && !base.order.empty())
    throw SqlError(sqlstate::kWindowingError, "cannot override ORDER BY clause of window \"" + spec.ref + "\"", {}, {},
                   out.order[0]->expr->location + 1);
  if (base.frame)
    throw SqlError(sqlstate::kWindowingError, "cannot copy window \"" + spec.ref + "\" because it has a frame clause",
                   {}, {}, spec.location + 1);
  out.partition = base.partition;
  if (out.order.empty()) out.order = base.order;
  return out;
}

FrameEdge Edge(ast::FrameBoundKind kind) {
  switch (kind) {
    case ast::FrameBoundKind::kUnboundedPreceding:
      return FrameEdge::kUnboundedPreceding;
    case ast::FrameBoundKind::kPreceding:
      return FrameEdge::kPreceding;
    case ast::FrameBoundKind::kCurrentRow:
      return FrameEdge::kCurrentRow;
    case ast::FrameBoundKind::kFollowing:
      return FrameEdge::kFollowing;
    case ast::FrameBoundKind::kUnboundedFollowing:
      return FrameEdge::kUnboundedFollowing;
  }
  return FrameEdge::kCurrentRow;
}

bool HasOffset(const ast::FrameBound& b) {
  return b.kind == ast::FrameBoundKind::kPreceding || b.kind == ast::FrameBoundKind::kFollowing;
}

}  // namespace

void Binder::BindWindowSpec(const ast::WindowSpec& spec, const Scope& scope, BoundExpr* call, BoundWindow* window) {
  size_t defs = windows_ ? windows_->size() : 0;
  ResolvedWindow resolved = Resolve(spec, windows_, defs);
  for (const ast::Expr* p : resolved.partition) call->args.push_back(BindExpr(*p, scope));
  for (const ast::OrderItem* o : resolved.order) {
    call->args.push_back(BindExpr(*o->expr, scope));
    window->order.push_back({o->descending, o->nulls_first.value_or(o->descending)});
  }
  window->num_partition = static_cast<int>(resolved.partition.size());
  window->frame = BindFrame(resolved.frame, resolved.order.size(), spec.location, scope);
}

BoundFrame Binder::BindFrame(const ast::WindowFrame* frame, size_t order_keys, int spec_location, const Scope& scope) {
  BoundFrame out;  // PostgreSQL's default: RANGE UNBOUNDED PRECEDING to CURRENT ROW (the peers)
  if (frame == nullptr) return out;
  if (frame->mode == ast::FrameMode::kGroups && order_keys == 0)
    throw SqlError(sqlstate::kWindowingError, "GROUPS mode requires an ORDER BY clause", {}, {}, spec_location + 1);
  if (frame->exclusion != ast::FrameExclusion::kNoOthers)
    throw SqlError(sqlstate::kFeatureNotSupported, "frame exclusion (EXCLUDE) is not supported", {}, {},
                   frame->location + 1);
  bool offsets = HasOffset(frame->start) || HasOffset(frame->end);
  if (frame->mode == ast::FrameMode::kRange && offsets) {
    if (order_keys != 1)
      throw SqlError(sqlstate::kWindowingError,
                     "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column", {}, {},
                     spec_location + 1);
    throw SqlError(sqlstate::kFeatureNotSupported, "RANGE with offset PRECEDING/FOLLOWING is not supported", {}, {},
                   frame->location + 1);
  }
  out.unit = frame->mode == ast::FrameMode::kRows     ? FrameUnit::kRows
             : frame->mode == ast::FrameMode::kGroups ? FrameUnit::kGroups
                                                      : FrameUnit::kRange;
  out.start = Edge(frame->start.kind);
  out.end = Edge(frame->end.kind);
  const char* unit = out.unit == FrameUnit::kRows ? "ROWS" : "GROUPS";
  if (HasOffset(frame->start)) out.start_offset = BindFrameOffset(frame->start, unit, scope);
  if (HasOffset(frame->end)) out.end_offset = BindFrameOffset(frame->end, unit, scope);
  return out;
}

// ROWS/GROUPS n PRECEDING: n is a bigint over constants and parameters.
ExprRef Binder::BindFrameOffset(const ast::FrameBound& bound, const char* unit, const Scope& scope) {
  bool saved_set_functions = allow_set_functions_;
  allow_set_functions_ = false;  // PostgreSQL: not allowed in window definitions
  ExprRef n;
  try {
    n = BindExpr(*bound.offset, scope);
  } catch (...) {
    allow_set_functions_ = saved_set_functions;
    throw;
  }
  allow_set_functions_ = saved_set_functions;
  if (HasColumnRefs(*n))
    throw SqlError(sqlstate::kInvalidColumnReference, std::string("argument of ") + unit + " must not contain variables",
                   {}, {}, bound.offset->location + 1);
  TypeId id = n->type.id;
  if (id != TypeId::kUnknown && id != TypeId::kInt8 && !CanImplicitCast(id, TypeId::kInt8))
    throw SqlError(sqlstate::kDatatypeMismatch,
                   std::string("argument of ") + unit + " must be type bigint, not type " + FormatType(n->type), {}, {},
                   bound.offset->location + 1);
  return Coerce(n, Type::Of(TypeId::kInt8), kCastImplicit);
}

}  // namespace tessera::planner
