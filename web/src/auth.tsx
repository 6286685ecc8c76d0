// Who is signed in. The token is checked with DirectoryService.WhoAmI before
// it is kept; a refusal is returned as the server gave it, for the login
// screen to show.
import { ConnectError } from "@connectrpc/connect";
import { createContext, type ComponentChildren } from "preact";
import { useContext, useEffect, useMemo, useState } from "preact/hooks";
import { clients } from "./api";
import type { PrincipalInfo } from "./gen/vagt/v1/directory_pb";
import { Role } from "./gen/vagt/v1/events_pb";
import { forgetToken, storedToken, storeToken } from "./session";

interface Auth {
  // Undefined while a stored token is being checked at start.
  me: PrincipalInfo | null | undefined;
  credentialId: string;
  signIn: (token: string) => Promise<ConnectError | undefined>;
  signOut: () => void;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ComponentChildren }) {
  const [me, setMe] = useState<PrincipalInfo | null | undefined>(() =>
    storedToken() ? undefined : null,
  );
  const [credentialId, setCredentialId] = useState("");

  useEffect(() => {
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
      signIn: async (token) => {
        const previous = storedToken();
        storeToken(token);
        try {
          const r = await clients.directory.whoAmI({});
          setMe(r.principal ?? null);
          setCredentialId(r.credentialId);
          return undefined;
        } catch (e) {
          if (previous) storeToken(previous);
          else forgetToken();
          return ConnectError.from(e);
        }
      },
      signOut: () => {
        forgetToken();
        setMe(null);
        setCredentialId("");
      },
    }),
    [me, credentialId],
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
