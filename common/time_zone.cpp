// Time zones through Google's cctz, which reads the system's zoneinfo (so
// POSIX names such as PST8PDT work as in PostgreSQL). Numeric offsets and
// simple POSIX specs are handled here since cctz has no names for them.
#include <cctz/time_zone.h>

#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <unordered_map>

#include "common/datetime.h"
#include "common/error.h"

namespace tessera::datetime {
namespace {

using Seconds = cctz::time_point<cctz::seconds>;

// SET TimeZone's rules (check_timezone): a bare number is hours east of
// UTC ("-7", "5.5"); otherwise the name of a zone, or a POSIX spec such as
// "UTC+3" or "+05:30" whose offset counts hours WEST of Greenwich.
bool ParseIsoHours(const std::string& zone, int* seconds_east) {
  if (zone.empty()) return false;
  char* end = nullptr;
  double hours = std::strtod(zone.c_str(), &end);
  if (end == zone.c_str() || *end != '\0' || !(hours > -15.0 && hours < 15.0) || std::isalpha(zone[0])) return false;
  *seconds_east = static_cast<int>(std::lround(hours * 3600));
  return true;
}

// A POSIX spec without a DST rule: optional letters (or <...>), then
// [+-]hh[:mm[:ss]] counted west of Greenwich.
bool ParsePosixOffset(const std::string& zone, int* seconds_east) {
  size_t i = 0;
  if (i < zone.size() && zone[i] == '<') {
    i = zone.find('>');
    if (i == std::string::npos) return false;
    ++i;
  } else {
    while (i < zone.size() && std::isalpha(static_cast<unsigned char>(zone[i]))) ++i;
  }
  int sign = 1;
  if (i < zone.size() && (zone[i] == '+' || zone[i] == '-')) sign = zone[i++] == '-' ? -1 : 1;
  int fields[3] = {0, 0, 0};
  int count = 0;
  while (count < 3) {
    int digits = 0, v = 0;
    while (i < zone.size() && std::isdigit(static_cast<unsigned char>(zone[i])) && digits < 2) {
      v = v * 10 + (zone[i++] - '0');
      ++digits;
    }
    if (digits == 0) return false;
    fields[count++] = v;
    if (i < zone.size() && zone[i] == ':') {
      ++i;
      continue;
    }
    break;
  }
  if (i != zone.size() || fields[0] > 24 || fields[1] > 59 || fields[2] > 59) return false;
  *seconds_east = -sign * (fields[0] * 3600 + fields[1] * 60 + fields[2]);
  return true;
}

// zoneinfo names match case-insensitively in PostgreSQL ("europe/paris").
std::string FindZoneFile(const std::string& name) {
  static const std::unordered_map<std::string, std::string> index = [] {
    std::unordered_map<std::string, std::string> out;
    const std::filesystem::path root = "/usr/share/zoneinfo";
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      std::string rel = it->path().lexically_relative(root).string();  // keeps symlinked names (UTC)
      std::string low = rel;
      for (auto& c : low) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.emplace(low, rel);
    }
    return out;
  }();
  std::string low = name;
  for (auto& c : low) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = index.find(low);
  return it == index.end() ? std::string() : it->second;
}

bool LoadUncached(const std::string& name, cctz::time_zone* tz) {
  int offset = 0;
  if (ParseIsoHours(name, &offset) || ParsePosixOffset(name, &offset)) {
    *tz = cctz::fixed_time_zone(cctz::seconds(offset));
    return true;
  }
  if (name.empty() || name.find("..") != std::string::npos || name[0] == '/') return false;
  if (cctz::load_time_zone(name, tz)) return true;
  std::string file = FindZoneFile(name);
  return !file.empty() && cctz::load_time_zone(file, tz);
}

// load_time_zone is thread safe but not free; keep what we loaded.
bool LoadZone(const std::string& name, cctz::time_zone* out) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::pair<bool, cctz::time_zone>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(name);
  if (it == cache.end()) {
    cctz::time_zone tz;
    bool ok = LoadUncached(name, &tz);
    it = cache.emplace(name, std::make_pair(ok, tz)).first;
  }
  *out = it->second.second;
  return it->second.first;
}

cctz::time_zone Zone(const std::string& name) {
  cctz::time_zone tz;
  if (!LoadZone(name, &tz))
    throw SqlError(sqlstate::kInvalidParameterValue, "time zone \"" + name + "\" not recognized");
  return tz;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

bool IsValidTimeZone(const std::string& zone) {
  cctz::time_zone tz;
  return LoadZone(zone, &tz);
}

int64_t UtcToLocal(int64_t utc_micros, const std::string& zone, int* offset, std::string* abbrev) {
  if (utc_micros == kTimestampInfinity || utc_micros == kTimestampNegInfinity) return utc_micros;
  cctz::time_zone tz = Zone(zone);
  int64_t secs = FloorDiv(utc_micros, kMicrosPerSecond);
  Seconds tp(cctz::seconds(secs + kUnixToPgEpochSeconds));
  auto info = tz.lookup(tp);
  if (offset) *offset = info.offset;
  if (abbrev) *abbrev = info.abbr ? info.abbr : "";
  return utc_micros + static_cast<int64_t>(info.offset) * kMicrosPerSecond;
}

int64_t LocalToUtc(int64_t local_micros, const std::string& zone) {
  if (local_micros == kTimestampInfinity || local_micros == kTimestampNegInfinity) return local_micros;
  cctz::time_zone tz = Zone(zone);
  int64_t secs = FloorDiv(local_micros, kMicrosPerSecond);
  int64_t frac = local_micros - secs * kMicrosPerSecond;
  cctz::civil_second cs = cctz::civil_second(2000, 1, 1) + secs;
  // In a DST gap PostgreSQL applies the offset in force before the
  // transition (02:30 -> 03:30 EDT); an ambiguous time in an overlap is read
  // as standard time, the later of the two instants.
  auto lookup = tz.lookup(cs);
  Seconds tp = lookup.kind == cctz::time_zone::civil_lookup::REPEATED ? lookup.post : lookup.pre;
  int64_t utc_secs = tp.time_since_epoch().count() - kUnixToPgEpochSeconds;
  return utc_secs * kMicrosPerSecond + frac;
}

int64_t CurrentTimestamp() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  int64_t micros = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  return micros - kUnixToPgEpochSeconds * kMicrosPerSecond;
}

}  // namespace tessera::datetime
