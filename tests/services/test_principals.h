// The principals of the service tests: every party id the tests act as,
// registered in each ServiceTestServer's directory (as events, as an
// administrator would), each with a token derived from its party id so that
// a test can act as anyone without asking the server first.
//
//   auto ctx = ServiceTestServer::As("worker:anna");   // uses TestToken
//
// Roles follow the party id: "worker:admin" is an administrator,
// "worker:tilsyn" and "worker:xyz" are auditors, every other "worker:" is a
// team worker and team leader of the team "test-team", a "partner:" is a
// partner, a "system:" an integration of the team. A party id not in the
// list has no token the server knows (UNAUTHENTICATED).
#ifndef VAGT_TESTS_SERVICES_TEST_PRINCIPALS_H_
#define VAGT_TESTS_SERVICES_TEST_PRINCIPALS_H_

#include <string>
#include <vector>

#include "eventstore/event_store.h"

namespace vagt::testing {

inline constexpr char kTestTeam[] = "test-team";

// "vagt1.<credential id>.<secret>" of `party_id`'s test credential.
std::string TestToken(const std::string& party_id);

// The events that register the test team and every test principal with its
// roles and credential (valid for ten years from `now`), for the stream
// "directory-main".
std::vector<eventstore::NewEvent> TestDirectoryEvents(absl::Time now);

}  // namespace vagt::testing

#endif  // VAGT_TESTS_SERVICES_TEST_PRINCIPALS_H_
