#include "services/gateway/console_config.h"

#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace vagt::gateway {

std::string ConsoleConfigJson(const ConsoleOidc& oidc) {
  google::protobuf::Struct config;
  if (!oidc.issuer.empty()) {
    auto& fields = *(*config.mutable_fields())["oidc"]
                        .mutable_struct_value()
                        ->mutable_fields();
    fields["issuer"].set_string_value(oidc.issuer);
    fields["clientId"].set_string_value(oidc.client_id);
    fields["scope"].set_string_value(oidc.scope);
  }
  std::string json;
  // A Struct of strings always converts.
  (void)google::protobuf::util::MessageToJsonString(config, &json);
  return json;
}

std::string IssuerOrigin(const ConsoleOidc& oidc) {
  const size_t scheme = oidc.issuer.find("://");
  if (scheme == std::string::npos || scheme == 0) return "";
  const std::string origin =
      oidc.issuer.substr(0, oidc.issuer.find_first_of("/?#", scheme + 3));
  // It goes into a header's directive list: nothing that could end one.
  if (origin.find_first_of(" \t\r\n;,'\"") != std::string::npos) return "";
  return origin;
}

}  // namespace vagt::gateway
