// From the logical plan to the physical operator tree, one case per node.
#include "common/stack_depth.h"
#include "common/error.h"
#include "executor/operators/physical_aggregate.h"
#include "executor/operators/physical_basic.h"
#include "executor/operators/physical_cte.h"
#include "executor/operators/physical_fragment.h"
#include "executor/operators/physical_hash_join.h"
#include "executor/operators/physical_project_set.h"
#include "executor/operators/physical_sort.h"
#include "executor/operators/physical_system_scan.h"
#include "executor/operators/physical_window.h"

namespace tessera::executor {

using namespace planner;

PhysicalRef CreatePhysical(const LogicalOperator& plan, ExecContext& ctx) {
  CheckStackDepth();
  auto child = [&](size_t i) { return CreatePhysical(plan.Child(i), ctx); };
  switch (plan.Kind()) {
    case LogicalKind::kValues: return std::make_unique<PhysicalValues>(ctx, plan.Cast<LogicalValues>());
    case LogicalKind::kTableFunction:
      return std::make_unique<PhysicalFunctionScan>(ctx, plan.Cast<LogicalTableFunction>());
    case LogicalKind::kProjectSet:
      return std::make_unique<PhysicalProjectSet>(ctx, child(0), plan.Cast<LogicalProjectSet>());
    case LogicalKind::kFilter:
      return std::make_unique<PhysicalFilter>(ctx, child(0), plan.Cast<LogicalFilter>().Predicate());
    case LogicalKind::kProjection:
      return std::make_unique<PhysicalProjection>(ctx, child(0), plan.Cast<LogicalProjection>().Exprs());
    case LogicalKind::kAggregate:
      return std::make_unique<PhysicalHashAggregate>(ctx, child(0), plan.Cast<LogicalAggregate>());
    case LogicalKind::kJoin:
      return std::make_unique<PhysicalHashJoin>(ctx, child(0), child(1), plan.Cast<LogicalJoin>());
    case LogicalKind::kSort: return std::make_unique<PhysicalSort>(ctx, child(0), plan.Cast<LogicalSort>());
    case LogicalKind::kLimit: {
      // A sort under a limit keeps only the rows the limit can return.
      const auto& limit = plan.Cast<LogicalLimit>();
      if (limit.Child().Kind() == LogicalKind::kSort) {
        const LogicalOperator& sort = limit.Child();
        auto top = std::make_unique<PhysicalSort>(ctx, CreatePhysical(sort.Child(), ctx), sort.Cast<LogicalSort>(),
                                                  &limit);
        return std::make_unique<PhysicalLimit>(ctx, std::move(top), limit);
      }
      return std::make_unique<PhysicalLimit>(ctx, child(0), limit);
    }
    case LogicalKind::kDistinct: return std::make_unique<PhysicalDistinct>(ctx, child(0));
    case LogicalKind::kSetOp: {
      const auto& op = plan.Cast<LogicalSetOp>();
      return std::make_unique<PhysicalSetOp>(ctx, child(0), child(1), op.Op(), op.All());
    }
    case LogicalKind::kFragmentScan:
      return std::make_unique<PhysicalFragmentScan>(ctx, plan.Cast<LogicalFragmentScan>().GetFragment());
    case LogicalKind::kInsert:
      return std::make_unique<PhysicalInsert>(ctx, child(0), plan.Cast<LogicalInsert>().GetFragment());
    case LogicalKind::kUpdate:
    case LogicalKind::kDelete:
      return std::make_unique<PhysicalWrite>(ctx, static_cast<const LogicalWrite&>(plan).GetFragment());
    case LogicalKind::kSystemScan:
      return std::make_unique<PhysicalSystemScan>(ctx, plan.Cast<LogicalSystemScan>());
    case LogicalKind::kCteScan: return std::make_unique<PhysicalCteScan>(ctx, plan.Cast<LogicalCteScan>());
    case LogicalKind::kRecursiveUnion:
      return std::make_unique<PhysicalRecursiveUnion>(ctx, plan.Cast<LogicalRecursiveUnion>());
    case LogicalKind::kWorkTableScan:
      return std::make_unique<PhysicalWorkTableScan>(ctx, plan.Cast<LogicalWorkTableScan>());
    case LogicalKind::kWindow:
      return std::make_unique<PhysicalWindow>(ctx, child(0), plan.Cast<LogicalWindow>());
    case LogicalKind::kGet: break;
  }
  throw SqlError::Internal("logical plan node has no physical operator (uncut scan?)");
}

}  // namespace tessera::executor
