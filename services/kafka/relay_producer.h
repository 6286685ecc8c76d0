// RelayProducer: one librdkafka producer with a handle for each of vagt's
// topics, and the thread that polls it for delivery reports and errors. The
// relay creates one per start and one more after each fatal error, and
// destroys it after StopPolling() and a purge (relay.cc).
//
//   RelayProducer::Callbacks callbacks = {.opaque = relay,
//       .on_delivery = &OnDelivery, .on_error = &OnError,
//       .after_poll = [relay] { relay->PersistCheckpoint(); }};
//   ASSIGN_OR_RETURN(std::unique_ptr<RelayProducer> producer,
//                    RelayProducer::Create(properties, topics, callbacks));
//
// The callbacks run on the polling thread, one at a time.
#ifndef VAGT_SERVICES_KAFKA_RELAY_PRODUCER_H_
#define VAGT_SERVICES_KAFKA_RELAY_PRODUCER_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "services/kafka/client_config.h"
#include "services/kafka/topics.h"

typedef struct rd_kafka_s rd_kafka_t;
typedef struct rd_kafka_topic_s rd_kafka_topic_t;
typedef struct rd_kafka_message_s rd_kafka_message_t;

namespace vagt::kafka {

// How long the polling thread waits for a delivery report, and the relay
// thread for an append, before looking at its flags again: bounds how late a
// stop and a fatal error are noticed.
inline constexpr int kRelayWaitMillis = 50;

class RelayProducer {
 public:
  struct Callbacks {
    // Passed to on_delivery and on_error.
    void* opaque = nullptr;
    void (*on_delivery)(rd_kafka_t*, const rd_kafka_message_t*,
                        void* opaque) = nullptr;
    void (*on_error)(rd_kafka_t*, int err, const char* reason,
                     void* opaque) = nullptr;
    // After each poll.
    std::function<void()> after_poll;
  };

  // A producer with `properties`, polled from now on. INVALID_ARGUMENT
  // naming the property or librdkafka's reason when it cannot be made.
  static absl::StatusOr<std::unique_ptr<RelayProducer>> Create(
      const KafkaProperties& properties, const Topics& topics,
      Callbacks callbacks);
  ~RelayProducer();
  RelayProducer(const RelayProducer&) = delete;
  RelayProducer& operator=(const RelayProducer&) = delete;

  rd_kafka_t* handle() const { return handle_; }
  // Null for a topic that is not one of `topics` (never asked for).
  rd_kafka_topic_t* topic(const std::string& name) const;
  // After this, delivery reports are served only by explicit polls.
  void StopPolling();

 private:
  RelayProducer(rd_kafka_t* handle, const Topics& topics,
                std::function<void()> after_poll);

  rd_kafka_t* const handle_;
  std::map<std::string, rd_kafka_topic_t*> topics_;
  std::atomic<bool> stop_polling_{false};
  std::thread poller_;
};

}  // namespace vagt::kafka

#endif  // VAGT_SERVICES_KAFKA_RELAY_PRODUCER_H_
