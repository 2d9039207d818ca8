// The gateway's (final) hash aggregate over its child's rows.
#include "executor/operators/physical_aggregate.h"

#include "executor/aggregator.h"

namespace tessera::executor {

bool PhysicalHashAggregate::Next(Batch* out) {
  if (!built_) {
    built_ = true;
    HashAggregator aggregator(plan_.Groups(), plan_.Aggregates(), ctx_.eval);
    Batch in;
    while (child_->Next(&in)) {
      ctx_.CheckCancel();
      for (auto& row : in) aggregator.Add(row);
    }
    output_.Set(aggregator.Finish());
  }
  return output_.Next(out);
}

}  // namespace tessera::executor
