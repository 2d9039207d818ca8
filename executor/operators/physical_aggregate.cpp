// The gateway's (final) hash aggregate over its child's rows.
#include "executor/operators/physical_aggregate.h"

#include "executor/aggregator.h"
#include "executor/background_free.h"

namespace tessera::executor {

bool PhysicalHashAggregate::Next(Batch* out) {
  if (!built_) {
    built_ = true;
    // A member, so that a cancelled aggregate's groups go with the operator
    // tree (freed in the background when big), not during the unwinding.
    aggregator_ = std::make_unique<HashAggregator>(plan_.Groups(), plan_.Aggregates(), ctx_.eval, &ctx_.poll,
                                                   ctx_.memory);
    Batch in;
    while (child_->Next(&in)) {
      ctx_.CheckCancel();
      for (auto& row : in) {
        ctx_.Tick();
        aggregator_->Add(row);
      }
    }
    output_.Set(aggregator_->Finish(), ctx_.memory);
    if (aggregator_->Charged() >= kBackgroundFreeBytes) {
      aggregator_->Uncharge();  // the background thread must not touch the account
      FreeInBackground(std::move(aggregator_));
    }
    aggregator_.reset();
  }
  return output_.Next(out);
}

}  // namespace tessera::executor
