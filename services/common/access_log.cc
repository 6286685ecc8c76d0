#include "services/common/access_log.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "domain/field_checks.h"
#include "domain/streams.h"
#include "services/common/ids.h"

namespace vagt::services {

absl::Status CheckAccessReason(const v1::AccessReason& access,
                               const std::string& field) {
  if (access.purpose() == v1::ACCESS_PURPOSE_UNSPECIFIED ||
      !v1::AccessPurpose_IsValid(access.purpose())) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ".purpose: required (why you read this data; it is recorded)"));
  }
  const bool needs_reason = access.purpose() == v1::ACCESS_PURPOSE_OTHER;
  if (needs_reason && access.reason().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".reason: required when the purpose is OTHER"));
  }
  return CheckText(access.reason(), absl::StrCat(field, ".reason"),
                   needs_reason);
}

absl::Status StoreAccessSink::Write(const std::string& stream_id,
                                    eventstore::NewEvent event) {
  std::vector<eventstore::NewEvent> events;
  events.push_back(std::move(event));
  return store_
      .Append({.stream_id = stream_id,
               .expected = eventstore::ExpectedVersion::NoStream(),
               .request_id = stream_id,
               .events = std::move(events)})
      .status();
}

absl::Status RecordAccess(AccessSink& sink, const std::string& actor,
                          AccessRecord record) {
  std::vector<std::string>& refs = record.citizen_refs;
  std::sort(refs.begin(), refs.end());
  refs.erase(std::unique(refs.begin(), refs.end()), refs.end());

  eventstore::NewEvent event;
  event.actor = actor;
  v1::SensitiveDataAccessed& e =
      *event.payload.mutable_sensitive_data_accessed();
  e.set_access_id(NewUuid());
  e.set_kind(record.kind);
  e.set_query(std::move(record.query));
  for (std::string& ref : refs) e.add_citizen_refs(std::move(ref));
  e.set_event_count(record.event_count);
  e.set_purpose(record.access.purpose());
  e.mutable_sensitive()->set_reason(record.access.reason());
  const std::string stream = AccessStreamId(e.access_id());
  if (absl::Status s = sink.Write(stream, std::move(event)); !s.ok()) {
    return absl::UnavailableError(
        absl::StrCat("the read could not be recorded, so nothing is returned: ",
                     s.message()));
  }
  return absl::OkStatus();
}

}  // namespace vagt::services
