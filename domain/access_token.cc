#include "domain/access_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace vagt {
namespace {

constexpr size_t kSecretBytes = 32;
// Credential ids are derived UUIDs; a bound keeps a junk header cheap.
constexpr size_t kMaxCredentialIdBytes = 64;

absl::Status NotAToken() {
  return absl::UnauthenticatedError(
      "authorization: not a vagt access token (\"vagt1.<id>.<secret>\")");
}

}  // namespace

std::string AccessToken::text() const {
  return absl::StrCat(kAccessTokenPrefix, credential_id, ".", secret);
}

AccessToken NewAccessToken(std::string credential_id) {
  unsigned char bytes[kSecretBytes];
  // RAND_bytes fails only when the CSPRNG cannot be seeded: issuing a
  // guessable token is worse than stopping.
  if (RAND_bytes(bytes, sizeof bytes) != 1) std::abort();
  return {.credential_id = std::move(credential_id),
          .secret = absl::BytesToHexString(absl::string_view(
              reinterpret_cast<const char*>(bytes), sizeof bytes))};
}

absl::StatusOr<AccessToken> ParseAccessToken(absl::string_view text) {
  if (!absl::ConsumePrefix(&text, kAccessTokenPrefix)) return NotAToken();
  const size_t dot = text.rfind('.');
  if (dot == absl::string_view::npos || dot == 0 ||
      dot > kMaxCredentialIdBytes) {
    return NotAToken();
  }
  absl::string_view id = text.substr(0, dot);
  absl::string_view secret = text.substr(dot + 1);
  if (secret.size() != 2 * kSecretBytes) return NotAToken();
  for (char c : secret) {
    if (!absl::ascii_isxdigit(c) || absl::ascii_isupper(c)) return NotAToken();
  }
  for (char c : id) {
    if (!absl::ascii_isalnum(c) && c != '-') return NotAToken();
  }
  return AccessToken{.credential_id = std::string(id),
                     .secret = std::string(secret)};
}

std::string SecretDigest(absl::string_view secret) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(secret.data(), secret.size(), digest, &size, EVP_sha256(),
                 nullptr) != 1) {
    std::abort();  // SHA-256 is always available in OpenSSL
  }
  return std::string(reinterpret_cast<const char*>(digest), size);
}

bool DigestMatches(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() &&
         CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace vagt
