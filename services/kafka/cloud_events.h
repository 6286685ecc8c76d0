// The Kafka record of one stored event, in CloudEvents 1.0 binary content
// mode (CloudEvents Kafka protocol binding): the record's value is the whole
// serialized vagt.v1.EventEnvelope (hash and prev_hash included), its key is
// the stream id, and the event's attributes travel as headers:
//
//   ce_specversion     "1.0"
//   ce_id              envelope.event_id (a UUID)
//   ce_source          "/vagt/streams/<stream id>"
//   ce_type            envelope.type, the payload's full protobuf name,
//                      e.g. "vagt.v1.CallReceived"
//   ce_time            envelope.recorded_at, RFC 3339 in UTC
//                      ("2026-09-21T08:00:00Z", fractional seconds when set)
//   content-type       "application/protobuf" (the datacontenttype)
//   ce_streamversion   envelope.stream_version, decimal (extension)
//   ce_globalposition  envelope.global_position, decimal (extension)
//
// Extension attribute names are lower-case alphanumeric (CloudEvents 1.0),
// hence "streamversion" and "globalposition". Every header value is ASCII
// built from ids, positions and times: no payload data is ever in a header.
//
//   ASSIGN_OR_RETURN(std::vector<KafkaHeader> headers,
//                    CloudEventHeaders(envelope));
//   ... produce key = envelope.stream_id(), value = SerializeAsString() ...
//   // A consumer:
//   ASSIGN_OR_RETURN(v1::EventEnvelope event,
//                    DecodeCloudEvent(key, value, headers));
#ifndef VAGT_SERVICES_KAFKA_CLOUD_EVENTS_H_
#define VAGT_SERVICES_KAFKA_CLOUD_EVENTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "vagt/v1/events.pb.h"

namespace vagt::kafka {

inline constexpr char kSpecVersionHeader[] = "ce_specversion";
inline constexpr char kIdHeader[] = "ce_id";
inline constexpr char kSourceHeader[] = "ce_source";
inline constexpr char kTypeHeader[] = "ce_type";
inline constexpr char kTimeHeader[] = "ce_time";
inline constexpr char kContentTypeHeader[] = "content-type";
inline constexpr char kStreamVersionHeader[] = "ce_streamversion";
inline constexpr char kGlobalPositionHeader[] = "ce_globalposition";

inline constexpr char kSpecVersion[] = "1.0";
inline constexpr char kContentType[] = "application/protobuf";
// ce_source is kSourcePrefix followed by the stream id.
inline constexpr char kSourcePrefix[] = "/vagt/streams/";

struct KafkaHeader {
  std::string name;
  std::string value;
  friend bool operator==(const KafkaHeader&, const KafkaHeader&) = default;
};

// The headers above, in that order. INVALID_ARGUMENT when the envelope lacks
// what a stored event always has (event id, stream id, type, a valid
// recorded_at, version and position >= 1), naming the field.
absl::StatusOr<std::vector<KafkaHeader>> CloudEventHeaders(
    const v1::EventEnvelope& event);

// The event of a consumed record: parses `value` as an EventEnvelope and
// checks that `key` is its stream id and that each header above is present
// exactly once and equal to what CloudEventHeaders() gives for it. Other
// headers are ignored. INVALID_ARGUMENT otherwise, naming the header (or
// "key"/"value"); no header value or payload data is quoted.
absl::StatusOr<v1::EventEnvelope> DecodeCloudEvent(
    std::string_view key, std::string_view value,
    const std::vector<KafkaHeader>& headers);

}  // namespace vagt::kafka

#endif  // VAGT_SERVICES_KAFKA_CLOUD_EVENTS_H_
