// Checks of the fields of commands and records, shared by the services and
// the rules below them. Every failure is INVALID_ARGUMENT naming the field
// and the rule, never the value (a value may carry a citizen's data).
//
//   RETURN_IF_ERROR(CheckText(request.reason(), "reason", /*required=*/true));
//   RETURN_IF_ERROR(CheckId(item.call_id(), absl::StrCat("items[", i,
//                           "].call_id"), /*required=*/true));
//   RETURN_IF_ERROR(CheckParty(request.offered_to(), "offered_to"));
#ifndef VAGT_DOMAIN_FIELD_CHECKS_H_
#define VAGT_DOMAIN_FIELD_CHECKS_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "vagt/v1/events.pb.h"

namespace vagt {

// Free text a person types (notes, reasons): bounded well below the store's
// payload limit, so a long text fails here with a clear message.
inline constexpr size_t kMaxTextBytes = 8 * 1024;

// Ids of aggregates and of things inside them (call, escalation, handover,
// consent ids): at most this many bytes.
inline constexpr size_t kMaxIdBytes = 128;

// At most kMaxTextBytes; non-empty when `required`.
inline absl::Status CheckText(const std::string& text, absl::string_view field,
                              bool required) {
  if (required && text.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  if (text.size() > kMaxTextBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", text.size(), " bytes exceed the limit of ",
                     kMaxTextBytes));
  }
  return absl::OkStatus();
}

// 1..max_bytes printable characters (no control characters), the rule the
// store applies to actors and request ids; empty is allowed unless
// `required`.
inline absl::Status CheckId(const std::string& id, absl::string_view field,
                            bool required, size_t max_bytes = kMaxIdBytes) {
  if (id.empty()) {
    return required
               ? absl::InvalidArgumentError(absl::StrCat(field, ": required"))
               : absl::OkStatus();
  }
  if (id.size() > max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": at most ", max_bytes, " characters"));
  }
  for (char c : id) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": control characters are not allowed"));
    }
  }
  return absl::OkStatus();
}

// Party ids have the form and limit of an actor (EventEnvelope.actor), since
// a party id is compared with the actor; display names are bounded alike.
inline constexpr size_t kPartyIdMaxBytes = 256;

// Whether `actor` (or a party id) names a team worker: "worker:<x>".
inline bool IsWorkerId(absl::string_view id) {
  return id.size() > 7 && absl::StartsWith(id, "worker:");
}

// Whether `id` names a partner organisation: "partner:<x>".
inline bool IsPartnerId(absl::string_view id) {
  return id.size() > 8 && absl::StartsWith(id, "partner:");
}

// The one rule for a Party in a request: a known kind, and an id that agrees
// with it: "worker:<x>" exactly when the kind is PARTY_KIND_TEAM_WORKER,
// "partner:<x>" for every partner kind (night partner, social emergency
// service, psychiatric emergency, police, other partner). Who a party is, and
// so what it may see, follows from both, so neither may contradict the other.
// `display_name` is optional and bounded.
inline absl::Status CheckParty(const v1::Party& party,
                               absl::string_view field) {
  if (party.kind() == v1::PARTY_KIND_UNSPECIFIED ||
      !v1::PartyKind_IsValid(party.kind())) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".kind: required, a known party kind"));
  }
  const std::string id_field = absl::StrCat(field, ".id");
  if (absl::Status s =
          CheckId(party.id(), id_field, /*required=*/true, kPartyIdMaxBytes);
      !s.ok()) {
    return s;
  }
  if (party.kind() == v1::PARTY_KIND_TEAM_WORKER) {
    if (!IsWorkerId(party.id())) {
      return absl::InvalidArgumentError(absl::StrCat(
          id_field, ": must be \"worker:<id>\" for a TEAM_WORKER"));
    }
  } else if (!IsPartnerId(party.id())) {
    return absl::InvalidArgumentError(
        absl::StrCat(id_field, ": must be \"partner:<id>\" for a ",
                     v1::PartyKind_Name(party.kind()),
                     " (only a TEAM_WORKER is a \"worker:\")"));
  }
  return CheckId(party.display_name(), absl::StrCat(field, ".display_name"),
                 /*required=*/false, kPartyIdMaxBytes);
}

}  // namespace vagt

#endif  // VAGT_DOMAIN_FIELD_CHECKS_H_
