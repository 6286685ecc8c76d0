#include "services/common/ids.h"

#include <openssl/evp.h>
#include <uuid/uuid.h>

#include <array>
#include <cstdio>

namespace vagt::services {

std::string IdFromRequest(std::string_view kind, std::string_view request_id) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  const std::string input = std::string(kind) + '\0' + std::string(request_id);
  EVP_Digest(input.data(), input.size(), digest.data(), &len, EVP_sha256(),
             nullptr);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x50);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);
  char text[37];
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                "%02x%02x%02x%02x%02x%02x",
                digest[0], digest[1], digest[2], digest[3], digest[4],
                digest[5], digest[6], digest[7], digest[8], digest[9],
                digest[10], digest[11], digest[12], digest[13], digest[14],
                digest[15]);
  return std::string(text, 36);
}

std::string NewUuid() {
  uuid_t id;
  uuid_generate_random(id);
  char text[37];
  uuid_unparse_lower(id, text);
  return text;
}

}  // namespace vagt::services
