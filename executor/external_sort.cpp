// See external_sort.h.
#include "executor/external_sort.h"

#include <algorithm>

namespace tessera::executor {

ExternalSort::Merger::Merger(const std::vector<planner::SortKey>& keys,
                             std::vector<std::unique_ptr<SortRunFile>> runs, MemoryCharge* charge)
    : keys_(keys), runs_(std::move(runs)), heads_(runs_.size()), charge_(charge) {
  charged_ = static_cast<int64_t>(runs_.size()) * (SortRunFile::kBufferBytes + kKeyedRowSlot);
  charge_->Add(charged_);
  for (size_t i = 0; i < runs_.size(); ++i) {
    runs_[i]->Rewind();
    if (runs_[i]->Read(&heads_[i])) heap_.push_back(i);
  }
  auto later = [this](size_t a, size_t b) { return Later(a, b); };
  std::make_heap(heap_.begin(), heap_.end(), later);
}

bool ExternalSort::Merger::Later(size_t a, size_t b) const {
  int c = CompareKeys(heads_[a].keys, heads_[b].keys, keys_);
  return c != 0 ? c > 0 : a > b;
}

bool ExternalSort::Merger::Pop(KeyedRow* out) {
  if (heap_.empty()) return false;
  auto later = [this](size_t a, size_t b) { return Later(a, b); };
  std::pop_heap(heap_.begin(), heap_.end(), later);
  size_t run = heap_.back();
  *out = std::move(heads_[run]);
  if (runs_[run]->Read(&heads_[run])) {
    std::push_heap(heap_.begin(), heap_.end(), later);
  } else {
    heap_.pop_back();
    runs_[run].reset();  // read to the end: its file goes now
  }
  return true;
}

void ExternalSort::AddRun(std::vector<KeyedRow>* sorted) {
  auto run = std::make_unique<SortRunFile>(dir_);
  for (auto& row : *sorted) {
    poll_.Tick();
    run->Append(row);
  }
  run->FinishWriting();
  disk_bytes_ += run->Bytes();
  sorted->clear();
  runs_.push_back(std::move(run));
}

void ExternalSort::FinishInput() {
  while (runs_.size() > kMergeWidth) {
    std::vector<std::unique_ptr<SortRunFile>> merged;
    for (size_t start = 0; start < runs_.size(); start += kMergeWidth) {
      size_t end = std::min(runs_.size(), start + kMergeWidth);
      if (end - start == 1) {
        merged.push_back(std::move(runs_[start]));
        continue;
      }
      std::vector<std::unique_ptr<SortRunFile>> group;
      for (size_t i = start; i < end; ++i) group.push_back(std::move(runs_[i]));
      Merger merger(keys_, std::move(group), &charge_);
      auto out = std::make_unique<SortRunFile>(dir_);
      KeyedRow row;
      while (merger.Pop(&row)) {
        poll_.Tick();
        out->Append(row);
      }
      out->FinishWriting();

      merged.push_back(std::move(out));
    }
    runs_ = std::move(merged);
  }
  output_ = std::make_unique<Merger>(keys_, std::move(runs_), &charge_);
  runs_.clear();
}

bool ExternalSort::Next(Batch* out) {
  out->clear();
  KeyedRow row;
  while (out->size() < kBatchSize && output_->Pop(&row)) {
    poll_.Tick();
    out->push_back(std::move(row.row));
  }
  return !out->empty();
}

}  // namespace tessera::executor
