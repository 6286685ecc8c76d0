#include "services/directory/bootstrap.h"

#include <unistd.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/access_token.h"
#include "domain/private_file.h"
#include "domain/streams.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"
#include "services/common/ids.h"

namespace vagt::services {
namespace {

constexpr char kBootstrapActor[] = "system:vagtd";

eventstore::NewEvent Event(v1::EventPayload payload, absl::Time now) {
  eventstore::NewEvent e;
  e.payload = std::move(payload);
  e.actor = kBootstrapActor;
  e.occurred_at = now;
  return e;
}

}  // namespace

absl::StatusOr<std::optional<std::string>> BootstrapAdministrator(
    eventstore::EventStore& store, const Clock& clock,
    const std::string& token_path) {
  ASSIGN_OR_RETURN(uint64_t version, store.StreamVersion(kDirectoryStream));
  if (version > 0) return std::nullopt;
  const absl::Time now = clock.Now();
  const AccessToken token = NewAccessToken(NewUuid());
  RETURN_IF_ERROR(WritePrivateFile(token_path, token.text() + "\n"));

  std::vector<eventstore::NewEvent> events;
  v1::EventPayload registered;
  auto& r = *registered.mutable_principal_registered();
  r.set_party_id(kFirstAdministrator);
  r.set_kind(v1::PRINCIPAL_KIND_PERSON);
  r.set_display_name("Administrator");
  events.push_back(Event(std::move(registered), now));
  v1::EventPayload granted;
  auto& g = *granted.mutable_principal_role_granted();
  g.set_party_id(kFirstAdministrator);
  g.set_role(v1::ROLE_ADMINISTRATOR);
  events.push_back(Event(std::move(granted), now));
  v1::EventPayload issued;
  auto& c = *issued.mutable_credential_issued();
  c.set_credential_id(token.credential_id);
  c.set_party_id(kFirstAdministrator);
  c.set_label("first start");
  c.set_secret_sha256(SecretDigest(token.secret));
  *c.mutable_expires_at() = ToTimestamp(now + kFirstTokenLife);
  events.push_back(Event(std::move(issued), now));

  absl::StatusOr<eventstore::AppendResult> appended = store.Append(
      {.stream_id = kDirectoryStream,
       .expected = eventstore::ExpectedVersion::NoStream(),
       .request_id = absl::StrCat("bootstrap-", token.credential_id),
       .events = std::move(events)});
  if (!appended.ok()) {
    ::unlink(token_path.c_str());
    return appended.status();
  }
  return token_path;
}

}  // namespace vagt::services
