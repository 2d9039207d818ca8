#include "tests/runners/slt_values.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace tessera::slt {
namespace {

bool ParseInteger(const std::string& text, long long* out) {
  if (text.empty()) return false;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return false;
  *out = v;
  return true;
}

bool ParseReal(const std::string& text, double* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (*end != '\0') return false;
  *out = v;
  return true;
}

std::string RenderInteger(const std::string& text, unsigned type_oid) {
  if (type_oid == kBoolOid) return text == "t" ? "1" : "0";
  long long i = 0;
  if (ParseInteger(text, &i)) return std::to_string(i);
  double d = 0;
  // A numeric or float in an I column: the reference runner truncates it.
  if (ParseReal(text, &d) && std::isfinite(d)) return std::to_string(static_cast<long long>(d));
  return text;
}

std::string RenderReal(const std::string& text, unsigned type_oid) {
  double d = 0;
  if (type_oid == kBoolOid)
    d = text == "t" ? 1 : 0;
  else if (!ParseReal(text, &d))
    return text;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", d);
  return buf;
}

std::string RenderText(const std::string& text) {
  if (text.empty()) return "(empty)";
  std::string out = text;
  for (char& c : out) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = '@';
  }
  return out;
}

}  // namespace

std::string RenderValue(std::optional<std::string> value, char type_letter, unsigned type_oid) {
  if (!value) return "NULL";
  switch (type_letter) {
    case 'I':
      return RenderInteger(*value, type_oid);
    case 'R':
      return RenderReal(*value, type_oid);
    default:
      return RenderText(*value);
  }
}

void SortValues(std::vector<std::string>* values, size_t ncols, SortMode mode) {
  if (mode == SortMode::kValueSort) {
    std::sort(values->begin(), values->end());
    return;
  }
  if (mode != SortMode::kRowSort || ncols == 0) return;
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i + ncols <= values->size(); i += ncols) {
    rows.emplace_back(values->begin() + i, values->begin() + i + ncols);
  }
  std::sort(rows.begin(), rows.end());
  values->clear();
  for (auto& row : rows) values->insert(values->end(), row.begin(), row.end());
}

std::string HashValues(const std::vector<std::string>& values) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_md5(), nullptr);
  for (const auto& v : values) {
    EVP_DigestUpdate(ctx, v.data(), v.size());
    EVP_DigestUpdate(ctx, "\n", 1);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, digest, &len);
  EVP_MD_CTX_free(ctx);
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned i = 0; i < len; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

std::vector<std::string> ExpectedValues(const std::vector<std::string>& lines) {
  std::vector<std::string> values;
  for (const auto& line : lines) {
    size_t start = 0;
    while (true) {
      size_t tab = line.find('\t', start);
      values.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
  }
  return values;
}

bool ParseHashLine(const std::vector<std::string>& lines, size_t* count, std::string* hash) {
  if (lines.size() != 1) return false;
  std::istringstream in(lines[0]);
  std::string values_word, hashing_word, to_word;
  if (!(in >> *count >> values_word >> hashing_word >> to_word >> *hash)) return false;
  return values_word == "values" && hashing_word == "hashing" && to_word == "to";
}

}  // namespace tessera::slt
