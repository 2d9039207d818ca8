// Rewrites over the logical plan, in order: predicate pushdown (into scans
// and join sides, turning cross joins with equalities into inner joins),
// access path selection and cutting each scan into a fragment, then
// projection, top-N and limit pushdown into those fragments.
#include "common/stack_depth.h"
#include "planner/planner.h"

namespace tessera::planner {

namespace {

LogicalRef WrapFilter(LogicalRef plan, std::vector<ExprRef> conjuncts) {
  if (conjuncts.empty()) return plan;
  return std::make_shared<LogicalFilter>(std::move(plan), MakeAndExpr(std::move(conjuncts)));
}

LogicalRef PushDown(const LogicalRef& plan, std::vector<ExprRef> conjuncts);

// Whether every column `e` reads is one `map` passes through (>= 0).
bool OnlyPassedThrough(const BoundExpr& e, const std::vector<int>& map) {
  CheckStackDepth();
  if (e.kind == BoundExprKind::kColumn) return e.index >= 0 && e.index < static_cast<int>(map.size()) && map[e.index] >= 0;
  for (auto& a : e.args)
    if (!OnlyPassedThrough(*a, map)) return false;
  return true;
}

// Conjuncts over columns a projection passes through unchanged move below
// it: a subquery's or CTE's columns filtered outside it reach its scans.
// Returns the rebuilt projection, or null when nothing moved (the conjuncts
// are then all in `above`).
LogicalRef PushThroughProjection(const LogicalProjection& proj, std::vector<ExprRef> conjuncts,
                                 std::vector<ExprRef>* above) {
  bool volatile_outputs = false;
  std::vector<int> map;
  for (auto& e : proj.Exprs()) {
    volatile_outputs = volatile_outputs || HasVolatile(*e);
    map.push_back(e->kind == BoundExprKind::kColumn ? e->index : -1);
  }
  std::vector<ExprRef> below;
  for (auto& c : conjuncts) {
    if (!volatile_outputs && !HasVolatile(*c) && OnlyPassedThrough(*c, map))
      below.push_back(RemapColumns(c, map));
    else
      above->push_back(c);
  }
  if (below.empty()) return nullptr;
  return std::make_shared<LogicalProjection>(PushDown(proj.ChildRef(), std::move(below)), proj.Exprs());
}

// A CTE scan or recursive union over rewritten children.
LogicalRef RebuildCte(const LogicalOperator& plan, const std::vector<LogicalRef>& children) {
  if (plan.Kind() == LogicalKind::kCteScan) {
    const auto& scan = plan.Cast<LogicalCteScan>();
    return std::make_shared<LogicalCteScan>(children[0], scan.Cte(), scan.Alias());
  }
  const auto& u = plan.Cast<LogicalRecursiveUnion>();
  return std::make_shared<LogicalRecursiveUnion>(children[0], children[1], u.All(), u.Cte());
}

LogicalRef PushIntoJoin(const LogicalJoin& join, std::vector<ExprRef> conjuncts) {
  int left_width = static_cast<int>(join.Child(0).Types().size());
  int width = static_cast<int>(join.Types().size());
  JoinKind kind = join.Join();
  std::vector<ExprRef> left, right, condition, above;
  // ON conditions of an inner join behave as WHERE conjuncts.
  if (kind == JoinKind::kInner || kind == JoinKind::kCross) {
    SplitConjuncts(join.Condition(), &conjuncts);
  } else {
    std::vector<ExprRef> on;
    SplitConjuncts(join.Condition(), &on);
    for (auto& c : on) {
      // An ON conjunct over the inner (nullable) side only filters that side.
      if (kind == JoinKind::kLeft && ReferencesOnly(*c, left_width, width) && !HasVolatile(*c))
        right.push_back(ShiftColumns(c, -left_width));
      else if (kind == JoinKind::kRight && ReferencesOnly(*c, 0, left_width) && !HasVolatile(*c))
        left.push_back(c);
      else
        condition.push_back(c);
    }
  }
  for (auto& c : conjuncts) {
    bool volatile_expr = HasVolatile(*c);
    bool only_left = ReferencesOnly(*c, 0, left_width);
    bool only_right = ReferencesOnly(*c, left_width, width);
    bool inner = kind == JoinKind::kInner || kind == JoinKind::kCross;
    if (!volatile_expr && only_left && (inner || kind == JoinKind::kLeft)) {
      left.push_back(c);
    } else if (!volatile_expr && only_right && (inner || kind == JoinKind::kRight)) {
      right.push_back(ShiftColumns(c, -left_width));
    } else if (inner && !volatile_expr) {
      condition.push_back(c);
    } else {
      above.push_back(c);
    }
  }
  if (kind == JoinKind::kCross && !condition.empty()) kind = JoinKind::kInner;
  LogicalRef l = PushDown(join.ChildRef(0), std::move(left));
  LogicalRef r = PushDown(join.ChildRef(1), std::move(right));
  LogicalRef out = std::make_shared<LogicalJoin>(l, r, kind, MakeAndExpr(std::move(condition)));
  return WrapFilter(out, std::move(above));
}

LogicalRef PushDown(const LogicalRef& plan, std::vector<ExprRef> conjuncts) {
  CheckStackDepth();
  switch (plan->Kind()) {
    case LogicalKind::kFilter: {
      SplitConjuncts(plan->Cast<LogicalFilter>().Predicate(), &conjuncts);
      return PushDown(plan->ChildRef(), std::move(conjuncts));
    }
    case LogicalKind::kGet: {
      const auto& get = plan->Cast<LogicalGet>();
      if (conjuncts.empty()) return plan;
      // A correlated subquery runs on the gateway: its conjunct stays above the scan's fragment.
      std::vector<ExprRef> above;
      std::vector<ExprRef> into;
      for (auto& c : conjuncts) (HasSubPlan(*c) ? above : into).push_back(c);
      if (into.empty()) return WrapFilter(plan, std::move(above));
      SplitConjuncts(get.Filter(), &into);
      return WrapFilter(
          std::make_shared<LogicalGet>(get.Table(), get.Alias(), MakeAndExpr(std::move(into)), get.Lock()),
          std::move(above));
    }
    case LogicalKind::kJoin: return PushIntoJoin(plan->Cast<LogicalJoin>(), std::move(conjuncts));
    case LogicalKind::kProjection: {
      std::vector<ExprRef> above;
      LogicalRef pushed = PushThroughProjection(plan->Cast<LogicalProjection>(), std::move(conjuncts), &above);
      if (pushed) return WrapFilter(pushed, std::move(above));
      conjuncts = std::move(above);
      break;
    }
    case LogicalKind::kCteScan:
      // A CTE read once is inlined, as PostgreSQL does: the predicates
      // above reach into its query like a subquery's.
      if (plan->Cast<LogicalCteScan>().Inlinable()) return PushDown(plan->ChildRef(), std::move(conjuncts));
      break;
    default: break;
  }
  // Any other node: optimise below it and keep the conjuncts above.
  std::vector<LogicalRef> children;
  bool changed = false;
  for (auto& child : plan->Children()) {
    children.push_back(PushDown(child, {}));
    changed = changed || children.back() != child;
  }
  LogicalRef rebuilt = plan;
  if (changed) {
    switch (plan->Kind()) {
      case LogicalKind::kProjection:
        rebuilt = std::make_shared<LogicalProjection>(children[0], plan->Cast<LogicalProjection>().Exprs());
        break;
      case LogicalKind::kAggregate: {
        const auto& agg = plan->Cast<LogicalAggregate>();
        rebuilt = std::make_shared<LogicalAggregate>(children[0], agg.Groups(), agg.Aggregates());
        break;
      }
      case LogicalKind::kSort:
        rebuilt = std::make_shared<LogicalSort>(children[0], plan->Cast<LogicalSort>().Keys());
        break;
      case LogicalKind::kLimit: {
        const auto& limit = plan->Cast<LogicalLimit>();
        rebuilt = std::make_shared<LogicalLimit>(children[0], limit.Limit(), limit.Offset());
        break;
      }
      case LogicalKind::kDistinct: rebuilt = std::make_shared<LogicalDistinct>(children[0]); break;
      case LogicalKind::kSetOp: {
        const auto& op = plan->Cast<LogicalSetOp>();
        rebuilt = std::make_shared<LogicalSetOp>(children[0], children[1], op.Op(), op.All(), op.Types());
        break;
      }
      case LogicalKind::kInsert: {
        const auto& ins = plan->Cast<LogicalInsert>();
        rebuilt = std::make_shared<LogicalInsert>(children[0], ins.GetFragment(), ins.Types());
        break;
      }
      case LogicalKind::kCteScan:
      case LogicalKind::kRecursiveUnion: rebuilt = RebuildCte(*plan, children); break;
      case LogicalKind::kWindow:
        rebuilt = std::make_shared<LogicalWindow>(children[0], plan->Cast<LogicalWindow>().Calls());
        break;
      case LogicalKind::kProjectSet:
        rebuilt = std::make_shared<LogicalProjectSet>(children[0], plan->Cast<LogicalProjectSet>().Calls());
        break;
      default: break;
    }
  }
  return WrapFilter(rebuilt, std::move(conjuncts));
}

// Second pass: scans become fragments; writes get their access path.
struct Cutter {
  int next_fragment = 1;

  LogicalRef Cut(const LogicalRef& plan) {
    switch (plan->Kind()) {
      case LogicalKind::kGet: return CutGet(plan->Cast<LogicalGet>());
      case LogicalKind::kUpdate:
      case LogicalKind::kDelete: {
        auto& write = static_cast<const LogicalWrite&>(*plan);
        auto fragment = std::make_shared<Fragment>(*write.GetFragment());
        std::vector<ExprRef> conjuncts;
        SplitConjuncts(fragment->filter, &conjuncts);
        fragment->scan = ChooseAccessPath(fragment->table, &conjuncts);
        fragment->filter = MakeAndExpr(std::move(conjuncts));
        return std::make_shared<LogicalWrite>(plan->Kind(), fragment, plan->Types());
      }
      case LogicalKind::kProjection: return CutProjection(plan->Cast<LogicalProjection>());
      case LogicalKind::kLimit: return CutLimit(plan->Cast<LogicalLimit>());
      case LogicalKind::kAggregate: return CutAggregate(plan->Cast<LogicalAggregate>());
      case LogicalKind::kJoin: return CutJoin(plan);
      default: break;
    }
    return Rebuild(plan);
  }

  LogicalRef CutGet(const LogicalGet& get) {
    auto fragment = std::make_shared<Fragment>();
    fragment->kind = FragmentKind::kScan;
    fragment->table = get.Table();
    std::vector<ExprRef> conjuncts;
    SplitConjuncts(get.Filter(), &conjuncts);
    fragment->scan = ChooseAccessPath(fragment->table, &conjuncts);
    fragment->filter = MakeAndExpr(std::move(conjuncts));
    if (get.Lock()) {
      fragment->lock_rows = true;
      fragment->lock_wait = *get.Lock();
    }
    return std::make_shared<LogicalFragmentScan>(fragment, get.Types(), next_fragment++);
  }

  // A join of two tables on both whole primary keys becomes one fragment
  // that joins on every shard; any other join runs at the gateway.
  LogicalRef CutJoin(const LogicalRef& plan) {
    const auto& join = plan->Cast<LogicalJoin>();
    if (join.Child(0).Kind() == LogicalKind::kGet && join.Child(1).Kind() == LogicalKind::kGet) {
      const auto& left = join.Child(0).Cast<LogicalGet>();
      const auto& right = join.Child(1).Cast<LogicalGet>();
      if (FragmentRef fragment = PlanColocatedJoin(join, left.Table(), left.Filter(), right.Table(), right.Filter()))
        return std::make_shared<LogicalFragmentScan>(fragment, join.Types(), next_fragment++);
    }
    return Rebuild(plan);
  }

  // A projection over a plain fragment moves into it: only the needed values travel.
  LogicalRef CutProjection(const LogicalProjection& proj) {
    LogicalRef child = Cut(proj.ChildRef());
    // SELECT * and the like: a projection that passes every column through in order does nothing.
    bool identity = proj.Exprs().size() == child->Types().size();
    for (size_t i = 0; identity && i < proj.Exprs().size(); ++i) {
      const BoundExpr& e = *proj.Exprs()[i];
      identity = e.kind == BoundExprKind::kColumn && e.index == static_cast<int>(i) && e.type == child->Types()[i];
    }
    if (identity) return child;
    if (child->Kind() == LogicalKind::kFragmentScan) {
      const auto& scan = child->Cast<LogicalFragmentScan>();
      const Fragment& f = *scan.GetFragment();
      bool movable = f.projection.empty() && f.top_n.empty() && f.limit < 0;
      for (auto& e : proj.Exprs()) movable = movable && !HasVolatile(*e);
      if (movable) {
        auto fragment = std::make_shared<Fragment>(f);
        fragment->projection = proj.Exprs();
        return std::make_shared<LogicalFragmentScan>(fragment, proj.Types(), scan.Number());
      }
    }
    return std::make_shared<LogicalProjection>(child, proj.Exprs());
  }

  // LIMIT n [OFFSET m] over a fragment (maybe under a sort) ships n + m to
  // the fragment, as top-N when sorted; the gateway still applies both.
  LogicalRef CutLimit(const LogicalLimit& limit) {
    LogicalRef child = Cut(limit.ChildRef());
    auto constant = [](const ExprRef& e, int64_t fallback) -> std::optional<int64_t> {
      if (!e) return fallback;
      if (!e->IsConstant() || e->value.IsNull()) return std::nullopt;
      return e->value.GetInt();
    };
    auto n = constant(limit.Limit(), -1);
    auto m = constant(limit.Offset(), 0);
    if (n && m && *n >= 0) {
      const LogicalOperator* target = child.get();
      const LogicalSort* sort = nullptr;
      if (target->Kind() == LogicalKind::kSort) {
        sort = &target->Cast<LogicalSort>();
        target = &sort->Child();
      }
      if (target->Kind() == LogicalKind::kFragmentScan) {
        const auto& scan = target->Cast<LogicalFragmentScan>();
        auto fragment = std::make_shared<Fragment>(*scan.GetFragment());
        if (fragment->limit < 0 && fragment->top_n.empty()) {
          fragment->limit = *n + *m;
          if (sort) fragment->top_n = sort->Keys();
          LogicalRef pushed = std::make_shared<LogicalFragmentScan>(fragment, scan.Types(), scan.Number());
          if (sort) pushed = std::make_shared<LogicalSort>(pushed, sort->Keys());
          child = pushed;
        }
      }
    }
    return std::make_shared<LogicalLimit>(child, limit.Limit(), limit.Offset());
  }

  // An aggregate over a plain fragment splits in two: the fragment folds its
  // rows into partial results per group, the gateway merges them (sums of
  // counts and sums, min of mins, max of maxes). avg and DISTINCT stay whole.
  LogicalRef CutAggregate(const LogicalAggregate& agg) {
    LogicalRef child = Cut(agg.ChildRef());
    bool pushable = child->Kind() == LogicalKind::kFragmentScan;
    for (auto& a : agg.Aggregates())
      pushable = pushable && !a->distinct && static_cast<AggKind>(a->op) != AggKind::kAvg &&
                 static_cast<AggKind>(a->op) != AggKind::kArrayAgg &&
                 static_cast<AggKind>(a->op) != AggKind::kStringAgg && (a->args.empty() || !HasVolatile(*a->args[0]));
    for (auto& g : agg.Groups()) pushable = pushable && !HasVolatile(*g);
    if (pushable) {
      const auto& scan = child->Cast<LogicalFragmentScan>();
      const Fragment& f = *scan.GetFragment();
      pushable = f.projection.empty() && f.top_n.empty() && f.limit < 0 && f.aggregates.empty() && f.group_by.empty();
    }
    if (!pushable) return std::make_shared<LogicalAggregate>(child, agg.Groups(), agg.Aggregates());
    const auto& scan = child->Cast<LogicalFragmentScan>();
    auto fragment = std::make_shared<Fragment>(*scan.GetFragment());
    fragment->group_by = agg.Groups();
    fragment->aggregates = agg.Aggregates();
    LogicalRef partial = std::make_shared<LogicalFragmentScan>(fragment, agg.Types(), scan.Number());
    std::vector<ExprRef> groups, finals;
    int width = static_cast<int>(agg.Groups().size());
    for (int i = 0; i < width; ++i) groups.push_back(MakeColumnExpr(i, agg.Groups()[i]->type, ExprToText(*agg.Groups()[i])));
    for (size_t i = 0; i < agg.Aggregates().size(); ++i) {
      const BoundExpr& a = *agg.Aggregates()[i];
      auto kind = static_cast<AggKind>(a.op);
      auto merge = std::make_shared<BoundExpr>(a);
      merge->distinct = false;
      merge->op = static_cast<uint8_t>(kind == AggKind::kCount || kind == AggKind::kCountStar ? AggKind::kSum : kind);
      merge->args = {MakeColumnExpr(width + static_cast<int>(i), a.type, ExprToText(a))};
      finals.push_back(merge);  // keeps the aggregate's own type: count merges as an int8 sum
    }
    return std::make_shared<LogicalAggregate>(partial, groups, finals);
  }

  LogicalRef Rebuild(const LogicalRef& plan) {
    std::vector<LogicalRef> c;
    for (auto& child : plan->Children()) c.push_back(Cut(child));
    switch (plan->Kind()) {
      case LogicalKind::kFilter: return std::make_shared<LogicalFilter>(c[0], plan->Cast<LogicalFilter>().Predicate());
      case LogicalKind::kAggregate: {
        const auto& agg = plan->Cast<LogicalAggregate>();
        return std::make_shared<LogicalAggregate>(c[0], agg.Groups(), agg.Aggregates());
      }
      case LogicalKind::kJoin: {
        const auto& join = plan->Cast<LogicalJoin>();
        return std::make_shared<LogicalJoin>(c[0], c[1], join.Join(), join.Condition());
      }
      case LogicalKind::kSort: return std::make_shared<LogicalSort>(c[0], plan->Cast<LogicalSort>().Keys());
      case LogicalKind::kDistinct: return std::make_shared<LogicalDistinct>(c[0]);
      case LogicalKind::kSetOp: {
        const auto& op = plan->Cast<LogicalSetOp>();
        return std::make_shared<LogicalSetOp>(c[0], c[1], op.Op(), op.All(), op.Types());
      }
      case LogicalKind::kInsert: {
        const auto& ins = plan->Cast<LogicalInsert>();
        return std::make_shared<LogicalInsert>(c[0], ins.GetFragment(), ins.Types());
      }
      case LogicalKind::kCteScan:
      case LogicalKind::kRecursiveUnion: return RebuildCte(*plan, c);
      case LogicalKind::kWindow: return std::make_shared<LogicalWindow>(c[0], plan->Cast<LogicalWindow>().Calls());
      case LogicalKind::kProjectSet:
        return std::make_shared<LogicalProjectSet>(c[0], plan->Cast<LogicalProjectSet>().Calls());
      default: return plan;
    }
  }
};

}  // namespace

LogicalRef Optimize(const LogicalRef& plan) {
  LogicalRef pushed = PushDown(plan, {});
  Cutter cutter;
  return cutter.Cut(pushed);
}

}  // namespace tessera::planner
