#include "services/common/jwks.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "services/common/jwk_pem.h"

namespace vagt::services {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

// More keys than an identity provider publishes; bounds the work a document
// can cause.
constexpr int kMaxKeys = 64;

// The string member `name` of `object`; empty when absent or not a string.
std::string StringMember(const Struct& object, const std::string& name) {
  auto it = object.fields().find(name);
  if (it == object.fields().end() || !it->second.has_string_value()) return "";
  return it->second.string_value();
}

bool MayVerify(const Struct& jwk) {
  auto ops = jwk.fields().find("key_ops");
  if (ops == jwk.fields().end()) return true;
  if (!ops->second.has_list_value()) return false;
  for (const Value& op : ops->second.list_value().values()) {
    if (op.has_string_value() && op.string_value() == "verify") return true;
  }
  return false;
}

// The algorithms a key of `type` on `curve` may verify.
bool AlgFits(const std::string& alg, KeyType type, const std::string& curve) {
  if (type == KeyType::kRsa) {
    return alg == "RS256" || alg == "RS384" || alg == "RS512";
  }
  return (alg == "ES256" && curve == "P-256") ||
         (alg == "ES384" && curve == "P-384") ||
         (alg == "ES512" && curve == "P-521");
}

// The key `jwk` describes, or why it is skipped.
absl::StatusOr<SigningKey> KeyOf(const Struct& jwk) {
  SigningKey key;
  key.kid = StringMember(jwk, "kid");
  if (key.kid.empty()) return absl::InvalidArgumentError("it has no kid");
  const std::string kty = StringMember(jwk, "kty");
  if (const std::string use = StringMember(jwk, "use");
      !use.empty() && use != "sig") {
    return absl::InvalidArgumentError(absl::StrCat("use '", use, "'"));
  }
  if (!MayVerify(jwk)) {
    return absl::InvalidArgumentError("its key_ops do not include verify");
  }
  absl::StatusOr<std::string> pem;
  if (kty == "RSA") {
    key.type = KeyType::kRsa;
    pem = RsaPublicKeyPem(StringMember(jwk, "n"), StringMember(jwk, "e"));
  } else if (kty == "EC") {
    key.type = KeyType::kEc;
    key.curve = StringMember(jwk, "crv");
    pem = EcPublicKeyPem(key.curve, StringMember(jwk, "x"),
                         StringMember(jwk, "y"));
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("kty '", kty, "' is not RSA or EC"));
  }
  if (!pem.ok()) return pem.status();
  key.pem = *std::move(pem);
  key.alg = StringMember(jwk, "alg");
  if (!key.alg.empty() && !AlgFits(key.alg, key.type, key.curve)) {
    return absl::InvalidArgumentError(
        absl::StrCat("alg '", key.alg, "' is not one vagt accepts"));
  }
  return key;
}

}  // namespace

const SigningKey* JwkSet::Find(const std::string& kid) const {
  auto it = keys_.find(kid);
  return it == keys_.end() ? nullptr : &it->second;
}

std::vector<std::string> JwkSet::kids() const {
  std::vector<std::string> out;
  for (const auto& [kid, key] : keys_) out.push_back(kid);
  return out;
}

absl::StatusOr<JwkSet> ParseJwks(absl::string_view document) {
  Struct root;
  if (!google::protobuf::util::JsonStringToMessage(std::string(document), &root)
           .ok()) {
    return absl::InvalidArgumentError("the JWKS is not a JSON object");
  }
  auto keys = root.fields().find("keys");
  if (keys == root.fields().end() || !keys->second.has_list_value()) {
    return absl::InvalidArgumentError("the JWKS has no \"keys\" array");
  }
  JwkSet set;
  int position = 0;
  for (const Value& entry : keys->second.list_value().values()) {
    if (++position > kMaxKeys) {
      set.skipped_.push_back(
          absl::StrCat("keys after the first ", kMaxKeys, " are ignored"));
      break;
    }
    const std::string name =
        entry.has_struct_value() &&
                !StringMember(entry.struct_value(), "kid").empty()
            ? absl::StrCat("kid '", StringMember(entry.struct_value(), "kid"),
                           "'")
            : absl::StrCat("key ", position);
    if (!entry.has_struct_value()) {
      set.skipped_.push_back(absl::StrCat(name, ": not a JSON object"));
      continue;
    }
    absl::StatusOr<SigningKey> key = KeyOf(entry.struct_value());
    if (!key.ok()) {
      set.skipped_.push_back(absl::StrCat(name, ": ", key.status().message()));
      continue;
    }
    if (set.keys_.contains(key->kid)) {
      set.skipped_.push_back(absl::StrCat(name, ": a second key with its kid"));
      continue;
    }
    std::string kid = key->kid;
    set.keys_.emplace(std::move(kid), *std::move(key));
  }
  if (set.keys_.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the JWKS has no RSA or EC signing key vagt can use",
        set.skipped_.empty() ? "" : ": ", absl::StrJoin(set.skipped_, "; ")));
  }
  return set;
}

}  // namespace vagt::services
