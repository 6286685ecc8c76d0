// The connection and security settings of vagt's Kafka clients (TLS,
// SASL), read from a properties file as Kafka's own clients and kcat (-F)
// read theirs, and given to every client vagtd makes: the outbox relay, the
// access intake and sink, the Kafka-fed projections.
//
//   # /etc/vagt/kafka.properties (mode 0600 or 0640: it holds a password)
//   security.protocol=SASL_SSL
//   sasl.mechanism=SCRAM-SHA-512
//   sasl.username=vagt-relay
//   sasl.password=...
//   ssl.ca.location=/etc/vagt/kafka-ca.pem
//
// Only connection properties are taken (security.protocol, client.id,
// sasl.*, ssl.*): the clients' other properties make vagt's promises
// (acks=all, idempotence, offsets) and are set by vagt alone. A secret's
// value never appears in a message.
#ifndef VAGT_SERVICES_KAFKA_CONNECTION_PROPERTIES_H_
#define VAGT_SERVICES_KAFKA_CONNECTION_PROPERTIES_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vagt::kafka {

using ConnectionProperties = std::map<std::string, std::string>;

// "name=value" lines; blank lines and lines starting with '#' or '!' are
// skipped; spaces around the name and the value are trimmed. INVALID_ARGUMENT
// "<origin> line <n>: ..." for a line without '=', a property that is not a
// connection property, or one given twice.
absl::StatusOr<ConnectionProperties> ParseConnectionProperties(
    absl::string_view text, absl::string_view origin);

// The file at `path`, parsed. A file that holds a secret must not be
// readable by others than its owner and group (FAILED_PRECONDITION naming
// the mode); NOT_FOUND when it cannot be read.
absl::StatusOr<ConnectionProperties> ReadConnectionProperties(
    const std::string& path);

// Whether the property's value is a secret (a password, a private key, a
// client secret), never to be shown.
bool IsSecretProperty(absl::string_view name);

}  // namespace vagt::kafka

#endif  // VAGT_SERVICES_KAFKA_CONNECTION_PROPERTIES_H_
