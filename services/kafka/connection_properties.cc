#include "services/kafka/connection_properties.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace vagt::kafka {
namespace {

bool IsConnectionProperty(absl::string_view name) {
  return name == "security.protocol" || name == "client.id" ||
         absl::StartsWith(name, "sasl.") || absl::StartsWith(name, "ssl.") ||
         name == "enable.ssl.certificate.verification";
}

}  // namespace

bool IsSecretProperty(absl::string_view name) {
  return absl::StrContains(name, "password") ||
         absl::StrContains(name, "secret") || name == "ssl.key.pem" ||
         name == "sasl.oauthbearer.config";
}

absl::StatusOr<ConnectionProperties> ParseConnectionProperties(
    absl::string_view text, absl::string_view origin) {
  ConnectionProperties properties;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#' || line.front() == '!') continue;
    const size_t equals = line.find('=');
    auto where = [&] { return absl::StrCat(origin, " line ", number, ": "); };
    if (equals == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat(where(), "not name=value"));
    }
    const std::string name(absl::StripAsciiWhitespace(line.substr(0, equals)));
    const std::string value(
        absl::StripAsciiWhitespace(line.substr(equals + 1)));
    if (!IsConnectionProperty(name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          where(), "\"", name,
          "\" is not a connection property (only security.protocol, "
          "client.id, sasl.* and ssl.*; vagt sets its clients' other "
          "properties itself)"));
    }
    if (!properties.emplace(name, value).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(where(), "\"", name, "\" is given twice"));
    }
  }
  return properties;
}

absl::StatusOr<ConnectionProperties> ReadConnectionProperties(
    const std::string& path) {
  std::ifstream in(path);
  struct stat info;
  if (!in || ::stat(path.c_str(), &info) != 0) {
    return absl::NotFoundError(
        absl::StrCat("--kafka_properties: cannot read ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  const std::string origin = absl::StrCat("--kafka_properties ", path);
  absl::StatusOr<ConnectionProperties> properties =
      ParseConnectionProperties(text.str(), origin);
  if (!properties.ok()) return properties.status();
  for (const auto& [name, value] : *properties) {
    if (IsSecretProperty(name) && (info.st_mode & S_IRWXO) != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          origin, ": holds ", name, " but others may read it (mode ",
          absl::StrFormat("%03o", info.st_mode & 0777), "); chmod o-rwx it"));
    }
  }
  return properties;
}

}  // namespace vagt::kafka
