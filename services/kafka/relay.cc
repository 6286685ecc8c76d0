#include "services/kafka/relay.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "eventstore/status_macros.h"
#include "services/kafka/client_config.h"
#include "services/kafka/cloud_events.h"
#include "services/kafka/relay_checkpoint.h"
#include "services/kafka/relay_producer.h"

namespace vagt::kafka {
namespace {

int Millis(absl::Duration d) {
  return static_cast<int>(
      std::clamp<int64_t>(absl::ToInt64Milliseconds(d), 0, INT32_MAX));
}

// The properties that make the relay's promises (see relay.h), applied
// before options.producer_config.
KafkaProperties ProducerProperties(const RelayOptions& options) {
  KafkaProperties properties = {
      {"bootstrap.servers", options.bootstrap_servers},
      {"client.id", "vagt-relay"},
      {"enable.idempotence", "true"},
      // A failed record never leaves a gap behind later ones of its
      // partition: the producer fails fatally instead, and the relay
      // republishes from the checkpoint, so a stream's order holds.
      {"enable.gapless.guarantee", "true"},
      {"acks", "all"},
      {"message.timeout.ms", "0"},  // never give up on a message
      {"linger.ms", "5"},
      {"partitioner", "murmur2_random"},  // the Java client's default
      {"log.connection.close", "false"},
  };
  for (const auto& [name, value] : options.producer_config) {
    properties.emplace_back(name, value);
  }
  return properties;
}

void* PositionOpaque(uint64_t position) {
  return reinterpret_cast<void*>(static_cast<uintptr_t>(position));
}

uint64_t PositionOf(const rd_kafka_message_t& message) {
  return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(message._private));
}

}  // namespace

absl::StatusOr<std::unique_ptr<OutboxRelay>> OutboxRelay::Open(
    const eventstore::EventStore& store, RelayOptions options) {
  if (options.bootstrap_servers.empty()) {
    return absl::InvalidArgumentError("relay: bootstrap_servers is empty");
  }
  if (options.checkpoint_path.empty()) {
    return absl::InvalidArgumentError("relay: checkpoint_path is empty");
  }
  if (options.batch_events == 0 || options.max_in_flight == 0) {
    return absl::InvalidArgumentError(
        "relay: batch_events and max_in_flight must be >= 1");
  }
  ASSIGN_OR_RETURN(
      std::unique_ptr<RelayCheckpoint> checkpoint,
      RelayCheckpoint::Open(options.checkpoint_path, store.LastPosition()));
  return std::unique_ptr<OutboxRelay>(
      new OutboxRelay(store, std::move(options), std::move(checkpoint)));
}

OutboxRelay::OutboxRelay(const eventstore::EventStore& store,
                         RelayOptions options,
                         std::unique_ptr<RelayCheckpoint> checkpoint)
    : store_(store),
      options_(std::move(options)),
      checkpoint_db_(std::move(checkpoint)),
      checkpoint_(checkpoint_db_->loaded()),
      delivered_(checkpoint_) {}

OutboxRelay::~OutboxRelay() { Stop(); }

absl::StatusOr<std::unique_ptr<RelayProducer>> OutboxRelay::NewProducer() {
  ASSIGN_OR_RETURN(
      std::unique_ptr<RelayProducer> producer,
      RelayProducer::Create(ProducerProperties(options_), options_.topics,
                            {.opaque = this,
                             .on_delivery = &OutboxRelay::OnDelivery,
                             .on_error = &OutboxRelay::OnError,
                             .after_poll = [this] { PersistCheckpoint(); }}));
  {
    absl::MutexLock lock(&producer_mu_);
    current_producer_ = producer->handle();
  }
  absl::MutexLock lock(&mu_);
  ++producers_started_;
  return producer;
}

absl::Status OutboxRelay::Start() {
  {
    absl::MutexLock lock(&mu_);
    if (running_) return absl::FailedPreconditionError("relay: running");
  }
  absl::StatusOr<std::unique_ptr<RelayProducer>> producer = NewProducer();
  if (!producer.ok()) return producer.status();
  absl::MutexLock lock(&mu_);
  running_ = true;
  stopping_ = false;
  next_position_ = delivered_ + 1;
  thread_ = std::thread([this, first = std::move(*producer)]() mutable {
    Run(std::move(first));
  });
  return absl::OkStatus();
}

void OutboxRelay::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (!running_) return;
    stopping_ = true;
  }
  thread_.join();
  absl::MutexLock lock(&mu_);
  running_ = false;
}

void OutboxRelay::Run(std::unique_ptr<RelayProducer> producer) {
  while (true) {
    bool failed;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) break;
      failed = producer_failed_;
    }
    if (producer == nullptr) {
      absl::StatusOr<std::unique_ptr<RelayProducer>> fresh = NewProducer();
      if (!fresh.ok()) {
        RecordError(std::string(fresh.status().message()));
        if (!Pause(options_.retry_backoff)) break;
        continue;
      }
      producer = std::move(*fresh);
      absl::MutexLock lock(&mu_);
      next_position_ = delivered_ + 1;
      continue;
    }
    if (failed) {
      Retire(std::move(producer), /*flush=*/false);
      if (!Pause(options_.retry_backoff)) break;
      continue;
    }
    ProduceAvailable(*producer);

    bool at_capacity;
    {
      absl::MutexLock lock(&mu_);
      at_capacity = in_flight_ >= options_.max_in_flight;
    }
    if (at_capacity) {
      auto room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return in_flight_ < options_.max_in_flight || stopping_ ||
               producer_failed_;
      };
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&room),
                           absl::Milliseconds(kRelayWaitMillis));
    } else if (next_position_ > store_.LastPosition()) {
      store_.WaitForAppend(next_position_ - 1,
                           absl::Now() + absl::Milliseconds(kRelayWaitMillis));
    }
  }
  if (producer != nullptr) Retire(std::move(producer), /*flush=*/true);
}

void OutboxRelay::ProduceAvailable(RelayProducer& producer) {
  while (true) {
    size_t room;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_ || producer_failed_) return;
      room = options_.max_in_flight -
             std::min<size_t>(options_.max_in_flight, in_flight_);
    }
    const uint64_t last = store_.LastPosition();
    if (room == 0 || next_position_ > last) return;
    const size_t count = static_cast<size_t>(std::min<uint64_t>(
        {options_.batch_events, room, last - next_position_ + 1}));
    absl::StatusOr<std::vector<v1::EventEnvelope>> events =
        store_.ReadAll(next_position_, count);
    if (!events.ok()) {
      RecordError(absl::StrCat("reading the store at position ", next_position_,
                               ": ", std::string(events.status().message())));
      Pause(options_.retry_backoff);
      return;
    }
    for (const v1::EventEnvelope& event : *events) {
      if (absl::Status s = Produce(producer, event); !s.ok()) {
        if (absl::IsCancelled(s)) return;  // stopping, or the producer failed
        RecordError(std::string(s.message()));
        if (absl::IsUnavailable(s)) {
          absl::MutexLock lock(&mu_);
          producer_failed_ = true;
        } else {
          Pause(options_.retry_backoff);
        }
        return;
      }
      ++next_position_;
    }
  }
}

absl::Status OutboxRelay::Produce(RelayProducer& producer,
                                  const v1::EventEnvelope& event) {
  if (event.global_position() != next_position_) {
    return absl::DataLossError(
        absl::StrCat("relay: the store returned position ",
                     event.global_position(), " for ", next_position_));
  }
  absl::StatusOr<std::vector<KafkaHeader>> headers = CloudEventHeaders(event);
  if (!headers.ok()) {
    return absl::DataLossError(absl::StrCat("relay: position ", next_position_,
                                            ": ", headers.status().message()));
  }
  const std::string value = event.SerializeAsString();
  const std::string& topic = options_.topics.For(event.stream_id());
  while (true) {
    rd_kafka_headers_t* kafka_headers = rd_kafka_headers_new(headers->size());
    for (const KafkaHeader& h : *headers) {
      rd_kafka_header_add(kafka_headers, h.name.data(),
                          static_cast<ssize_t>(h.name.size()), h.value.data(),
                          static_cast<ssize_t>(h.value.size()));
    }
    rd_kafka_vu_t vus[6];
    if (rd_kafka_topic_t* handle = producer.topic(topic); handle != nullptr) {
      vus[0].vtype = RD_KAFKA_VTYPE_RKT;
      vus[0].u.rkt = handle;
    } else {
      vus[0].vtype = RD_KAFKA_VTYPE_TOPIC;
      vus[0].u.cstr = topic.c_str();
    }
    vus[1].vtype = RD_KAFKA_VTYPE_KEY;
    vus[1].u.mem.ptr = const_cast<char*>(event.stream_id().data());
    vus[1].u.mem.size = event.stream_id().size();
    vus[2].vtype = RD_KAFKA_VTYPE_VALUE;
    vus[2].u.mem.ptr = const_cast<char*>(value.data());
    vus[2].u.mem.size = value.size();
    vus[3].vtype = RD_KAFKA_VTYPE_HEADERS;
    vus[3].u.headers = kafka_headers;
    vus[4].vtype = RD_KAFKA_VTYPE_OPAQUE;
    vus[4].u.ptr = PositionOpaque(next_position_);
    vus[5].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    vus[5].u.i = RD_KAFKA_MSG_F_COPY;
    {
      // Counted before the delivery report can arrive.
      absl::MutexLock lock(&mu_);
      ++in_flight_;
    }
    rd_kafka_error_t* error = rd_kafka_produceva(producer.handle(), vus, 6);
    if (error == nullptr) return absl::OkStatus();

    const rd_kafka_resp_err_t code = rd_kafka_error_code(error);
    std::string text =
        absl::StrCat("relay: producing position ", next_position_, ": ",
                     rd_kafka_error_string(error));
    rd_kafka_error_destroy(error);
    rd_kafka_headers_destroy(kafka_headers);  // not taken on failure
    absl::MutexLock lock(&mu_);
    --in_flight_;
    if (code != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      return absl::UnavailableError(text);
    }
    // librdkafka's own queue is full (its limits are set below ours):
    // wait for deliveries and try the same record again.
    const uint64_t before = in_flight_;
    auto drained = [this, before]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return in_flight_ < before || stopping_ || producer_failed_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&drained),
                         absl::Milliseconds(kRelayWaitMillis));
    if (stopping_ || producer_failed_) {
      return absl::CancelledError("relay: stopping");
    }
  }
}

void OutboxRelay::Retire(std::unique_ptr<RelayProducer> producer, bool flush) {
  producer->StopPolling();
  rd_kafka_t* handle = producer->handle();
  {
    absl::MutexLock lock(&producer_mu_);
    current_producer_ = nullptr;
  }
  if (flush) rd_kafka_flush(handle, Millis(options_.stop_flush_timeout));
  // What is still queued or in flight is abandoned: the next producer
  // publishes it again from the checkpoint. Its delivery reports (purged)
  // are served here, so none arrive after the state is reset below.
  rd_kafka_purge(handle, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  const absl::Time deadline = absl::Now() + absl::Milliseconds(200);
  while (rd_kafka_outq_len(handle) > 0 && absl::Now() < deadline) {
    rd_kafka_poll(handle, kRelayWaitMillis);
  }
  rd_kafka_poll(handle, 0);
  PersistCheckpoint();
  producer.reset();
  absl::MutexLock lock(&mu_);
  in_flight_ = 0;
  delivered_ahead_.clear();
  producer_failed_ = false;
}

void OutboxRelay::OnDelivery(rd_kafka_t* /*rk*/,
                             const rd_kafka_message_t* message, void* opaque) {
  OutboxRelay& relay = *static_cast<OutboxRelay*>(opaque);
  const uint64_t position = PositionOf(*message);
  absl::MutexLock lock(&relay.mu_);
  if (relay.in_flight_ > 0) --relay.in_flight_;
  if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (message->err == RD_KAFKA_RESP_ERR__PURGE_QUEUE ||
        message->err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT) {
      return;  // abandoned on purpose (Retire)
    }
    relay.last_error_ =
        absl::StrCat("relay: position ", position,
                     " refused: ", rd_kafka_err2str(message->err));
    relay.producer_failed_ = true;
    return;
  }
  if (position == relay.delivered_ + 1) {
    ++relay.delivered_;
    auto& ahead = relay.delivered_ahead_;
    while (!ahead.empty() && *ahead.begin() == relay.delivered_ + 1) {
      ahead.erase(ahead.begin());
      ++relay.delivered_;
    }
  } else if (position > relay.delivered_) {
    relay.delivered_ahead_.insert(position);
  }
}

void OutboxRelay::OnError(rd_kafka_t* rk, int err, const char* reason,
                          void* opaque) {
  OutboxRelay& relay = *static_cast<OutboxRelay*>(opaque);
  const auto code = static_cast<rd_kafka_resp_err_t>(err);
  if (code == RD_KAFKA_RESP_ERR__FATAL) {
    char error[512];
    rd_kafka_resp_err_t cause = rd_kafka_fatal_error(rk, error, sizeof error);
    relay.RecordError(absl::StrCat("relay: fatal producer error ",
                                   rd_kafka_err2name(cause), ": ", error));
    absl::MutexLock lock(&relay.mu_);
    relay.producer_failed_ = true;
    return;
  }
  relay.RecordError(
      absl::StrCat("relay: ", rd_kafka_err2name(code), ": ", reason));
}

void OutboxRelay::PersistCheckpoint() {
  absl::MutexLock persist(&persist_mu_);
  uint64_t target;
  {
    absl::MutexLock lock(&mu_);
    if (delivered_ <= checkpoint_) return;
    target = delivered_;
  }
  if (absl::Status s = checkpoint_db_->Save(target); !s.ok()) {
    RecordError(std::string(s.message()));
    return;
  }
  absl::MutexLock lock(&mu_);
  checkpoint_ = target;
}

void OutboxRelay::RecordError(std::string error) {
  absl::MutexLock lock(&mu_);
  last_error_ = std::move(error);
}

bool OutboxRelay::Pause(absl::Duration duration) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&stopping_), duration);
  return !stopping_;
}

RelayStatus OutboxRelay::status() const {
  const uint64_t store_position = store_.LastPosition();
  absl::MutexLock lock(&mu_);
  return {.checkpoint = checkpoint_,
          .store_position = store_position,
          .in_flight = in_flight_,
          .producers_started = producers_started_,
          .running = running_,
          .last_error = last_error_};
}

uint64_t OutboxRelay::checkpoint() const {
  absl::MutexLock lock(&mu_);
  return checkpoint_;
}

bool OutboxRelay::WaitForCheckpoint(uint64_t position,
                                    absl::Time deadline) const {
  auto reached = [this, position]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return checkpoint_ >= position;
  };
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithDeadline(absl::Condition(&reached), deadline);
}

bool OutboxRelay::WaitForInFlight(
    const std::function<bool(uint64_t)>& condition, absl::Time deadline) const {
  auto holds = [this, &condition]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return condition(in_flight_);
  };
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithDeadline(absl::Condition(&holds), deadline);
}

absl::Status OutboxRelay::InjectFatalErrorForTesting() {
  absl::MutexLock lock(&producer_mu_);
  if (current_producer_ == nullptr) {
    return absl::FailedPreconditionError("relay: no producer running");
  }
  rd_kafka_resp_err_t err = rd_kafka_test_fatal_error(
      current_producer_, RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
      "injected by a test");
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::InternalError(absl::StrCat("relay: ", rd_kafka_err2str(err)));
  }
  return absl::OkStatus();
}

}  // namespace vagt::kafka
