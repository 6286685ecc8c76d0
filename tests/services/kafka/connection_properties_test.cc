// ParseConnectionProperties / ReadConnectionProperties: the connection and
// security settings of the Kafka clients, and nothing else.
#include "services/kafka/connection_properties.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/kafka/client_config.h"

namespace vagt::kafka {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(ConnectionProperties, TakesSaslAndTlsLinesAndSkipsComments) {
  absl::StatusOr<ConnectionProperties> p = ParseConnectionProperties(
      "# secured cluster\n"
      "! also a comment\n"
      "\n"
      "  security.protocol = SASL_SSL  \n"
      "sasl.mechanism=SCRAM-SHA-512\n"
      "sasl.password=a=b=c\n"
      "ssl.ca.location=/etc/vagt/ca.pem\n"
      "client.id=vagt-relay\n",
      "test");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_THAT(*p,
              UnorderedElementsAre(Pair("security.protocol", "SASL_SSL"),
                                   Pair("sasl.mechanism", "SCRAM-SHA-512"),
                                   Pair("sasl.password", "a=b=c"),
                                   Pair("ssl.ca.location", "/etc/vagt/ca.pem"),
                                   Pair("client.id", "vagt-relay")));
}

TEST(ConnectionProperties, RefusesWhatIsNotAConnectionPropertyNamingTheLine) {
  struct Case {
    const char* text;
    const char* named;
  };
  for (const Case& c : {
           Case{"ssl.ca.location=/x\nacks=1\n",
                "f line 2: \"acks\" is not a connection property"},
           Case{"enable.idempotence=false\n", "\"enable.idempotence\""},
           Case{"group.id=other\n", "\"group.id\""},
           Case{"sasl.username\n", "f line 1: not name=value"},
           Case{"client.id=a\nclient.id=b\n", "\"client.id\" is given twice"},
       }) {
    SCOPED_TRACE(c.text);
    absl::StatusOr<ConnectionProperties> p =
        ParseConnectionProperties(c.text, "f");
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(p.status().message(), HasSubstr(c.named));
  }
}

TEST(ConnectionProperties, AFileWithAPasswordMustNotBeReadableByOthers) {
  std::string dir = ::testing::TempDir() + "kafka-properties-XXXXXX";
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  const std::string path = dir + "/kafka.properties";
  std::ofstream(path) << "sasl.username=vagt\nsasl.password=hemmelig\n";
  using std::filesystem::perms;
  std::filesystem::permissions(path, perms::owner_read | perms::owner_write |
                                         perms::group_read |
                                         perms::others_read);
  absl::StatusOr<ConnectionProperties> p = ReadConnectionProperties(path);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(p.status().message(), HasSubstr("(mode 644)"));
  EXPECT_THAT(p.status().message(), Not(HasSubstr("hemmelig")));

  std::filesystem::permissions(
      path, perms::owner_read | perms::owner_write | perms::group_read);
  p = ReadConnectionProperties(path);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->at("sasl.password"), "hemmelig");

  // Without a secret, the mode is the operator's business.
  std::ofstream(path) << "client.id=vagt\n";
  std::filesystem::permissions(path, perms::owner_all | perms::others_read);
  EXPECT_TRUE(ReadConnectionProperties(path).ok());

  EXPECT_EQ(ReadConnectionProperties(dir + "/missing").status().code(),
            absl::StatusCode::kNotFound);
  std::filesystem::remove_all(dir);
}

TEST(ConnectionProperties, SecretsAreNeverQuoted) {
  for (const char* name :
       {"sasl.password", "ssl.key.password", "ssl.keystore.password",
        "ssl.key.pem", "sasl.oauthbearer.client.secret"}) {
    EXPECT_TRUE(IsSecretProperty(name)) << name;
  }
  EXPECT_FALSE(IsSecretProperty("sasl.username"));
  EXPECT_FALSE(IsSecretProperty("ssl.ca.location"));
  // A value librdkafka refuses is quoted in its reason, but not a secret's:
  // sasl.oauthbearer.config is a secret this librdkafka takes as any string,
  // so the refusal is provoked with a property it does not know.
  absl::Status s = CheckClientProperties(
      {{"security.protocol", "no-such-protocol"}}, "test");
  EXPECT_THAT(s.message(), HasSubstr("security.protocol"));
  s = CheckClientProperties({{"sasl.unknown.password", "hemmelig"}}, "test");
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("sasl.unknown.password"));
  EXPECT_THAT(s.message(), Not(HasSubstr("hemmelig")));
}

}  // namespace
}  // namespace vagt::kafka
