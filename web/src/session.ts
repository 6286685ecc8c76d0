// The signed-in session: the vagt access token (or an OIDC access token), kept
// in sessionStorage only, so it ends with the browser tab and is never in
// localStorage, a cookie or a log. Nothing else about the user is stored.

const kTokenKey = "vagt.token";

export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(kTokenKey);
  } catch {
    return null; // storage refused (private mode): not signed in
  }
}

export function storeToken(token: string): void {
  sessionStorage.setItem(kTokenKey, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(kTokenKey);
}

// The OpenID Connect round trip's secrets (oidc.ts): the PKCE verifier, the
// state and the nonce, and the screen to return to. Kept in sessionStorage
// from the redirect to the identity provider until its answer arrives, then
// deleted as they are read.
export interface OidcRoundTrip {
  verifier: string;
  state: string;
  nonce: string;
  returnTo: string;
}

const kOidcRoundTripKey = "vagt.oidc.round-trip";

export function storeOidcRoundTrip(trip: OidcRoundTrip): void {
  sessionStorage.setItem(kOidcRoundTripKey, JSON.stringify(trip));
}

export function takeOidcRoundTrip(): OidcRoundTrip | null {
  try {
    const text = sessionStorage.getItem(kOidcRoundTripKey);
    sessionStorage.removeItem(kOidcRoundTripKey);
    return text ? (JSON.parse(text) as OidcRoundTrip) : null;
  } catch {
    return null;
  }
}

// Preferences that are not personal data (a line id, a language) may outlive
// the tab; they live in localStorage under "vagt.pref.*".
export function preference(name: string): string | null {
  try {
    return localStorage.getItem(`vagt.pref.${name}`);
  } catch {
    return null;
  }
}

export function setPreference(name: string, value: string): void {
  try {
    localStorage.setItem(`vagt.pref.${name}`, value);
  } catch {
    // A preference that cannot be kept is simply forgotten.
  }
}
