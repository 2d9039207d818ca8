// Sequence values from counter positions (catalog.h SequenceValue), and the
// base class's refusals of the sequence changes a catalog cannot make.
#include "catalog/catalog.h"
#include "common/error.h"

namespace tessera::catalog {

namespace {

using Wide = __int128;

SqlError Reached(const char* bound, const std::string& name, int64_t value) {
  return SqlError("2200H", std::string("nextval: reached ") + bound + " value of sequence \"" + name + "\" (" +
                               std::to_string(value) + ")");
}

}  // namespace

int64_t SequenceValue(const SequenceInfo& seq, int64_t n, const std::string& name) {
  const Wide inc = seq.increment, min = seq.min_value, max = seq.max_value;
  const Wide first = seq.last_value + (seq.is_called ? inc : 0);
  const Wide v = first + (static_cast<Wide>(n) - 1) * inc;
  if (v >= min && v <= max) return static_cast<int64_t>(v);
  bool up = inc > 0;
  if (!seq.cycle) throw Reached(up ? "maximum" : "minimum", name, up ? seq.max_value : seq.min_value);
  // Values before the first wrap, then whole cycles from the other bound.
  Wide step = up ? inc : -inc;
  Wide before = up ? (first <= max ? (max - first) / step + 1 : 0) : (first >= min ? (first - min) / step + 1 : 0);
  Wide cycle = (max - min) / step + 1;
  Wide j = (static_cast<Wide>(n) - 1 - before) % cycle;
  return static_cast<int64_t>(up ? min + j * step : max - j * step);
}

void Catalog::SetSequenceValue(const std::string&, const std::string&, int64_t, bool) {
  throw SqlError::FeatureNotSupported("setval is not supported by this catalog");
}

void Catalog::AlterSequence(const std::string&, const std::string&, const SequenceInfo&) {
  throw SqlError::FeatureNotSupported("ALTER SEQUENCE is not supported by this catalog");
}

}  // namespace tessera::catalog
