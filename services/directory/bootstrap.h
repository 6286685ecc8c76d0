// The first start: a store without a directory gets one administrator,
// "worker:admin", with a token written to a file only root (or the user
// vagtd runs as) can read. Nobody could log in otherwise. The token is
// shown nowhere else, not on the terminal, not in the log; its credential
// expires after `kFirstTokenLife`: the administrator issues real accounts
// (and one for themself) with it, then revokes it.
//
//   ASSIGN_OR_RETURN(std::optional<std::string> file,
//       BootstrapAdministrator(store, clock, data_dir + "/first-admin-token"));
//   if (file) printf("log in with: vagtctl login --token-file %s", ...);
#ifndef VAGT_SERVICES_DIRECTORY_BOOTSTRAP_H_
#define VAGT_SERVICES_DIRECTORY_BOOTSTRAP_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "eventstore/clock.h"
#include "eventstore/event_store.h"

namespace vagt::services {

inline constexpr char kFirstAdministrator[] = "worker:admin";
inline constexpr absl::Duration kFirstTokenLife = absl::Hours(24 * 30);

// Does nothing (nullopt) when the directory has any event. Otherwise writes
// the token to `token_path` (mode 0600, fsync'd, replacing a file left by a
// start that crashed before the next step), then appends the administrator,
// its role and the credential in one append, and returns `token_path`. A
// crash between the two leaves no administrator, and the next start makes a
// new token.
absl::StatusOr<std::optional<std::string>> BootstrapAdministrator(
    eventstore::EventStore& store, const Clock& clock,
    const std::string& token_path);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_DIRECTORY_BOOTSTRAP_H_
