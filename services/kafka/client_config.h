// librdkafka client configurations from name/value properties: the one
// place that turns a refused property into a status naming it.
#ifndef VAGT_SERVICES_KAFKA_CLIENT_CONFIG_H_
#define VAGT_SERVICES_KAFKA_CLIENT_CONFIG_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

typedef struct rd_kafka_conf_s rd_kafka_conf_t;

namespace vagt::kafka {

using KafkaProperties = std::vector<std::pair<std::string, std::string>>;

// A new configuration with `properties` set in order (a later one wins).
// INVALID_ARGUMENT "<what> property <name>: <librdkafka's reason>" for a
// property librdkafka refuses (the reason left out for a secret, which
// librdkafka may quote). The caller owns the result (rd_kafka_new
// takes it, else rd_kafka_conf_destroy).
absl::StatusOr<rd_kafka_conf_t*> NewClientConfig(
    const KafkaProperties& properties, const std::string& what);

// Whether a client can be made with `properties` at all (librdkafka checks
// some only then: a TLS CA file that cannot be read, a SASL mechanism it
// was built without): makes a producer, without bootstrap servers so that
// it connects nowhere, and destroys it. INVALID_ARGUMENT naming the
// property as librdkafka does.
absl::Status CheckClientProperties(const KafkaProperties& properties,
                                   const std::string& what);

}  // namespace vagt::kafka

#endif  // VAGT_SERVICES_KAFKA_CLIENT_CONFIG_H_
