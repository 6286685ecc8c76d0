#include "services/kafka/client_config.h"

#include <librdkafka/rdkafka.h>

#include "absl/strings/str_cat.h"
#include "services/kafka/connection_properties.h"

namespace vagt::kafka {

absl::StatusOr<rd_kafka_conf_t*> NewClientConfig(
    const KafkaProperties& properties, const std::string& what) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512];
  for (const auto& [name, value] : properties) {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error,
                          sizeof error) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      // librdkafka's reason may quote the value: not a secret's.
      return absl::InvalidArgumentError(absl::StrCat(
          what, " property ", name, ": ",
          IsSecretProperty(name) ? "refused (its value is not shown)" : error));
    }
  }
  return conf;
}

absl::Status CheckClientProperties(const KafkaProperties& properties,
                                   const std::string& what) {
  absl::StatusOr<rd_kafka_conf_t*> conf = NewClientConfig(properties, what);
  if (!conf.ok()) return conf.status();
  char error[512];
  rd_kafka_t* client =
      rd_kafka_new(RD_KAFKA_PRODUCER, *conf, error, sizeof error);
  if (client == nullptr) {
    rd_kafka_conf_destroy(*conf);
    return absl::InvalidArgumentError(absl::StrCat(what, ": ", error));
  }
  rd_kafka_destroy(client);
  return absl::OkStatus();
}

}  // namespace vagt::kafka
