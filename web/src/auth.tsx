// Who is signed in. The token (a vagt token pasted in, or the identity
// provider's access token on the return from its login, oidc.ts) is checked
// with DirectoryService.WhoAmI before it is kept; a refusal is returned as
// the server gave it, for the login screen to show.
import { ConnectError } from "@connectrpc/connect";
import { createContext, type ComponentChildren } from "preact";
import { useContext, useEffect, useMemo, useState } from "preact/hooks";
import { clients } from "./api";
import type { PrincipalInfo } from "./gen/vagt/v1/directory_pb";
import { Role } from "./gen/vagt/v1/events_pb";
import { finishOidcSignIn, hasOidcAnswer, OidcSignInError } from "./oidc";
import { navigate, paths } from "./router";
import { forgetToken, storedToken, storeToken } from "./session";

interface Auth {
  // Undefined while a stored token, or the identity provider's answer, is
  // being checked at start.
  me: PrincipalInfo | null | undefined;
  credentialId: string;
  // Why the return from the identity provider signed nobody in: the
  // server's refusal of its token, or the provider's (or the flow's) reason.
  oidcFailure: ConnectError | OidcSignInError | undefined;
  signIn: (token: string) => Promise<ConnectError | undefined>;
  signOut: () => void;
}

// After a sign-in: the screen asked for, the board instead of the login.
export function goOnAfterSignIn(returnTo = location.hash): void {
  navigate(returnTo && returnTo !== paths.login ? returnTo : paths.board);
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ComponentChildren }) {
  const [me, setMe] = useState<PrincipalInfo | null | undefined>(() =>
    storedToken() || hasOidcAnswer() ? undefined : null,
  );
  const [credentialId, setCredentialId] = useState("");
  const [oidcFailure, setOidcFailure] = useState<Auth["oidcFailure"]>(undefined);

  // Keeps `token` if the server knows who it is; the refusal otherwise.
  const signIn = async (token: string): Promise<ConnectError | undefined> => {
    const previous = storedToken();
    storeToken(token);
    try {
      const r = await clients.directory.whoAmI({});
      setMe(r.principal ?? null);
      setCredentialId(r.credentialId);
      setOidcFailure(undefined);
      return undefined;
    } catch (e) {
      if (previous) storeToken(previous);
      else forgetToken();
      return ConnectError.from(e);
    }
  };

  useEffect(() => {
    if (hasOidcAnswer()) {
      finishOidcSignIn()
        .then(async ({ accessToken, returnTo }) => {
          const refusal = await signIn(accessToken);
          if (refusal) {
            setOidcFailure(refusal);
            setMe(null);
          } else {
            goOnAfterSignIn(returnTo);
          }
        })
        .catch((e: unknown) => {
          setOidcFailure(
            e instanceof OidcSignInError ? e : new OidcSignInError("refused", String(e)),
          );
          setMe(null);
        });
      return;
    }
    if (!storedToken()) return;
    clients.directory
      .whoAmI({})
      .then((r) => {
        setMe(r.principal ?? null);
        setCredentialId(r.credentialId);
      })
      .catch(() => setMe(null)); // the login screen asks again
  }, []);

  const value = useMemo<Auth>(
    () => ({
      me,
      credentialId,
      oidcFailure,
      signIn,
      signOut: () => {
        forgetToken();
        setMe(null);
        setCredentialId("");
      },
    }),
    [me, credentialId, oidcFailure],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const v = useContext(AuthContext);
  if (!v) throw new Error("useAuth outside AuthProvider");
  return v;
}

export function hasRole(me: PrincipalInfo | null | undefined, role: Role): boolean {
  return !!me?.roles.some((r) => r.role === role);
}

// The team ids the principal holds a role for (its lines are usually named
// after them).
export function teamsOf(me: PrincipalInfo | null | undefined): string[] {
  return [...new Set((me?.roles ?? []).map((r) => r.teamId).filter(Boolean))];
}
