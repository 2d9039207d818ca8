// In-process fragment execution, optionally through the wire encoding.
#include "executor/local_fragment_executor.h"

#include <chrono>

#include "planner/fragment_codec.h"

namespace tessera::executor {

planner::FragmentResult LocalFragmentExecutor::Execute(const planner::FragmentRequest& request) {
  if (services_.stats) {
    auto start = std::chrono::steady_clock::now();
    planner::FragmentResult result = Run(request);
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
    services_.stats->runs[request.fragment.get()].push_back({-1, result.rows.size(), result.affected, micros.count()});
    return result;
  }
  return Run(request);
}

planner::FragmentResult LocalFragmentExecutor::Run(const planner::FragmentRequest& request) {
  if (!encode_) return RunFragment(request, txn_, services_);
  std::string request_bytes = planner::EncodeFragmentRequest(request);
  planner::FragmentRequest decoded = planner::DecodeFragmentRequest(request_bytes);
  planner::FragmentResult result = RunFragment(decoded, txn_, services_);
  std::string result_bytes = planner::EncodeFragmentResult(result);
  return planner::DecodeFragmentResult(result_bytes);
}

}  // namespace tessera::executor
