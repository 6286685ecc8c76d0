// Checks of command fields shared by the services. Every failure is
// INVALID_ARGUMENT naming the field and the rule, never the value (a value
// may carry a citizen's data).
//
//   RETURN_IF_ERROR(CheckText(request.reason(), "reason", /*required=*/true));
//   RETURN_IF_ERROR(CheckId(item.call_id(), absl::StrCat("items[", i,
//                           "].call_id"), /*required=*/true));
#ifndef VAGT_SERVICES_COMMON_FIELD_CHECKS_H_
#define VAGT_SERVICES_COMMON_FIELD_CHECKS_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace vagt::services {

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

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_FIELD_CHECKS_H_
