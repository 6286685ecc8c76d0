// OutboxRelay: publishes every event of the store to Kafka, in global
// position order, at least once.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<OutboxRelay> relay,
//                    OutboxRelay::Open(*store, {
//                        .bootstrap_servers = "broker-1:9092",
//                        .checkpoint_path = data_dir + ".relay"}));
//   relay->Start();
//   ...
//   relay->Stop();
//
// Each event becomes one record (cloud_events.h): key = stream id, value =
// the serialized envelope, CloudEvents headers, topic = Topics::For(stream
// id); the record's Kafka timestamp is the time of producing (recorded_at
// is in ce_time: old events republished must not fall to time-based
// retention at once). The producer is idempotent (enable.idempotence=true,
// acks=all, enable.gapless.guarantee=true) and never gives up on a message
// (message.timeout.ms=0): a broker outage only delays publishing. The
// partitioner is murmur2_random, the Java client's default, so a stream's
// records land on the partition any Kafka client would pick for its key, and
// one partition holds each stream in order.
//
// Checkpoint: the last position P such that every position 1..P has been
// acknowledged by Kafka (acks=all). It is kept in a small RocksDB of its own
// (options.checkpoint_path, key "relay/checkpoint", 8 bytes big-endian) and
// advanced only past contiguously delivered positions, written without
// fsync after deliveries: it survives the death of the process, and if a
// machine crash loses it, the relay republishes from an earlier position.
// A restarted relay resumes at checkpoint + 1, so positions after the
// checkpoint may be published twice; consumers de-duplicate by (stream id,
// stream version). Kafka's order within a stream is the store's: records are
// produced in position order and the idempotent producer keeps each
// partition's order across retries.
//
// Faults: transient Kafka errors (brokers down, leaders moving, request
// errors) are retried by librdkafka; the latest one shows in status(). A
// fatal producer error (rd_kafka_fatal_error), or a message Kafka refused
// for good, makes the relay destroy the producer and start a new one after
// the last contiguously delivered position. Memory is bounded: at most
// options.max_in_flight records wait for their delivery report, so an outage
// does not read the store into memory.
//
// Threading: Open, Start and Stop are called by the owner, one at a time;
// status() and WaitForCheckpoint() from any thread. Between Start() and
// Stop() a relay thread reads the store and produces, and one librdkafka
// polling thread serves delivery reports and persists the checkpoint. The
// store must outlive the relay. Nothing sensitive is logged or reported:
// errors name positions and Kafka error texts, never payloads.
#ifndef VAGT_SERVICES_KAFKA_RELAY_H_
#define VAGT_SERVICES_KAFKA_RELAY_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "eventstore/event_store.h"
#include "services/kafka/topics.h"

typedef struct rd_kafka_s rd_kafka_t;
typedef struct rd_kafka_message_s rd_kafka_message_t;

namespace vagt::kafka {

class RelayCheckpoint;
class RelayProducer;

struct RelayOptions {
  // "host:port,..." (bootstrap.servers).
  std::string bootstrap_servers;
  Topics topics;
  // The relay's own RocksDB directory (created if missing), e.g.
  // "<data dir>.relay". One relay at a time may use it.
  std::string checkpoint_path;
  // Events read from the store at a time.
  size_t batch_events = 500;
  // Records produced but not yet acknowledged, at most.
  size_t max_in_flight = 10'000;
  // More librdkafka producer properties, applied last (e.g. shorter backoffs
  // in tests). Overriding the relay's own properties (enable.idempotence,
  // acks, message.timeout.ms, partitioner) voids the promises above.
  std::map<std::string, std::string> producer_config;
  // How long Stop() waits for records in flight to be acknowledged before
  // it abandons them (they are published again by the next relay).
  absl::Duration stop_flush_timeout = absl::Seconds(2);
  // Pause after a failure (a store read, creating the producer, a refused
  // message) before trying again.
  absl::Duration retry_backoff = absl::Milliseconds(500);
};

struct RelayStatus {
  // Every position 1..checkpoint is acknowledged by Kafka and the
  // checkpoint is written to the relay's database.
  uint64_t checkpoint = 0;
  // The store's LastPosition() when the status was taken.
  uint64_t store_position = 0;
  // Records produced and not yet acknowledged.
  uint64_t in_flight = 0;
  // Producers created since Open: one per Start(), one more after each
  // fatal error or refused record.
  uint64_t producers_started = 0;
  bool running = false;
  // The latest Kafka or store error ("" if none yet): error texts and
  // positions only.
  std::string last_error;
};

class OutboxRelay {
 public:
  // Opens (or creates) the checkpoint database. INVALID_ARGUMENT for bad
  // options; FAILED_PRECONDITION when the checkpoint is past the store's
  // last position (the database belongs to another store); DATA_LOSS for
  // a malformed stored checkpoint; INTERNAL (RocksDB's message) when the
  // database cannot be opened or read. Nothing is produced before Start().
  static absl::StatusOr<std::unique_ptr<OutboxRelay>> Open(
      const eventstore::EventStore& store, RelayOptions options);
  // Stops the relay if it runs.
  ~OutboxRelay();
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  // Creates the producer and starts relaying from checkpoint + 1.
  // INVALID_ARGUMENT when librdkafka refuses a property (naming it);
  // FAILED_PRECONDITION if already running.
  absl::Status Start();
  // Waits up to options.stop_flush_timeout for the records in flight, saves
  // the checkpoint and destroys the producer. Returns within about
  // stop_flush_timeout + 300 ms. Start() may be called again afterwards.
  void Stop();

  RelayStatus status() const;
  uint64_t checkpoint() const;
  // Blocks until checkpoint() >= position or `deadline` passes; returns
  // whether checkpoint() >= position.
  bool WaitForCheckpoint(uint64_t position, absl::Time deadline) const;
  // Blocks until `condition` holds for the number of records waiting for
  // their delivery report, or `deadline` passes; returns whether it holds.
  bool WaitForInFlight(const std::function<bool(uint64_t)>& condition,
                       absl::Time deadline) const;

  // Raises a librdkafka fatal error on the running producer (tests only:
  // checks that the relay recovers). FAILED_PRECONDITION when not running.
  absl::Status InjectFatalErrorForTesting();

 private:
  OutboxRelay(const eventstore::EventStore& store, RelayOptions options,
              std::unique_ptr<RelayCheckpoint> checkpoint);

  // The relay thread, starting with `producer`.
  void Run(std::unique_ptr<RelayProducer> producer);
  // Produces store events from next_position_ until the in-flight limit or
  // the end of the store, a failure, or Stop().
  void ProduceAvailable(RelayProducer& producer);
  // Produces `event`, which must be at next_position_. UNAVAILABLE when the
  // producer refuses it (it must be replaced); DATA_LOSS for an event that
  // cannot be published; CANCELLED when, while librdkafka's queue is full,
  // the relay stops or the producer fails.
  absl::Status Produce(RelayProducer& producer, const v1::EventEnvelope& event);
  // Stops polling `producer`, waits for its records in flight (up to
  // options_.stop_flush_timeout, when `flush`), abandons the rest, saves
  // the checkpoint and destroys it. Afterwards nothing is in flight.
  void Retire(std::unique_ptr<RelayProducer> producer, bool flush);
  // Called by librdkafka on the polling thread for each delivery report.
  static void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* message,
                         void* opaque);
  static void OnError(rd_kafka_t* rk, int err, const char* reason,
                      void* opaque);
  // Writes the contiguously delivered position to the database if it moved.
  void PersistCheckpoint() ABSL_LOCKS_EXCLUDED(mu_, persist_mu_);
  void RecordError(std::string error) ABSL_LOCKS_EXCLUDED(mu_);
  // Waits for `duration` or until Stop() is called; returns !stopping_.
  bool Pause(absl::Duration duration) ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::unique_ptr<RelayProducer>> NewProducer();

  const eventstore::EventStore& store_;
  const RelayOptions options_;
  const std::unique_ptr<RelayCheckpoint> checkpoint_db_;

  // Serializes database writes of the checkpoint (the polling thread and,
  // between producers, the relay thread). Taken before mu_.
  absl::Mutex persist_mu_;

  mutable absl::Mutex mu_;
  // Persisted: every position <= checkpoint_ is delivered.
  uint64_t checkpoint_ ABSL_GUARDED_BY(mu_);
  // Every position <= delivered_ is delivered (delivered_ >= checkpoint_).
  uint64_t delivered_ ABSL_GUARDED_BY(mu_);
  // Delivered positions > delivered_ + 1, waiting for an earlier one.
  std::set<uint64_t> delivered_ahead_ ABSL_GUARDED_BY(mu_);
  uint64_t in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  // A fatal error or a refused message: the producer must be replaced.
  bool producer_failed_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool running_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t producers_started_ ABSL_GUARDED_BY(mu_) = 0;
  std::string last_error_ ABSL_GUARDED_BY(mu_);

  // The running producer, for InjectFatalErrorForTesting. Cleared before
  // the producer is destroyed.
  absl::Mutex producer_mu_;
  rd_kafka_t* current_producer_ ABSL_GUARDED_BY(producer_mu_) = nullptr;

  // Owned by the relay thread: the next position to produce.
  uint64_t next_position_ = 0;
  std::thread thread_;
};

}  // namespace vagt::kafka

#endif  // VAGT_SERVICES_KAFKA_RELAY_H_
