// Signing in with the municipality's identity provider: OpenID Connect's
// authorization code flow with PKCE (S256), state and nonce, through
// oauth4webapi. The console is a public client (no secret); the provider's
// access token becomes its bearer token, which vagtd checks like any other
// (the worker must be registered in its directory).
//
//   const oidc = await consoleOidc();        // vagtd's /console-config.json
//   if (oidc) await startOidcSignIn(oidc);   // leaves for the provider
//   ...back at the console's address, ?code=...&state=...:
//   if (hasOidcAnswer()) token = await finishOidcSignIn();
//
// The round trip's secrets live in sessionStorage from the redirect until
// the answer arrives (session.ts), and the answer leaves the address at
// once; neither a code nor a token is ever logged.
import * as oauth from "oauth4webapi";
import { storeOidcRoundTrip, takeOidcRoundTrip } from "./session";

export interface OidcConfig {
  issuer: string;
  clientId: string;
  scope: string;
}

// A sign-in that did not get a token: none was started in this tab, the
// server names no provider, or the provider (or the flow's checks) refused,
// in its own words (`?error=...`, the token endpoint's error, a wrong state).
export class OidcSignInError extends Error {
  readonly reason: "not-started" | "no-provider" | "refused";
  constructor(reason: OidcSignInError["reason"], said = "") {
    super(said || reason);
    this.reason = reason;
  }
}

// The identity provider vagtd offers, or undefined: none configured, or no
// configuration to be read (the token form still works).
export async function consoleOidc(): Promise<OidcConfig | undefined> {
  try {
    const response = await fetch(new URL("console-config.json", location.href), {
      cache: "no-store",
    });
    if (!response.ok) return undefined;
    const config = (await response.json()) as { oidc?: Partial<OidcConfig> };
    const { issuer, clientId, scope } = config.oidc ?? {};
    if (!issuer || !clientId) return undefined;
    return { issuer, clientId, scope: scope || "openid" };
  } catch {
    return undefined;
  }
}

// Where the provider sends the browser back: the console itself.
function redirectUri(): string {
  return location.origin + location.pathname;
}

// Plain http only to a provider on loopback (a test's stand-in), vagtd's
// rule for the keys' URL too.
function requestOptions(issuer: URL) {
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(issuer.hostname);
  // Deprecated only "to make it stand out": it is, and never beyond loopback.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  return { [oauth.allowInsecureRequests]: issuer.protocol === "http:" && loopback };
}

async function discover(config: OidcConfig): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  const response = await oauth.discoveryRequest(issuer, {
    algorithm: "oidc",
    ...requestOptions(issuer),
  });
  return oauth.processDiscoveryResponse(issuer, response);
}

// Sends the browser to the provider's login. Resolves only if it could not
// (the provider's discovery failed); the page is left otherwise.
export async function startOidcSignIn(config: OidcConfig): Promise<void> {
  const as = await discover(config);
  if (!as.authorization_endpoint) {
    throw new OidcSignInError(
      "refused",
      `${config.issuer} names no authorization_endpoint`,
    );
  }
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", config.clientId);
  url.searchParams.set("redirect_uri", redirectUri());
  url.searchParams.set("scope", config.scope);
  url.searchParams.set(
    "code_challenge",
    await oauth.calculatePKCECodeChallenge(verifier),
  );
  url.searchParams.set("code_challenge_method", "S256");
  url.searchParams.set("state", state);
  url.searchParams.set("nonce", nonce);
  storeOidcRoundTrip({ verifier, state, nonce, returnTo: location.hash });
  location.assign(url.href);
}

// Whether the address holds the provider's answer to a sign-in.
export function hasOidcAnswer(): boolean {
  const params = new URLSearchParams(location.search);
  return params.has("state") && (params.has("code") || params.has("error"));
}

// Completes the sign-in the address answers: checks the state, exchanges
// the code (with the PKCE verifier) at the token endpoint, checks the ID
// token's nonce, and resolves with the access token and where the worker
// was going. Rejects with OidcSignInError saying why not. Either way the
// answer leaves the address and the round trip's secrets sessionStorage.
export async function finishOidcSignIn(): Promise<{
  accessToken: string;
  returnTo: string;
}> {
  const answer = new URL(location.href);
  history.replaceState(history.state, "", location.pathname + location.hash);
  const trip = takeOidcRoundTrip();
  if (!trip) throw new OidcSignInError("not-started");
  const config = await consoleOidc();
  if (!config) throw new OidcSignInError("no-provider");
  try {
    const as = await discover(config);
    const client: oauth.Client = { client_id: config.clientId };
    const params = oauth.validateAuthResponse(as, client, answer, trip.state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      redirectUri(),
      trip.verifier,
      requestOptions(new URL(config.issuer)),
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
      expectedNonce: trip.nonce,
      requireIdToken: config.scope.split(" ").includes("openid"),
    });
    return { accessToken: tokens.access_token, returnTo: trip.returnTo };
  } catch (e) {
    if (
      e instanceof oauth.AuthorizationResponseError ||
      e instanceof oauth.ResponseBodyError
    ) {
      const said = e.error_description ? `${e.error}: ${e.error_description}` : e.error;
      throw new OidcSignInError("refused", said);
    }
    throw new OidcSignInError("refused", e instanceof Error ? e.message : String(e));
  }
}
