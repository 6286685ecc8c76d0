#include "services/common/oidc.h"

#include <cmath>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "domain/directory.h"
#include "eventstore/status_macros.h"
#include "google/protobuf/struct.pb.h"
#include "services/common/jwt_signature.h"

namespace vagt::services {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

constexpr char kWorkerPrefix[] = "worker:";
constexpr absl::Duration kMaxSkew = absl::Minutes(10);
// NumericDate bounds: a later value is not a time a provider writes.
constexpr double kMaxUnixSeconds = 1e11;

absl::Status Refused(absl::string_view reason) {
  return absl::UnauthenticatedError(reason);
}

const Value* Member(const Struct& claims, const std::string& name) {
  auto it = claims.fields().find(name);
  return it == claims.fields().end() ? nullptr : &it->second;
}

// The NumericDate claim `name`; nullopt when absent; an error when it is
// there but not a time.
absl::StatusOr<std::optional<absl::Time>> TimeClaim(const Struct& claims,
                                                    const std::string& name) {
  const Value* value = Member(claims, name);
  if (value == nullptr) return std::nullopt;
  const double seconds = value->has_number_value() ? value->number_value() : -1;
  if (!std::isfinite(seconds) || seconds < 0 || seconds > kMaxUnixSeconds) {
    return Refused(absl::StrCat("the token's ", name, " is not a time"));
  }
  return absl::UnixEpoch() + absl::Seconds(seconds);
}

absl::Status CheckAudience(const Struct& claims, const std::string& audience) {
  const Value* aud = Member(claims, "aud");
  if (aud != nullptr && aud->has_string_value() &&
      aud->string_value() == audience) {
    return absl::OkStatus();
  }
  if (aud != nullptr && aud->has_list_value()) {
    for (const Value& v : aud->list_value().values()) {
      if (v.has_string_value() && v.string_value() == audience) {
        return absl::OkStatus();
      }
    }
  }
  return Refused("wrong audience (the token is not meant for vagt)");
}

absl::Status CheckTimes(const Struct& claims, absl::Time now,
                        absl::Duration skew) {
  ASSIGN_OR_RETURN(std::optional<absl::Time> exp, TimeClaim(claims, "exp"));
  if (!exp.has_value()) return Refused("the token has no exp");
  if (now >= *exp + skew) return Refused("the token has expired");
  ASSIGN_OR_RETURN(std::optional<absl::Time> nbf, TimeClaim(claims, "nbf"));
  if (nbf.has_value() && now + skew < *nbf) {
    return Refused("the token is not yet valid (nbf)");
  }
  ASSIGN_OR_RETURN(std::optional<absl::Time> iat, TimeClaim(claims, "iat"));
  if (iat.has_value() && now + skew < *iat) {
    return Refused("the token is not yet valid (iat is in the future)");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckOidcOptions(const OidcOptions& options) {
  if (options.issuer.empty()) {
    return absl::InvalidArgumentError("OpenID Connect: the issuer is required");
  }
  if (options.audience.empty()) {
    return absl::InvalidArgumentError(
        "OpenID Connect: the audience is required (the client id vagt is "
        "registered with at the identity provider)");
  }
  if (options.claim.empty()) {
    return absl::InvalidArgumentError(
        "OpenID Connect: the claim that names the worker is required");
  }
  if (absl::StrContains(options.domain, "@")) {
    return absl::InvalidArgumentError(
        "OpenID Connect: the domain is written without '@' (ishoj.dk)");
  }
  if (options.skew < absl::ZeroDuration() || options.skew > kMaxSkew) {
    return absl::InvalidArgumentError(
        "OpenID Connect: the clock skew must be 0 to 10 minutes");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> PartyIdOfClaim(absl::string_view value,
                                           const OidcOptions& options) {
  const std::string claim = absl::StrCat("the token's ", options.claim);
  if (!options.domain.empty()) {
    const std::string suffix = absl::StrCat("@", options.domain);
    if (value.size() <= suffix.size() ||
        !absl::EndsWithIgnoreCase(value, suffix)) {
      return Refused(
          absl::StrCat(claim, " is not in the domain ", options.domain));
    }
    value.remove_suffix(suffix.size());
  } else if (absl::StrContains(value, "@")) {
    return Refused(absl::StrCat(
        claim,
        " has a domain (@...): the server must be told which one is "
        "the municipality's (--oidc_domain)"));
  }
  const std::string party_id =
      absl::StrCat(kWorkerPrefix, absl::AsciiStrToLower(value));
  if (absl::Status valid = CheckPrincipalId(party_id, claim); !valid.ok()) {
    return Refused(valid.message());
  }
  return party_id;
}

absl::StatusOr<std::string> OidcVerifier::PartyOf(absl::string_view token,
                                                  absl::Time now) const {
  ASSIGN_OR_RETURN(const Struct claims, VerifiedClaims(token, keys_));
  const Value* iss = Member(claims, "iss");
  if (iss == nullptr || !iss->has_string_value() ||
      iss->string_value() != options_.issuer) {
    return Refused("wrong issuer (not the identity provider vagt trusts)");
  }
  RETURN_IF_ERROR(CheckAudience(claims, options_.audience));
  RETURN_IF_ERROR(CheckTimes(claims, now, options_.skew));
  const Value* name = Member(claims, options_.claim);
  if (name == nullptr || !name->has_string_value() ||
      name->string_value().empty()) {
    return Refused(
        absl::StrCat("the token has no ", options_.claim, " claim (a string)"));
  }
  return PartyIdOfClaim(name->string_value(), options_);
}

}  // namespace vagt::services
