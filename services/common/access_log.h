// The record of reads of citizens' sensitive data (DOMAIN.md: every read of
// such data is itself logged). A read appends a SensitiveDataAccessed event
// to its own stream "access-<uuid>" before it returns anything; if that
// fails, the read fails.
#ifndef VAGT_SERVICES_COMMON_ACCESS_LOG_H_
#define VAGT_SERVICES_COMMON_ACCESS_LOG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "eventstore/event_store.h"
#include "vagt/v1/audit.pb.h"
#include "vagt/v1/events.pb.h"

namespace vagt::services {

// INVALID_ARGUMENT (naming `field`) unless a purpose is given, with a reason
// when the purpose is OTHER.
absl::Status CheckAccessReason(const v1::AccessReason& access,
                               const std::string& field);

struct AccessRecord {
  v1::AccessKind kind = v1::ACCESS_KIND_UNSPECIFIED;
  // Ids and times only (see SensitiveDataAccessed.query).
  std::string query;
  // Whose data the answer holds; duplicates are removed.
  std::vector<std::string> citizen_refs;
  uint32_t event_count = 0;
  v1::AccessReason access;
};

// Where access records go. Write() returns OK only once the record is
// durable: appended to the store, or (in the queries role, which has no
// store) acknowledged by Kafka on its way to the process that owns the store
// (services/kafka/access_relay.h).
class AccessSink {
 public:
  virtual ~AccessSink() = default;
  // Records `event` as the one event of the new stream `stream_id`. Writing
  // the same stream again (a retry, a redelivery) stores it once.
  virtual absl::Status Write(const std::string& stream_id,
                             eventstore::NewEvent event) = 0;
};

// Appends access records to the store, idempotently (the stream id is the
// request id).
class StoreAccessSink final : public AccessSink {
 public:
  // `store` must outlive the sink.
  explicit StoreAccessSink(eventstore::EventStore& store) : store_(store) {}
  absl::Status Write(const std::string& stream_id,
                     eventstore::NewEvent event) override;

 private:
  eventstore::EventStore& store_;
};

// Writes the record, durably. UNAVAILABLE (nothing may be returned) when
// the sink refuses.
absl::Status RecordAccess(AccessSink& sink, const std::string& actor,
                          AccessRecord record);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_ACCESS_LOG_H_
