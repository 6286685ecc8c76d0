// vagt-mock-kafka: hosts librdkafka's mock cluster (3 brokers by default) with
// vagt's topics, for tests that run vagtd as separate processes meeting only
// through Kafka. Prints "mock kafka at <bootstraps>" and serves until SIGTERM
// or SIGINT.
//
//   vagt-mock-kafka [--brokers=3] [--partitions=3]
#include <signal.h>

#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "services/kafka/mock_cluster.h"
#include "services/kafka/topics.h"

ABSL_FLAG(int, brokers, 3, "Brokers in the mock cluster.");
ABSL_FLAG(int, partitions, 3, "Partitions per topic.");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  auto cluster = vagt::kafka::MockCluster::Start(absl::GetFlag(FLAGS_brokers));
  if (!cluster.ok()) {
    std::fprintf(stderr, "vagt-mock-kafka: %s\n",
                 std::string(cluster.status().message()).c_str());
    return 1;
  }
  vagt::kafka::Topics topics;
  topics.partitions = absl::GetFlag(FLAGS_partitions);
  if (absl::Status s = (*cluster)->CreateTopics(topics); !s.ok()) {
    std::fprintf(stderr, "vagt-mock-kafka: %s\n",
                 std::string(s.message()).c_str());
    return 1;
  }
  std::printf("mock kafka at %s\n", (*cluster)->bootstraps().c_str());
  std::fflush(stdout);
  int signal = 0;
  sigwait(&set, &signal);
  return 0;
}
