// VagtdFixture: a GoogleTest fixture for process tests of vagtctl. Each test
// gets a vagtd on a fresh data directory and a free loopback port (started
// with a deadline, never a sleep), and runs vagtctl against it with a clean
// environment of its own.
//
//   class VagtctlRosterTest : public testing::VagtdFixture {
//    protected:
//     VagtctlRosterTest()
//         : VagtdFixture(VAGTD_PATH, VAGTCTL_PATH, "worker:leder") {}
//   };
//   TEST_F(VagtctlRosterTest, ...) { EXPECT_EQ(Ctl({"roster", ...}).exit_code,
//   0); }
#ifndef VAGT_TESTS_SUPPORT_VAGTD_FIXTURE_H_
#define VAGT_TESTS_SUPPORT_VAGTD_FIXTURE_H_

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/support/child_process.h"
#include "tests/support/test_accounts.h"
#include "tests/support/vagtctl_process.h"
#include "tests/support/vagtd_process.h"

namespace vagt::testing {

class VagtdFixture : public ::testing::Test {
 protected:
  // `actor` is who Ctl() runs vagtctl as; vagtd runs with `vagtd_flags`
  // too.
  VagtdFixture(std::string vagtd_path, std::string vagtctl_path,
               std::string actor, std::vector<std::string> vagtd_flags = {})
      : vagtd_path_(std::move(vagtd_path)),
        vagtctl_path_(std::move(vagtctl_path)),
        actor_(std::move(actor)),
        vagtd_flags_(std::move(vagtd_flags)) {}

  static absl::Time Deadline() { return absl::Now() + absl::Seconds(60); }

  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "vagtctl-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    absl::StatusOr<RunningVagtd> vagtd =
        StartVagtd(vagtd_path_, dir_ + "/store", Deadline(), vagtd_flags_);
    ASSERT_TRUE(vagtd.ok()) << vagtd.status();
    vagtd_ = std::move(vagtd->process);
    address_ = vagtd->address;
    absl::StatusOr<std::string> admin = FirstAdminToken(dir_ + "/store");
    ASSERT_TRUE(admin.ok()) << admin.status();
    accounts_ = std::make_unique<TestAccounts>(address_, *admin);
    // The fixture's actor exists before the test does anything.
    ASSERT_FALSE(TokenFor(actor_).empty());
    absl::StatusOr<uint64_t> seeded = accounts_->DirectoryEvents();
    ASSERT_TRUE(seeded.ok()) << seeded.status();
    seeded_ = *seeded;
  }

  // The log's position when the test began: the first administrator and
  // the fixture's actor (the directory's events).
  uint64_t seeded() const { return seeded_; }

  // The token of the test principal `actor` (test_accounts.h).
  std::string TokenFor(const std::string& actor) {
    absl::StatusOr<std::string> token = accounts_->TokenFor(actor);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.ok() ? *token : "";
  }

  void TearDown() override {
    vagtd_.reset();  // SIGKILL if still running
    std::filesystem::remove_all(dir_);
  }

  // vagtctl `args` as `actor` against this test's vagtd. With
  // `stdout_only`, what it writes to stderr is dropped.
  VagtctlOutcome RunAs(const std::string& actor,
                       const std::vector<std::string>& args,
                       bool stdout_only = false) {
    absl::StatusOr<VagtctlOutcome> run =
        RunVagtctl(VagtctlArgv(vagtctl_path_, TokenFor(actor), address_, args,
                               stdout_only),
                   Deadline());
    EXPECT_TRUE(run.ok()) << run.status();
    return run.ok() ? *run : VagtctlOutcome{.exit_code = -1, .output = ""};
  }
  // As the fixture's actor, human output (stdout and stderr).
  VagtctlOutcome Ctl(const std::vector<std::string>& args) {
    return RunAs(actor_, args);
  }

  const std::string vagtd_path_;
  const std::string vagtctl_path_;
  const std::string actor_;
  const std::vector<std::string> vagtd_flags_;
  std::string dir_;
  std::unique_ptr<ChildProcess> vagtd_;
  std::string address_;
  std::unique_ptr<TestAccounts> accounts_;
  uint64_t seeded_ = 0;
};

}  // namespace vagt::testing

#endif  // VAGT_TESTS_SUPPORT_VAGTD_FIXTURE_H_
