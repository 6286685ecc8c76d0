#include "services/common/jwt_signature.h"

#include <jwt.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "domain/access_token.h"
#include "google/protobuf/util/json_util.h"

namespace vagt::services {
namespace {

using google::protobuf::Struct;

struct Algorithm {
  const char* name;
  jwt_alg_t libjwt;
  KeyType key_type;
  const char* curve;  // EC only
};

// The algorithms vagt accepts: asymmetric only.
constexpr Algorithm kAlgorithms[] = {
    {"RS256", JWT_ALG_RS256, KeyType::kRsa, ""},
    {"RS384", JWT_ALG_RS384, KeyType::kRsa, ""},
    {"RS512", JWT_ALG_RS512, KeyType::kRsa, ""},
    {"ES256", JWT_ALG_ES256, KeyType::kEc, "P-256"},
    {"ES384", JWT_ALG_ES384, KeyType::kEc, "P-384"},
    {"ES512", JWT_ALG_ES512, KeyType::kEc, "P-521"},
};
constexpr char kAlgorithmNames[] = "RS256, RS384, RS512, ES256, ES384, ES512";

absl::Status Refused(absl::string_view reason) {
  return absl::UnauthenticatedError(reason);
}

bool IsBase64Url(absl::string_view part) {
  for (char c : part) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '_') {
      return false;
    }
  }
  return true;
}

// A base64url part decoded and parsed as a JSON object; false when it is
// not one (repeated names included: protobuf's parser refuses them, so no
// two readers of the header can disagree on which "alg" counts).
bool ParseObject(absl::string_view part, Struct* object) {
  std::string json;
  return absl::WebSafeBase64Unescape(part, &json) &&
         google::protobuf::util::JsonStringToMessage(json, object).ok();
}

std::string StringMember(const Struct& object, const std::string& name) {
  auto it = object.fields().find(name);
  if (it == object.fields().end() || !it->second.has_string_value()) return "";
  return it->second.string_value();
}

// The accepted algorithm the header names, or why it is refused.
absl::StatusOr<const Algorithm*> AlgorithmOf(const Struct& header) {
  const std::string alg = StringMember(header, "alg");
  if (alg.empty()) return Refused("the token's header names no alg");
  if (absl::EqualsIgnoreCase(alg, "none")) {
    return Refused("alg none is refused (the token is not signed)");
  }
  if (absl::StartsWithIgnoreCase(alg, "HS")) {
    return Refused(absl::StrCat(
        "alg ", alg,
        " (HMAC) is refused: only signatures made with the identity "
        "provider's private key are accepted (",
        kAlgorithmNames, ")"));
  }
  for (const Algorithm& a : kAlgorithms) {
    if (alg == a.name) return &a;
  }
  return Refused(
      absl::StrCat("alg ", alg, " is not supported (", kAlgorithmNames, ")"));
}

absl::Status CheckKeyFits(const SigningKey& key, const Algorithm& alg) {
  if (key.type != alg.key_type ||
      (alg.key_type == KeyType::kEc && key.curve != alg.curve) ||
      (!key.alg.empty() && key.alg != alg.name)) {
    return Refused(absl::StrCat("the key the token's kid names is not for alg ",
                                alg.name));
  }
  return absl::OkStatus();
}

struct JwtDeleter {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
struct FreeDeleter {
  void operator()(char* text) const { std::free(text); }
};

}  // namespace

bool LooksLikeJwt(absl::string_view bearer) {
  if (absl::StartsWith(bearer, kAccessTokenPrefix)) return false;
  const std::vector<absl::string_view> parts = absl::StrSplit(bearer, '.');
  return parts.size() == 3 && !parts[0].empty() && !parts[1].empty() &&
         IsBase64Url(parts[0]) && IsBase64Url(parts[1]) &&
         IsBase64Url(parts[2]);
}

absl::StatusOr<Struct> VerifiedClaims(absl::string_view token,
                                      JwksCache& keys) {
  if (token.size() > kMaxJwtBytes) {
    return Refused(
        absl::StrCat("the token is longer than ", kMaxJwtBytes, " bytes"));
  }
  if (!LooksLikeJwt(token)) {
    return Refused("not a JWT (three base64url parts separated by dots)");
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  Struct header;
  if (!ParseObject(parts[0], &header)) {
    return Refused("the token's header is not a JSON object");
  }
  absl::StatusOr<const Algorithm*> alg = AlgorithmOf(header);
  if (!alg.ok()) return alg.status();
  if (const std::string typ = StringMember(header, "typ");
      header.fields().contains("typ") && !absl::EqualsIgnoreCase(typ, "JWT")) {
    return Refused("the token's typ is not JWT");
  }
  if (header.fields().contains("crit")) {
    return Refused("the token's header has crit extensions, none understood");
  }
  const std::string kid = StringMember(header, "kid");
  if (kid.empty()) return Refused("the token's header names no kid");
  if (parts[2].empty()) return Refused("the token has no signature");
  absl::StatusOr<std::shared_ptr<const SigningKey>> key = keys.Find(kid);
  if (!key.ok()) return Refused(key.status().message());
  if (absl::Status fits = CheckKeyFits(**key, **alg); !fits.ok()) return fits;

  // Only now, with an asymmetric algorithm and a public key of its kind.
  jwt_t* decoded = nullptr;
  const std::string text(token);
  const int failed =
      jwt_decode(&decoded, text.c_str(),
                 reinterpret_cast<const unsigned char*>((*key)->pem.data()),
                 static_cast<int>((*key)->pem.size()));
  std::unique_ptr<jwt_t, JwtDeleter> jwt(decoded);
  if (failed != 0 || jwt == nullptr) {
    return Refused("the signature does not verify");
  }
  const char* libjwt_kid = jwt_get_header(jwt.get(), "kid");
  if (jwt_get_alg(jwt.get()) != (*alg)->libjwt || libjwt_kid == nullptr ||
      kid != libjwt_kid) {
    return Refused("the token's header is ambiguous");
  }
  std::unique_ptr<char, FreeDeleter> claims_json(
      jwt_get_grants_json(jwt.get(), nullptr));
  Struct claims;
  if (claims_json == nullptr ||
      !google::protobuf::util::JsonStringToMessage(claims_json.get(), &claims)
           .ok()) {
    return Refused("the token's claims are not a JSON object");
  }
  return claims;
}

}  // namespace vagt::services
