#include "services/kafka/relay_producer.h"

#include <librdkafka/rdkafka.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "eventstore/status_macros.h"

namespace vagt::kafka {

absl::StatusOr<std::unique_ptr<RelayProducer>> RelayProducer::Create(
    const KafkaProperties& properties, const Topics& topics,
    Callbacks callbacks) {
  ASSIGN_OR_RETURN(rd_kafka_conf_t * conf,
                   NewClientConfig(properties, "relay: producer"));
  rd_kafka_conf_set_opaque(conf, callbacks.opaque);
  rd_kafka_conf_set_dr_msg_cb(conf, callbacks.on_delivery);
  rd_kafka_conf_set_error_cb(conf, callbacks.on_error);
  char error[512];
  rd_kafka_t* handle =
      rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (handle == nullptr) {
    rd_kafka_conf_destroy(conf);
    return absl::InvalidArgumentError(
        absl::StrCat("relay: cannot create the producer: ", error));
  }
  return std::unique_ptr<RelayProducer>(
      new RelayProducer(handle, topics, std::move(callbacks.after_poll)));
}

RelayProducer::RelayProducer(rd_kafka_t* handle, const Topics& topics,
                             std::function<void()> after_poll)
    : handle_(handle) {
  // Topic handles made up front: librdkafka fetches their metadata now,
  // rather than holding the first record of each topic until its next topic
  // scan (up to a second later).
  for (const std::string& topic : topics.All()) {
    topics_.emplace(topic, rd_kafka_topic_new(handle_, topic.c_str(),
                                              /*conf=*/nullptr));
  }
  poller_ = std::thread([this, after_poll = std::move(after_poll)] {
    while (!stop_polling_.load(std::memory_order_acquire)) {
      rd_kafka_poll(handle_, kRelayWaitMillis);
      after_poll();
    }
  });
}

RelayProducer::~RelayProducer() {
  StopPolling();
  for (const auto& [name, topic] : topics_) {
    if (topic != nullptr) rd_kafka_topic_destroy(topic);
  }
  rd_kafka_destroy(handle_);
}

rd_kafka_topic_t* RelayProducer::topic(const std::string& name) const {
  auto it = topics_.find(name);
  return it == topics_.end() ? nullptr : it->second;
}

void RelayProducer::StopPolling() {
  stop_polling_.store(true, std::memory_order_release);
  if (poller_.joinable()) poller_.join();
}

}  // namespace vagt::kafka
