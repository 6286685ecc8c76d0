#include "services/kafka/mock_cluster.h"

// rdkafka.h must come before rdkafka_mock.h.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace vagt::kafka {
namespace {

absl::Status FromKafka(rd_kafka_resp_err_t err, const std::string& what) {
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return absl::OkStatus();
  return absl::InternalError(
      absl::StrCat("mock kafka: ", what, ": ", rd_kafka_err2str(err)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<MockCluster>> MockCluster::Start(int brokers) {
  if (brokers < 1) {
    return absl::InvalidArgumentError("mock kafka: brokers must be >= 1");
  }
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // The handle only hosts the cluster; it never produces.
  if (rd_kafka_conf_set(conf, "log_level", "3", error, sizeof error) !=
      RD_KAFKA_CONF_OK) {
    rd_kafka_conf_destroy(conf);
    return absl::InternalError(absl::StrCat("mock kafka: ", error));
  }
  rd_kafka_t* handle =
      rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (handle == nullptr) {
    return absl::InternalError(absl::StrCat("mock kafka: ", error));
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(handle, brokers);
  if (cluster == nullptr) {
    rd_kafka_destroy(handle);
    return absl::InternalError("mock kafka: cannot start the mock cluster");
  }
  return std::unique_ptr<MockCluster>(
      new MockCluster(handle, cluster, brokers));
}

MockCluster::MockCluster(rd_kafka_t* handle, rd_kafka_mock_cluster_t* cluster,
                         int brokers)
    : handle_(handle),
      cluster_(cluster),
      brokers_(brokers),
      bootstraps_(rd_kafka_mock_cluster_bootstraps(cluster)) {}

MockCluster::~MockCluster() {
  rd_kafka_mock_cluster_destroy(cluster_);
  rd_kafka_destroy(handle_);
}

absl::Status MockCluster::CreateTopics(const Topics& topics) {
  std::vector<std::string> all = topics.All();
  all.push_back(topics.access_intake);
  for (const std::string& topic : all) {
    if (absl::Status s = CreateTopic(topic, topics.partitions); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status MockCluster::CreateTopic(const std::string& topic,
                                      int partitions) {
  return FromKafka(
      rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions,
                                 std::min(3, brokers_)),
      absl::StrCat("creating topic ", topic));
}

absl::Status MockCluster::BrokerDown(int32_t broker) {
  return FromKafka(rd_kafka_mock_broker_set_down(cluster_, broker),
                   absl::StrCat("taking broker ", broker, " down"));
}

absl::Status MockCluster::BrokerUp(int32_t broker) {
  return FromKafka(rd_kafka_mock_broker_set_up(cluster_, broker),
                   absl::StrCat("bringing broker ", broker, " up"));
}

absl::Status MockCluster::SetLeader(const std::string& topic, int32_t partition,
                                    int32_t broker) {
  return FromKafka(rd_kafka_mock_partition_set_leader(cluster_, topic.c_str(),
                                                      partition, broker),
                   absl::StrCat("moving the leader of ", topic, "/", partition,
                                " to ", broker));
}

void MockCluster::PushRequestErrors(int16_t api_key,
                                    const std::vector<int>& errors) {
  std::vector<rd_kafka_resp_err_t> codes;
  for (int e : errors) codes.push_back(static_cast<rd_kafka_resp_err_t>(e));
  rd_kafka_mock_push_request_errors_array(cluster_, api_key, codes.size(),
                                          codes.data());
}

}  // namespace vagt::kafka
