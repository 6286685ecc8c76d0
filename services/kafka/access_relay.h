// Access records across processes. A server in the queries role has no
// store, yet every read of citizens' data must be recorded durably before it
// returns (services/common/access_log.h). So:
//
// - KafkaAccessSink (queries role) produces each record to the access intake
//   topic with an idempotent producer (acks=all) and returns only once Kafka
//   has acknowledged it;
// - AccessIntake (in the server that owns the store) consumes that topic and
//   appends each record to the store, idempotently (the record's stream id is
//   the request id), committing the consumer offset only after the append.
//   From the store the record reaches every projection like any event.
//
// The intake accepts SensitiveDataAccessed and AccessRefused records into
// their own "access-" streams and nothing else: it must not become a way to
// write other events.
#ifndef VAGT_SERVICES_KAFKA_ACCESS_RELAY_H_
#define VAGT_SERVICES_KAFKA_ACCESS_RELAY_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "eventstore/event_store.h"
#include "services/common/access_log.h"

typedef struct rd_kafka_s rd_kafka_t;
typedef struct rd_kafka_topic_s rd_kafka_topic_t;

namespace vagt::kafka {

// How long a read waits for Kafka to acknowledge its access record before
// it fails with UNAVAILABLE (and returns nothing).
inline constexpr absl::Duration kAccessAckTimeout = absl::Seconds(10);

class KafkaAccessSink final : public services::AccessSink {
 public:
  static absl::StatusOr<std::unique_ptr<KafkaAccessSink>> Start(
      const std::string& bootstraps, const std::string& topic,
      const std::map<std::string, std::string>& overrides = {});
  ~KafkaAccessSink() override;

  absl::Status Write(const std::string& stream_id,
                     eventstore::NewEvent event) override;

 private:
  KafkaAccessSink(rd_kafka_t* producer, rd_kafka_topic_t* topic);
  void Poll();

  rd_kafka_t* const producer_;
  rd_kafka_topic_t* const topic_;
  std::atomic<bool> stopping_{false};
  std::thread poller_;
};

class AccessIntake {
 public:
  // `store` must outlive the intake. Consumes as group `group_id`.
  static absl::StatusOr<std::unique_ptr<AccessIntake>> Start(
      eventstore::EventStore& store, const std::string& bootstraps,
      const std::string& topic, const std::string& group_id,
      const std::map<std::string, std::string>& overrides = {});
  ~AccessIntake();

  // Records appended (or found already appended) so far; records refused.
  uint64_t appended() const { return appended_.load(); }
  uint64_t refused() const { return refused_.load(); }

 private:
  AccessIntake(eventstore::EventStore& store, rd_kafka_t* consumer);
  void Loop();
  // OK when the message was handled (appended, found, or refused as
  // invalid); an error when the store refused and it must be tried again.
  absl::Status Handle(const std::string& value);

  services::StoreAccessSink sink_;
  rd_kafka_t* const consumer_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> appended_{0};
  std::atomic<uint64_t> refused_{0};
  std::thread thread_;
};

}  // namespace vagt::kafka

#endif  // VAGT_SERVICES_KAFKA_ACCESS_RELAY_H_
