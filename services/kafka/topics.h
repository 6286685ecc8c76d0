// Which Kafka topic each stream's events go to: the one place that knows.
// Events of one stream always go to one topic and, keyed by the stream id,
// to one partition, so Kafka keeps each stream in order.
#ifndef VAGT_SERVICES_KAFKA_TOPICS_H_
#define VAGT_SERVICES_KAFKA_TOPICS_H_

#include <string>
#include <string_view>
#include <vector>

namespace vagt::kafka {

struct Topics {
  // line-*, roster-* and any stream of another kind.
  std::string lines = "vagt.lines.v1";
  std::string calls = "vagt.calls.v1";              // call-*
  std::string escalations = "vagt.escalations.v1";  // escalation-*
  std::string citizens = "vagt.citizens.v1";        // citizen-*, access-*
  // Not events: the access records a queries-only server sends to the
  // server that owns the store (services/kafka/access_relay.h).
  std::string access_intake = "vagt.access-intake.v1";
  // Partitions per topic when vagt creates them (embedded cluster, tests).
  int partitions = 3;

  // The four event topics, each once, in the order above.
  std::vector<std::string> All() const;
  // The topic of `stream_id` ("<kind>-<id>").
  const std::string& For(std::string_view stream_id) const;
};

}  // namespace vagt::kafka

#endif  // VAGT_SERVICES_KAFKA_TOPICS_H_
