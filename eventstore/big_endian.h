// Integers in keys are big-endian, so that byte order is numeric order: the
// one encoding of the event store's keys (keys.h) and the projections' keys
// (projections/keys.h), and of the positions and versions stored under them.
#ifndef VAGT_EVENTSTORE_BIG_ENDIAN_H_
#define VAGT_EVENTSTORE_BIG_ENDIAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vagt::eventstore {

inline std::string EncodeBigEndian64(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<size_t>(i)] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return out;
}

// Nullopt unless `bytes` is exactly 8 bytes.
inline std::optional<uint64_t> DecodeBigEndian64(std::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  uint64_t v = 0;
  for (char c : bytes) v = (v << 8) | static_cast<unsigned char>(c);
  return v;
}

}  // namespace vagt::eventstore

#endif  // VAGT_EVENTSTORE_BIG_ENDIAN_H_
