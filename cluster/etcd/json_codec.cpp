#include "cluster/etcd/json_codec.h"

#include <boost/beast/core/detail/base64.hpp>

namespace tessera::cluster::etcd {

namespace base64 = boost::beast::detail::base64;
using nlohmann::json;

std::string Base64Encode(std::string_view bytes) {
  std::string out(base64::encoded_size(bytes.size()), '\0');
  out.resize(base64::encode(out.data(), bytes.data(), bytes.size()));
  return out;
}

std::string Base64Decode(std::string_view text) {
  std::string out(base64::decoded_size(text.size()), '\0');
  auto [written, read] = base64::decode(out.data(), text.data(), text.size());
  // Decoding stops at the first '=' (padding) or invalid character; only padding may follow.
  if (text.find_first_not_of('=', read) != std::string_view::npos) throw EtcdError("etcd: malformed base64 in answer");
  out.resize(written);
  return out;
}

std::string PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    auto last = static_cast<unsigned char>(end.back());
    if (last < 0xff) {
      end.back() = static_cast<char>(last + 1);
      return end;
    }
    end.pop_back();
  }
  return std::string(1, '\0');
}

int64_t JsonInt(const json& object, const char* field) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return 0;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {
    const auto& text = it->get_ref<const std::string&>();
    try {
      size_t used = 0;
      int64_t value = std::stoll(text, &used);
      if (used == text.size()) return value;
    } catch (const std::exception&) {
    }
  }
  throw EtcdError(std::string("etcd: field '") + field + "' is not an integer: " + it->dump());
}

bool JsonBool(const json& object, const char* field) {
  auto it = object.find(field);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

std::string JsonBytes(const json& object, const char* field) {
  auto it = object.find(field);
  if (it == object.end() || !it->is_string()) return {};
  return Base64Decode(it->get_ref<const std::string&>());
}

KeyValue ParseKeyValue(const json& kv) {
  KeyValue result;
  result.key = JsonBytes(kv, "key");
  result.value = JsonBytes(kv, "value");
  result.create_revision = JsonInt(kv, "create_revision");
  result.mod_revision = JsonInt(kv, "mod_revision");
  result.version = JsonInt(kv, "version");
  result.lease = JsonInt(kv, "lease");
  return result;
}

int64_t HeaderRevision(const json& response) {
  auto it = response.find("header");
  return it == response.end() ? 0 : JsonInt(*it, "revision");
}

RangeResult ParseRange(const json& response) {
  RangeResult result;
  result.revision = HeaderRevision(response);
  if (auto it = response.find("kvs"); it != response.end() && it->is_array()) {
    for (const auto& kv : *it) result.kvs.push_back(ParseKeyValue(kv));
  }
  return result;
}

json RangeRequest(const std::string& key, bool prefix) {
  // etcd rejects an empty key; the empty prefix (every key) is spelled key "\0", range_end "\0".
  std::string first = prefix && key.empty() ? std::string(1, '\0') : key;
  json request = {{"key", Base64Encode(first)}};
  if (prefix) request["range_end"] = Base64Encode(PrefixEnd(key));
  return request;
}

json PutRequest(const std::string& key, const std::string& value, int64_t lease) {
  json request = {{"key", Base64Encode(key)}, {"value", Base64Encode(value)}};
  if (lease != 0) request["lease"] = std::to_string(lease);
  return request;
}

json DeleteRequest(const std::string& key, bool prefix) { return RangeRequest(key, prefix); }

namespace {

json CompareJson(const Compare& compare) {
  static constexpr const char* kResults[] = {"EQUAL", "GREATER", "LESS", "NOT_EQUAL"};
  json out = {{"key", Base64Encode(compare.key)}, {"result", kResults[static_cast<int>(compare.result)]}};
  switch (compare.target) {
    case Compare::Target::kVersion:
      out["target"] = "VERSION";
      out["version"] = std::to_string(compare.number);
      break;
    case Compare::Target::kCreateRevision:
      out["target"] = "CREATE";
      out["create_revision"] = std::to_string(compare.number);
      break;
    case Compare::Target::kModRevision:
      out["target"] = "MOD";
      out["mod_revision"] = std::to_string(compare.number);
      break;
    case Compare::Target::kValue:
      out["target"] = "VALUE";
      out["value"] = Base64Encode(compare.value);
      break;
    case Compare::Target::kLease:
      out["target"] = "LEASE";
      out["lease"] = std::to_string(compare.number);
      break;
  }
  return out;
}

json OpJson(const Op& op) {
  switch (op.kind) {
    case Op::Kind::kPut:
      return {{"request_put", PutRequest(op.key, op.value, op.lease)}};
    case Op::Kind::kDelete:
      return {{"request_delete_range", DeleteRequest(op.key, op.prefix)}};
    case Op::Kind::kGet:
      break;
  }
  return {{"request_range", RangeRequest(op.key, op.prefix)}};
}

}  // namespace

json TxnRequest(const std::vector<Compare>& compares, const std::vector<Op>& success, const std::vector<Op>& failure) {
  json request = {{"compare", json::array()}, {"success", json::array()}, {"failure", json::array()}};
  for (const auto& c : compares) request["compare"].push_back(CompareJson(c));
  for (const auto& op : success) request["success"].push_back(OpJson(op));
  for (const auto& op : failure) request["failure"].push_back(OpJson(op));
  return request;
}

TxnResult ParseTxn(const json& response) {
  TxnResult result;
  result.succeeded = JsonBool(response, "succeeded");
  result.revision = HeaderRevision(response);
  if (auto it = response.find("responses"); it != response.end() && it->is_array()) {
    for (const auto& op : *it) {
      if (auto range = op.find("response_range"); range != op.end()) result.ranges.push_back(ParseRange(*range));
    }
  }
  return result;
}

std::string ErrorMessage(const std::string& body) {
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_object()) {
    // Unary errors carry "error"/"message" strings; stream errors nest them in an "error" object.
    const json* error = &parsed;
    if (auto it = parsed.find("error"); it != parsed.end() && it->is_object()) error = &*it;
    for (const char* field : {"message", "error"}) {
      if (auto it = error->find(field); it != error->end() && it->is_string()) return it->get<std::string>();
    }
  }
  return body.size() > 200 ? body.substr(0, 200) + "..." : body;
}

}  // namespace tessera::cluster::etcd
