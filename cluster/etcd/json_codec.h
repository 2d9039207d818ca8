// Translation between the client's types and the JSON of etcd's v3 gateway (grpc-gateway):
// bytes fields are base64, int64 fields travel as decimal strings (we send them that way too,
// since lease ids exceed 2^53), and fields equal to zero/false/empty are omitted in answers.
// Internal to cluster/etcd.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "cluster/etcd/etcd_types.h"

namespace tessera::cluster::etcd {

std::string Base64Encode(std::string_view bytes);
std::string Base64Decode(std::string_view text);  // throws EtcdError on malformed input

// The range_end that makes a range cover every key starting with `prefix` ("\0" means all keys).
std::string PrefixEnd(std::string_view prefix);

// An int64 field that may be absent (0), a JSON string or a JSON number.
int64_t JsonInt(const nlohmann::json& object, const char* field);
bool JsonBool(const nlohmann::json& object, const char* field);
std::string JsonBytes(const nlohmann::json& object, const char* field);  // base64-decoded; absent: ""

KeyValue ParseKeyValue(const nlohmann::json& kv);
RangeResult ParseRange(const nlohmann::json& response);  // RangeResponse
int64_t HeaderRevision(const nlohmann::json& response);

nlohmann::json RangeRequest(const std::string& key, bool prefix);
nlohmann::json PutRequest(const std::string& key, const std::string& value, int64_t lease);
nlohmann::json DeleteRequest(const std::string& key, bool prefix);
nlohmann::json TxnRequest(const std::vector<Compare>& compares, const std::vector<Op>& success,
                          const std::vector<Op>& failure);
TxnResult ParseTxn(const nlohmann::json& response);

// The human-readable message of a gateway error body ({"error": ..., "message": ..., "code": n}).
std::string ErrorMessage(const std::string& body);

}  // namespace tessera::cluster::etcd
