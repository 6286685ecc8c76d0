// TestAccounts: the principals a process test acts as, made in a real vagtd
// through its DirectoryService by the first administrator (with the token
// vagtd wrote on its first start), with the roles of test_roles.h. A party
// is registered on first use and keeps its token for the test.
//
//   ASSIGN_OR_RETURN(std::string admin, FirstAdminToken(data_dir));
//   TestAccounts accounts(address, admin);
//   ASSIGN_OR_RETURN(std::string anna, accounts.TokenFor("worker:anna"));
//
// Not thread-safe.
#ifndef VAGT_TESTS_SUPPORT_TEST_ACCOUNTS_H_
#define VAGT_TESTS_SUPPORT_TEST_ACCOUNTS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"

namespace vagt::testing {

// The token vagtd's first start wrote under `data_dir`.
absl::StatusOr<std::string> FirstAdminToken(const std::string& data_dir);

class TestAccounts {
 public:
  TestAccounts(const std::string& address, std::string admin_token);

  // The token to act as `party_id` ("worker:admin": the administrator's
  // own; empty: none).
  absl::StatusOr<std::string> TokenFor(const std::string& party_id);

  // How many events the directory holds (while nothing else was appended:
  // the log's last position).
  absl::StatusOr<uint64_t> DirectoryEvents();

 private:
  absl::Status Register(const std::string& party_id);

  std::shared_ptr<grpc::Channel> channel_;
  const std::string admin_token_;
  std::map<std::string, std::string> tokens_;
  bool team_registered_ = false;
  int requests_ = 0;
};

}  // namespace vagt::testing

#endif  // VAGT_TESTS_SUPPORT_TEST_ACCOUNTS_H_
