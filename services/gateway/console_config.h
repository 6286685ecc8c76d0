// What the console learns from the server before anyone signs in, served
// as GET /console-config.json: public settings only (never a secret; the
// console is a public OAuth client that proves itself with PKCE).
//
//   {"oidc": {"issuer": "https://sso.ishoj.dk/realms/ishoj",
//             "clientId": "vagt", "scope": "openid profile"}}
//
// or {} when the console offers vagt tokens only.
#ifndef VAGT_SERVICES_GATEWAY_CONSOLE_CONFIG_H_
#define VAGT_SERVICES_GATEWAY_CONSOLE_CONFIG_H_

#include <string>

namespace vagt::gateway {

// The identity provider the console signs workers in with (authorization
// code with PKCE); its access token is the console's bearer token.
struct ConsoleOidc {
  std::string issuer;  // empty: no sign-in with an identity provider
  std::string client_id;
  std::string scope = "openid profile";
};

// The body of /console-config.json, by protobuf's JSON mapping.
std::string ConsoleConfigJson(const ConsoleOidc& oidc);

// The issuer's origin ("https://sso.ishoj.dk"), which the console's
// Content-Security-Policy must let it connect to (discovery and the token
// endpoint); empty without an issuer or for one that is not a URL.
std::string IssuerOrigin(const ConsoleOidc& oidc);

}  // namespace vagt::gateway

#endif  // VAGT_SERVICES_GATEWAY_CONSOLE_CONFIG_H_
