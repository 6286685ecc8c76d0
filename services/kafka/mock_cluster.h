// MockCluster: librdkafka's in-process mock Kafka cluster, on loopback. Any
// Kafka client (kcat included) can use its bootstrap address. vagtd's
// `--kafka-brokers=embedded` and the Kafka tests run on it.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<MockCluster> cluster,
//                    MockCluster::Start(3));
//   cluster->CreateTopics(Topics());
//   producer config: bootstrap.servers = cluster->bootstraps()
//
// Brokers are numbered 1..n. Not thread-safe for concurrent fault calls, but
// the cluster itself serves any number of clients.
#ifndef VAGT_SERVICES_KAFKA_MOCK_CLUSTER_H_
#define VAGT_SERVICES_KAFKA_MOCK_CLUSTER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/kafka/topics.h"

typedef struct rd_kafka_s rd_kafka_t;
typedef struct rd_kafka_mock_cluster_s rd_kafka_mock_cluster_t;

namespace vagt::kafka {

class MockCluster {
 public:
  static absl::StatusOr<std::unique_ptr<MockCluster>> Start(int brokers);
  ~MockCluster();
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  // "127.0.0.1:port,..." for bootstrap.servers.
  const std::string& bootstraps() const { return bootstraps_; }
  int brokers() const { return brokers_; }

  // Creates the event topics and the access intake, each with
  // topics.partitions partitions, replicated on min(3, brokers) brokers.
  absl::Status CreateTopics(const Topics& topics);
  absl::Status CreateTopic(const std::string& topic, int partitions);

  // A broker down refuses connections; it does not move partition leaders
  // by itself (see SetLeader).
  absl::Status BrokerDown(int32_t broker);
  absl::Status BrokerUp(int32_t broker);
  absl::Status SetLeader(const std::string& topic, int32_t partition,
                         int32_t broker);
  // The next `errors.size()` requests of `api_key` (e.g. 0 = Produce,
  // 1 = Fetch) fail with these Kafka error codes, in order.
  void PushRequestErrors(int16_t api_key, const std::vector<int>& errors);

 private:
  MockCluster(rd_kafka_t* handle, rd_kafka_mock_cluster_t* cluster,
              int brokers);

  rd_kafka_t* const handle_;
  rd_kafka_mock_cluster_t* const cluster_;
  const int brokers_;
  std::string bootstraps_;
};

}  // namespace vagt::kafka

#endif  // VAGT_SERVICES_KAFKA_MOCK_CLUSTER_H_
