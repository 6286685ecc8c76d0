#include "services/vagtd/kafka_parts.h"

#include <utility>

#include "eventstore/status_macros.h"
#include "services/kafka/client_config.h"

namespace vagt::vagtd {

// The group of the access intake: one per store.
constexpr char kIntakeGroup[] = "vagt-access-intake";
// Brokers of the embedded cluster.
constexpr int kEmbeddedBrokers = 3;

absl::StatusOr<std::unique_ptr<KafkaParts>> KafkaParts::Connect(
    KafkaSettings settings) {
  if (settings.brokers.empty()) {
    return absl::InvalidArgumentError(
        "--kafka_brokers: give host:port[,host:port...] or embedded");
  }
  // Checked before anything starts, so that a CA file that cannot be read
  // stops vagtd here and changes nothing.
  RETURN_IF_ERROR(kafka::CheckClientProperties(
      kafka::KafkaProperties(settings.connection.begin(),
                             settings.connection.end()),
      "--kafka_properties"));
  std::unique_ptr<kafka::MockCluster> mock;
  if (settings.brokers == "embedded") {
    ASSIGN_OR_RETURN(mock, kafka::MockCluster::Start(kEmbeddedBrokers));
    RETURN_IF_ERROR(mock->CreateTopics(settings.topics));
  }
  return std::unique_ptr<KafkaParts>(
      new KafkaParts(std::move(settings), std::move(mock)));
}

KafkaParts::KafkaParts(KafkaSettings settings,
                       std::unique_ptr<kafka::MockCluster> mock)
    : settings_(std::move(settings)),
      embedded_(std::move(mock)),
      bootstraps_(embedded_ != nullptr ? embedded_->bootstraps()
                                       : settings_.brokers) {}

KafkaParts::~KafkaParts() {
  intake_.reset();
  relay_.reset();
}

absl::Status KafkaParts::Serve(eventstore::EventStore& store,
                               const std::string& relay_dir) {
  ASSIGN_OR_RETURN(relay_,
                   kafka::OutboxRelay::Open(
                       store, {.bootstrap_servers = bootstraps_,
                               .topics = settings_.topics,
                               .checkpoint_path = relay_dir,
                               .producer_config = settings_.connection}));
  RETURN_IF_ERROR(relay_->Start());
  ASSIGN_OR_RETURN(
      intake_, kafka::AccessIntake::Start(store, bootstraps_,
                                          settings_.topics.access_intake,
                                          kIntakeGroup, settings_.connection));
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<projections::KafkaFeed>> KafkaParts::NewFeed()
    const {
  return projections::KafkaFeed::Create(
      {.bootstrap_servers = bootstraps_,
       .group_id = settings_.projections_group,
       .topics = settings_.topics.All(),
       .consumer_config = settings_.connection});
}

absl::StatusOr<std::unique_ptr<services::AccessSink>>
KafkaParts::NewAccessSink() const {
  ASSIGN_OR_RETURN(
      std::unique_ptr<kafka::KafkaAccessSink> sink,
      kafka::KafkaAccessSink::Start(bootstraps_, settings_.topics.access_intake,
                                    settings_.connection));
  return std::unique_ptr<services::AccessSink>(std::move(sink));
}

}  // namespace vagt::vagtd
