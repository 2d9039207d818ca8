// The byte encoding of fragments and their results: what the cluster
// transport carries. Compact and versioned: a header (magic, format version),
// then every structure as a sequence of numbered fields, each
//   [field number: varint][wire kind: 1 byte][payload]
// ended by field 0. A reader skips fields it does not know (newer writers)
// and keeps defaults for fields that are absent (older writers), so mixed
// versions can talk during a rolling upgrade.
#pragma once

#include <functional>

#include <string>
#include <string_view>

#include "planner/fragment.h"

namespace tessera::planner {

inline constexpr uint32_t kFragmentFormatVersion = 1;

std::string EncodeFragmentRequest(const FragmentRequest& request);
FragmentRequest DecodeFragmentRequest(std::string_view bytes);  // throws SqlError XX001 on corrupt input
// `per_row`, if set, is called after each encoded or decoded row: a
// million-row result takes long enough to encode or decode (0.2 to 1.5 s
// on a busy 2-core machine) that a cancel or statement_timeout must be
// able to stop it.
std::string EncodeFragmentResult(const FragmentResult& result, const std::function<void()>& per_row = {});
FragmentResult DecodeFragmentResult(std::string_view bytes, const std::function<void()>& per_row = {});

// Exposed for tests and for embedding in other messages.
std::string EncodeFragment(const Fragment& fragment);
Fragment DecodeFragment(std::string_view bytes);
std::string EncodeExpr(const BoundExpr& expr);
ExprRef DecodeExpr(std::string_view bytes);
// One row's values with their types (the external sort's run files too).
std::string EncodeRowBytes(const Row& row);
Row DecodeRowBytes(std::string_view bytes);

}  // namespace tessera::planner
