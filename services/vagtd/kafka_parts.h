// KafkaParts: what vagtd runs when given --kafka_brokers. With the event
// store (roles all and commands) it publishes every event (the outbox relay)
// and takes in the access records of queries-only servers. Without it (role
// queries) it feeds the projections from the topics and sends access records
// to the server that owns the store. "embedded" starts librdkafka's mock
// cluster in this process.
#ifndef VAGT_SERVICES_VAGTD_KAFKA_PARTS_H_
#define VAGT_SERVICES_VAGTD_KAFKA_PARTS_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "eventstore/event_store.h"
#include "projections/kafka_feed.h"
#include "services/common/access_log.h"
#include "services/kafka/access_relay.h"
#include "services/kafka/connection_properties.h"
#include "services/kafka/mock_cluster.h"
#include "services/kafka/relay.h"
#include "services/kafka/topics.h"

namespace vagt::vagtd {

struct KafkaSettings {
  // "embedded" or "host:port,...".
  std::string brokers;
  kafka::Topics topics;
  // The consumer group of this server's Kafka-fed projections.
  std::string projections_group = "vagt-projections";
  // TLS and SASL settings (--kafka_properties), for every client.
  kafka::ConnectionProperties connection;
};

class KafkaParts {
 public:
  static absl::StatusOr<std::unique_ptr<KafkaParts>> Connect(
      KafkaSettings settings);
  // Stops the relay and the intake; call before the store closes.
  ~KafkaParts();

  const std::string& bootstraps() const { return bootstraps_; }
  bool embedded() const { return embedded_ != nullptr; }

  // Publishes `store` (checkpoint in `relay_dir`) and appends the access
  // records queries-only servers send. `store` must outlive this.
  absl::Status Serve(eventstore::EventStore& store,
                     const std::string& relay_dir);
  const kafka::OutboxRelay* relay() const { return relay_.get(); }

  // For a server without the store: the projections' feed, and where its
  // reads are recorded.
  absl::StatusOr<std::unique_ptr<projections::KafkaFeed>> NewFeed() const;
  absl::StatusOr<std::unique_ptr<services::AccessSink>> NewAccessSink() const;

 private:
  KafkaParts(KafkaSettings settings, std::unique_ptr<kafka::MockCluster> mock);

  const KafkaSettings settings_;
  const std::unique_ptr<kafka::MockCluster> embedded_;
  const std::string bootstraps_;
  std::unique_ptr<kafka::OutboxRelay> relay_;
  std::unique_ptr<kafka::AccessIntake> intake_;
};

}  // namespace vagt::vagtd

#endif  // VAGT_SERVICES_VAGTD_KAFKA_PARTS_H_
