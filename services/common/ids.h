// Ids that commands derive from their request id, so that a retried command
// names the same aggregate (and the store's idempotency can answer it).
#ifndef VAGT_SERVICES_COMMON_IDS_H_
#define VAGT_SERVICES_COMMON_IDS_H_

#include <string>
#include <string_view>

namespace vagt::services {

// A UUID (RFC 4122 layout, version 5 style) from SHA-256 of `kind` and
// `request_id`; equal inputs give equal ids.
std::string IdFromRequest(std::string_view kind, std::string_view request_id);

// A new random UUID (libuuid), for records that no request names (reads,
// refusals).
std::string NewUuid();

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_IDS_H_
