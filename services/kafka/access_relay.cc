#include "services/kafka/access_relay.h"

#include <librdkafka/rdkafka.h>

#include <cstdio>
#include <future>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "domain/streams.h"
#include "eventstore/timestamps.h"
#include "services/kafka/client_config.h"
#include "vagt/v1/events.pb.h"

namespace vagt::kafka {
namespace {

using Delivery = std::promise<rd_kafka_resp_err_t>;

// `settings`, then `overrides` (which win).
absl::StatusOr<rd_kafka_conf_t*> Conf(
    KafkaProperties settings,
    const std::map<std::string, std::string>& overrides,
    const std::string& what) {
  settings.insert(settings.end(), overrides.begin(), overrides.end());
  return NewClientConfig(settings, what);
}

// Runs on the poller thread; the Delivery is owned by the message.
void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void*) {
  auto* delivery = static_cast<std::shared_ptr<Delivery>*>(message->_private);
  (*delivery)->set_value(message->err);
  delete delivery;
}

}  // namespace

absl::StatusOr<std::unique_ptr<KafkaAccessSink>> KafkaAccessSink::Start(
    const std::string& bootstraps, const std::string& topic,
    const std::map<std::string, std::string>& overrides) {
  const std::string timeout =
      absl::StrCat(absl::ToInt64Milliseconds(kAccessAckTimeout));
  absl::StatusOr<rd_kafka_conf_t*> conf =
      Conf({{"bootstrap.servers", bootstraps},
            {"enable.idempotence", "true"},
            {"acks", "all"},
            {"linger.ms", "0"},
            {"message.timeout.ms", timeout}},
           overrides, "access records: producer");
  if (!conf.ok()) return conf.status();
  rd_kafka_conf_set_dr_msg_cb(*conf, OnDelivery);
  char error[512];
  rd_kafka_t* producer =
      rd_kafka_new(RD_KAFKA_PRODUCER, *conf, error, sizeof error);
  if (producer == nullptr) {
    rd_kafka_conf_destroy(*conf);
    return absl::UnavailableError(
        absl::StrCat("access records: cannot create the producer: ", error));
  }
  rd_kafka_topic_t* handle =
      rd_kafka_topic_new(producer, topic.c_str(), nullptr);
  if (handle == nullptr) {
    rd_kafka_destroy(producer);
    return absl::UnavailableError(
        absl::StrCat("access records: topic ", topic, ": ",
                     rd_kafka_err2str(rd_kafka_last_error())));
  }
  return std::unique_ptr<KafkaAccessSink>(
      new KafkaAccessSink(producer, handle));
}

KafkaAccessSink::KafkaAccessSink(rd_kafka_t* producer, rd_kafka_topic_t* topic)
    : producer_(producer), topic_(topic) {
  poller_ = std::thread([this] { Poll(); });
}

KafkaAccessSink::~KafkaAccessSink() {
  stopping_ = true;
  poller_.join();
  rd_kafka_flush(producer_, 5000);
  rd_kafka_topic_destroy(topic_);
  rd_kafka_destroy(producer_);
}

void KafkaAccessSink::Poll() {
  while (!stopping_) rd_kafka_poll(producer_, 100);
}

absl::Status KafkaAccessSink::Write(const std::string& stream_id,
                                    eventstore::NewEvent event) {
  v1::EventEnvelope record;
  record.set_stream_id(stream_id);
  record.set_actor(event.actor);
  const absl::Time occurred = event.occurred_at == absl::InfinitePast()
                                  ? absl::Now()
                                  : event.occurred_at;
  *record.mutable_occurred_at() = ToTimestamp(occurred);
  *record.mutable_payload() = std::move(event.payload);
  const std::string value = record.SerializeAsString();

  auto delivery = std::make_shared<Delivery>();
  std::future<rd_kafka_resp_err_t> delivered = delivery->get_future();
  auto* owned = new std::shared_ptr<Delivery>(delivery);
  const int produced =
      rd_kafka_produce(topic_, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY,
                       const_cast<char*>(value.data()), value.size(),
                       stream_id.data(), stream_id.size(), owned);
  if (produced != 0) {
    delete owned;
    return absl::UnavailableError(
        absl::StrCat("access record not sent to Kafka: ",
                     rd_kafka_err2str(rd_kafka_last_error())));
  }
  if (delivered.wait_for(absl::ToChronoMilliseconds(kAccessAckTimeout)) !=
      std::future_status::ready) {
    return absl::UnavailableError(
        "access record not acknowledged by Kafka in time");
  }
  if (const rd_kafka_resp_err_t err = delivered.get(); err) {
    return absl::UnavailableError(absl::StrCat(
        "access record not stored by Kafka: ", rd_kafka_err2str(err)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<AccessIntake>> AccessIntake::Start(
    eventstore::EventStore& store, const std::string& bootstraps,
    const std::string& topic, const std::string& group_id,
    const std::map<std::string, std::string>& overrides) {
  absl::StatusOr<rd_kafka_conf_t*> conf =
      Conf({{"bootstrap.servers", bootstraps},
            {"group.id", group_id},
            {"enable.auto.commit", "false"},
            {"auto.offset.reset", "earliest"}},
           overrides, "access intake: consumer");
  if (!conf.ok()) return conf.status();
  char error[512];
  rd_kafka_t* consumer =
      rd_kafka_new(RD_KAFKA_CONSUMER, *conf, error, sizeof error);
  if (consumer == nullptr) {
    rd_kafka_conf_destroy(*conf);
    return absl::UnavailableError(
        absl::StrCat("access intake: cannot create the consumer: ", error));
  }
  rd_kafka_poll_set_consumer(consumer);
  rd_kafka_topic_partition_list_t* topics =
      rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, topic.c_str(),
                                    RD_KAFKA_PARTITION_UA);
  const rd_kafka_resp_err_t err = rd_kafka_subscribe(consumer, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (err) {
    rd_kafka_destroy(consumer);
    return absl::UnavailableError(absl::StrCat(
        "access intake: cannot subscribe: ", rd_kafka_err2str(err)));
  }
  return std::unique_ptr<AccessIntake>(new AccessIntake(store, consumer));
}

AccessIntake::AccessIntake(eventstore::EventStore& store, rd_kafka_t* consumer)
    : sink_(store), consumer_(consumer) {
  thread_ = std::thread([this] { Loop(); });
}

AccessIntake::~AccessIntake() {
  stopping_ = true;
  thread_.join();
  rd_kafka_consumer_close(consumer_);
  rd_kafka_destroy(consumer_);
}

void AccessIntake::Loop() {
  while (!stopping_) {
    rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer_, 100);
    if (message == nullptr) continue;
    if (message->err) {
      if (message->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        std::fprintf(stderr, "vagtd: access intake: %s\n",
                     rd_kafka_message_errstr(message));
      }
      rd_kafka_message_destroy(message);
      continue;
    }
    const std::string value(static_cast<const char*>(message->payload),
                            message->len);
    // The store refusing (UNAVAILABLE) is tried again until it takes the
    // record or the intake stops; the offset is committed only after.
    absl::Status handled = Handle(value);
    while (!handled.ok() && !stopping_) {
      absl::Notification never;
      never.WaitForNotificationWithTimeout(absl::Seconds(1));
      handled = Handle(value);
    }
    if (handled.ok()) rd_kafka_commit_message(consumer_, message, 0);
    rd_kafka_message_destroy(message);
  }
}

absl::Status AccessIntake::Handle(const std::string& value) {
  v1::EventEnvelope record;
  // A record of a read, or of a refusal by the gate; nothing else.
  const bool parsed = record.ParseFromString(value);
  const v1::EventPayload& p = record.payload();
  const bool valid =
      parsed &&
      ((p.has_sensitive_data_accessed() &&
        record.stream_id() ==
            AccessStreamId(p.sensitive_data_accessed().access_id())) ||
       (p.has_access_refused() &&
        record.stream_id() == AccessStreamId(p.access_refused().refusal_id())));
  if (!valid) {
    ++refused_;
    std::fprintf(stderr,
                 "vagtd: access intake: refused a message that is not an "
                 "access record\n");
    return absl::OkStatus();
  }
  eventstore::NewEvent event;
  event.actor = record.actor();
  event.occurred_at = ToTime(record.occurred_at());
  event.payload = std::move(*record.mutable_payload());
  absl::Status s = sink_.Write(record.stream_id(), std::move(event));
  if (s.ok()) {
    ++appended_;
    return s;
  }
  if (absl::IsUnavailable(s)) return s;
  ++refused_;
  std::fprintf(stderr, "vagtd: access intake: refused %s: %s\n",
               record.stream_id().c_str(), std::string(s.message()).c_str());
  return absl::OkStatus();
}

}  // namespace vagt::kafka
