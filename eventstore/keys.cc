#include "eventstore/keys.h"

#include <algorithm>
#include <cstring>

namespace vagt::eventstore::keys {

std::string StreamIndexPrefix(std::string_view stream_id) {
  std::string out(stream_id);
  out.push_back('\0');
  return out;
}

std::string StreamIndexKey(std::string_view stream_id, uint64_t version) {
  return StreamIndexPrefix(stream_id) + EncodeBigEndian64(version);
}

std::string EncodeReceipt(const AppendReceipt& r) {
  std::string out = EncodeBigEndian64(r.first_position) +
                    EncodeBigEndian64(r.last_position) +
                    EncodeBigEndian64(r.stream_version);
  out.append(HashBytes(r.fingerprint));
  return out;
}

std::optional<AppendReceipt> DecodeReceipt(std::string_view bytes) {
  if (bytes.size() != 24 + kHashBytes) return std::nullopt;
  AppendReceipt r;
  r.first_position = *DecodeBigEndian64(bytes.substr(0, 8));
  r.last_position = *DecodeBigEndian64(bytes.substr(8, 8));
  r.stream_version = *DecodeBigEndian64(bytes.substr(16, 8));
  std::memcpy(r.fingerprint.data(), bytes.data() + 24, kHashBytes);
  return r;
}

std::string EncodeEventValue(const Hash& hash, std::string_view canonical) {
  std::string out(HashBytes(hash));
  out.append(canonical);
  return out;
}

std::optional<EventValue> DecodeEventValue(std::string_view bytes) {
  if (bytes.size() < kHashBytes) return std::nullopt;
  EventValue v;
  std::memcpy(v.hash.data(), bytes.data(), kHashBytes);
  v.canonical = bytes.substr(kHashBytes);
  return v;
}

std::string EncodeChainHead(const ChainHead& head) {
  std::string out = EncodeBigEndian64(head.position);
  out.append(HashBytes(head.hash));
  return out;
}

std::optional<ChainHead> DecodeChainHead(std::string_view bytes) {
  if (bytes.size() != 8 + kHashBytes) return std::nullopt;
  ChainHead head;
  head.position = *DecodeBigEndian64(bytes.substr(0, 8));
  std::memcpy(head.hash.data(), bytes.data() + 8, kHashBytes);
  return head;
}

}  // namespace vagt::eventstore::keys
