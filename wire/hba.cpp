#include "wire/hba.h"

#include <arpa/inet.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tessera::wire {

namespace {

// One token of a field: its text and whether any of it was quoted
// (a quoted "all" is a role named all, as in PostgreSQL).
struct Token {
  std::string text;
  bool quoted = false;
};
using Field = std::vector<Token>;  // a comma list

// Splits one logical line into fields, each a comma list of tokens.
std::vector<Field> SplitLine(const std::string& line) {
  std::vector<Field> fields;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    if (i >= line.size() || line[i] == '#') break;
    Field field;
    while (true) {
      Token token;
      bool in_quotes = false;
      while (i < line.size()) {
        char c = line[i];
        if (c == '"') {
          in_quotes = !in_quotes;
          token.quoted = true;
          ++i;
          continue;
        }
        if (!in_quotes && (c == ' ' || c == '\t' || c == '\r' || c == ',' || c == '#')) break;
        token.text += c;
        ++i;
      }
      if (in_quotes) throw std::runtime_error("unterminated quoted string");
      field.push_back(token);
      if (i < line.size() && line[i] == ',') {
        ++i;
        continue;
      }
      break;
    }
    fields.push_back(std::move(field));
  }
  return fields;
}

std::vector<std::string> Names(const Field& field, const char* what) {
  std::vector<std::string> out;
  for (const Token& token : field) {
    if (!token.quoted && (token.text.starts_with("@") || token.text.starts_with("+")))
      throw std::runtime_error(std::string(what) + " \"" + token.text + "\": @files and +groups are not supported");
    // Keywords keep their meaning only unquoted: a quoted one is a name.
    bool keyword = token.text == "all" || token.text == "sameuser" || token.text == "samerole" ||
                   token.text == "samegroup" || token.text == "replication";
    out.push_back(token.quoted && keyword ? "\"" + token.text + "\"" : token.text);
  }
  return out;
}

int CountBits(const IpAddress& mask) {
  int bits = 0;
  bool ended = false;
  for (size_t i = 0; i < (mask.v6 ? 16u : 4u); ++i) {
    for (int b = 7; b >= 0; --b) {
      bool set = (mask.bytes[i] >> b) & 1;
      if (set && ended) return -1;
      if (set) ++bits; else ended = true;
    }
  }
  return bits;
}

AuthMethod ParseMethod(const std::string& name) {
  if (name == "trust") return AuthMethod::kTrust;
  if (name == "reject") return AuthMethod::kReject;
  if (name == "password") return AuthMethod::kPassword;
  // Passwords are stored as SCRAM verifiers, so md5 runs SCRAM (as PostgreSQL does).
  if (name == "scram-sha-256" || name == "md5") return AuthMethod::kScramSha256;
  if (name == "cert") return AuthMethod::kCert;
  throw std::runtime_error("authentication method \"" + name + "\" is not supported by Tessera");
}

HbaRule ParseRule(const std::vector<Field>& fields) {
  HbaRule rule;
  const std::string& type = fields[0][0].text;
  if (type == "local") rule.type = HbaRule::Type::kLocal;
  else if (type == "host") rule.type = HbaRule::Type::kHost;
  else if (type == "hostssl") rule.type = HbaRule::Type::kHostSsl;
  else if (type == "hostnossl") rule.type = HbaRule::Type::kHostNoSsl;
  else throw std::runtime_error("invalid connection type \"" + type + "\"");
  size_t needed = rule.type == HbaRule::Type::kLocal ? 4 : 5;
  if (fields.size() < needed) throw std::runtime_error("end-of-line before authentication method");
  rule.databases = Names(fields[1], "database");
  rule.users = Names(fields[2], "user");
  size_t next = 3;
  if (rule.type != HbaRule::Type::kLocal) {
    const std::string& address = fields[3][0].text;
    next = 4;
    if (fields[3].size() != 1) throw std::runtime_error("multiple values specified for host address");
    if (address != "all") {
      if (address == "samehost" || address == "samenet")
        throw std::runtime_error("address \"" + address + "\" is not supported; give a CIDR");
      size_t slash = address.find('/');
      auto ip = IpAddress::Parse(address.substr(0, slash));
      if (!ip) throw std::runtime_error("invalid IP address \"" + address + "\" (host names are not supported)");
      rule.any_address = false;
      rule.address = *ip;
      if (slash != std::string::npos) {
        std::string bits = address.substr(slash + 1);
        int max = ip->v6 ? 128 : 32;
        if (bits.empty() || bits.size() > 3 || bits.find_first_not_of("0123456789") != std::string::npos ||
            std::stoi(bits) > max)
          throw std::runtime_error("invalid CIDR mask in address \"" + address + "\"");
        rule.prefix_bits = std::stoi(bits);
      } else {
        // An address and a netmask in the next field.
        if (fields.size() < 6) throw std::runtime_error("specifying both host name and CIDR mask is invalid");
        auto mask = IpAddress::Parse(fields[4][0].text);
        if (!mask || mask->v6 != ip->v6 || CountBits(*mask) < 0)
          throw std::runtime_error("invalid IP mask \"" + fields[4][0].text + "\"");
        rule.prefix_bits = CountBits(*mask);
        next = 5;
      }
    }
  }
  rule.method = ParseMethod(fields[next][0].text);
  if (rule.method == AuthMethod::kCert && rule.type != HbaRule::Type::kHostSsl)
    throw std::runtime_error("cert authentication is only supported on hostssl connections");
  if (fields.size() > next + 1) throw std::runtime_error("authentication options are not supported");
  return rule;
}

bool PrefixMatches(const IpAddress& a, const IpAddress& b, int bits) {
  for (int i = 0; i < bits; ++i) {
    int byte = i / 8, bit = 7 - i % 8;
    if (((a.bytes[byte] >> bit) & 1) != ((b.bytes[byte] >> bit) & 1)) return false;
  }
  return true;
}

bool NameMatches(const std::vector<std::string>& names, const std::string& wanted) {
  for (const std::string& name : names) {
    if (name == "all" || name == wanted || name == "\"" + wanted + "\"") return true;
  }
  return false;
}

bool DatabaseMatches(const std::vector<std::string>& names, const std::string& database, const std::string& user) {
  for (const std::string& name : names) {
    if (name == "replication") continue;  // replication connections only
    // samerole: a member of the role named like the database; without
    // memberships, only that role itself.
    if ((name == "sameuser" || name == "samerole" || name == "samegroup") && database == user) return true;
    if (name == "all" || name == database || name == "\"" + database + "\"") return true;
  }
  return false;
}

}  // namespace

const char* AuthMethodName(AuthMethod method) {
  switch (method) {
    case AuthMethod::kTrust: return "trust";
    case AuthMethod::kReject: return "reject";
    case AuthMethod::kPassword: return "password";
    case AuthMethod::kScramSha256: return "scram-sha-256";
    case AuthMethod::kCert: return "cert";
  }
  return "?";
}

std::optional<IpAddress> IpAddress::Parse(const std::string& text) {
  IpAddress out;
  if (inet_pton(AF_INET, text.c_str(), out.bytes.data()) == 1) return out;
  if (inet_pton(AF_INET6, text.c_str(), out.bytes.data()) != 1) return std::nullopt;
  static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMapped, kMapped + 12, out.bytes.begin())) {
    std::copy(out.bytes.begin() + 12, out.bytes.end(), out.bytes.begin());
    std::fill(out.bytes.begin() + 4, out.bytes.end(), 0);
    return out;
  }
  out.v6 = true;
  return out;
}

HbaRules HbaRules::Parse(const std::string& text, const std::string& file_name) {
  HbaRules out;
  std::istringstream in(text);
  std::string line, logical;
  int number = 0, first = 0;
  while (std::getline(in, line)) {
    ++number;
    if (logical.empty()) first = number;
    if (!line.empty() && line.back() == '\\') {  // continued on the next line
      logical += line.substr(0, line.size() - 1) + " ";
      continue;
    }
    logical += line;
    try {
      std::vector<Field> fields = SplitLine(logical);
      if (!fields.empty()) {
        HbaRule rule = ParseRule(fields);
        rule.line = first;
        out.rules_.push_back(std::move(rule));
      }
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(file_name + ":" + std::to_string(first) + ": " + e.what());
    }
    logical.clear();
  }
  return out;
}

HbaRules HbaRules::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("could not open " + path);
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

HbaRules HbaRules::Default() {
  return Parse(
      "host all all 127.0.0.0/8 trust\n"
      "host all all ::1/128 trust\n"
      "host all all 0.0.0.0/0 scram-sha-256\n"
      "host all all ::/0 scram-sha-256\n",
      "(default rules)");
}

const HbaRule* HbaRules::Match(const std::string& database, const std::string& user, const IpAddress& client,
                               bool tls) const {
  for (const HbaRule& rule : rules_) {
    if (rule.type == HbaRule::Type::kLocal) continue;
    if (rule.type == HbaRule::Type::kHostSsl && !tls) continue;
    if (rule.type == HbaRule::Type::kHostNoSsl && tls) continue;
    if (!rule.any_address && (rule.address.v6 != client.v6 || !PrefixMatches(rule.address, client, rule.prefix_bits)))
      continue;
    if (!DatabaseMatches(rule.databases, database, user) || !NameMatches(rule.users, user)) continue;
    return &rule;
  }
  return nullptr;
}

bool HbaRules::UsesCert() const {
  return std::any_of(rules_.begin(), rules_.end(), [](const HbaRule& r) { return r.method == AuthMethod::kCert; });
}

}  // namespace tessera::wire
