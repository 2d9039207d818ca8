// Time zones through Google's cctz, which reads the system's zoneinfo (so
// POSIX names such as PST8PDT work as in PostgreSQL). Fixed offsets written
// as numbers ("+05:30", "-8") are handled here since cctz has no name for them.
#include <cctz/time_zone.h>

#include <cctype>
#include <chrono>
#include <mutex>
#include <unordered_map>

#include "common/datetime.h"
#include "common/error.h"

namespace tessera::datetime {
namespace {

using Seconds = cctz::time_point<cctz::seconds>;

// Parses "+05", "-8", "+05:30", "5.5"-free simple forms as seconds east of UTC.
bool ParseFixedOffset(const std::string& zone, int* seconds_east) {
  size_t i = 0;
  int sign = 1;
  if (i < zone.size() && (zone[i] == '+' || zone[i] == '-')) sign = zone[i++] == '-' ? -1 : 1;
  int h = 0, m = 0, digits = 0;
  while (i < zone.size() && std::isdigit(static_cast<unsigned char>(zone[i]))) {
    h = h * 10 + (zone[i++] - '0');
    ++digits;
  }
  if (digits == 0 || digits > 2) return false;
  if (i < zone.size() && zone[i] == ':') {
    ++i;
    int md = 0;
    while (i < zone.size() && std::isdigit(static_cast<unsigned char>(zone[i]))) {
      m = m * 10 + (zone[i++] - '0');
      ++md;
    }
    if (md != 2) return false;
  }
  if (i != zone.size() || h > 15 || m > 59) return false;
  *seconds_east = sign * (h * 3600 + m * 60);
  return true;
}

// load_time_zone is thread safe but not free; keep what we loaded.
bool LoadZone(const std::string& name, cctz::time_zone* out) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::pair<bool, cctz::time_zone>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(name);
  if (it == cache.end()) {
    cctz::time_zone tz;
    bool ok = false;
    int offset = 0;
    if (ParseFixedOffset(name, &offset)) {
      tz = cctz::fixed_time_zone(cctz::seconds(offset));
      ok = true;
    } else {
      std::string n = name;
      for (auto& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (n == "utc" || n == "gmt" || n == "z" || n == "zulu") {
        tz = cctz::utc_time_zone();
        ok = true;
      } else {
        ok = name.find("..") == std::string::npos && cctz::load_time_zone(name, &tz);
      }
    }
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
