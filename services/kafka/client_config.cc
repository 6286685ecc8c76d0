#include "services/kafka/client_config.h"

#include <librdkafka/rdkafka.h>

#include "absl/strings/str_cat.h"

namespace vagt::kafka {

absl::StatusOr<rd_kafka_conf_t*> NewClientConfig(
    const KafkaProperties& properties, const std::string& what) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512];
  for (const auto& [name, value] : properties) {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error,
                          sizeof error) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return absl::InvalidArgumentError(
          absl::StrCat(what, " property ", name, ": ", error));
    }
  }
  return conf;
}

}  // namespace vagt::kafka
