// In-process fragment execution, optionally through the wire encoding.
#include "executor/local_fragment_executor.h"

#include "planner/fragment_codec.h"

namespace tessera::executor {

planner::FragmentResult LocalFragmentExecutor::Execute(const planner::FragmentRequest& request) {
  if (!encode_) return RunFragment(request, txn_, services_);
  std::string request_bytes = planner::EncodeFragmentRequest(request);
  planner::FragmentRequest decoded = planner::DecodeFragmentRequest(request_bytes);
  planner::FragmentResult result = RunFragment(decoded, txn_, services_);
  std::string result_bytes = planner::EncodeFragmentResult(result);
  return planner::DecodeFragmentResult(result_bytes);
}

}  // namespace tessera::executor
