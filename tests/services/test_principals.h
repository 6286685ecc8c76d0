// The principals of the service tests: every party id the tests act as,
// registered in each ServiceTestServer's directory (as events, as an
// administrator would), each with a token derived from its party id so that
// a test can act as anyone without asking the server first.
//
//   auto ctx = ServiceTestServer::As("worker:anna");   // uses TestToken
//
// Roles follow the party id (tests/support/test_roles.h). A party id not in
// the list has no token the server knows (UNAUTHENTICATED).
#ifndef VAGT_TESTS_SERVICES_TEST_PRINCIPALS_H_
#define VAGT_TESTS_SERVICES_TEST_PRINCIPALS_H_

#include <string>
#include <vector>

#include "eventstore/event_store.h"
#include "tests/support/test_roles.h"

namespace vagt::testing {

// "vagt1.<credential id>.<secret>" of `party_id`'s test credential.
std::string TestToken(const std::string& party_id);

// The events that register the test team and every test principal with its
// roles and credential (valid for ten years from `now`), for the stream
// "directory-main".
std::vector<eventstore::NewEvent> TestDirectoryEvents(absl::Time now);

}  // namespace vagt::testing

#endif  // VAGT_TESTS_SERVICES_TEST_PRINCIPALS_H_
