// Log in: a vagt access token ("vagt1.<credential>.<secret>") pasted in,
// checked with DirectoryService.WhoAmI before it is kept (sessionStorage);
// or, when vagtd names the municipality's identity provider
// (/console-config.json), its login (oidc.ts), whose access token is then
// checked the same way. A refusal shows the server's own message; a failed
// return from the provider shows the provider's.
import { ConnectError } from "@connectrpc/connect";
import { useEffect, useState } from "preact/hooks";
import { goOnAfterSignIn, useAuth } from "../auth";
import { useI18n } from "../i18n";
import { consoleOidc, OidcSignInError, startOidcSignIn, type OidcConfig } from "../oidc";
import { ErrorAlert } from "../ui";

// The server's refusal of the provider's token as the server said it; the
// provider's refusal in its own words.
function OidcFailureAlert({ failure }: { failure: Error | undefined }) {
  const { t } = useI18n();
  if (!failure) return null;
  if (failure instanceof ConnectError) return <ErrorAlert error={failure} />;
  const reason = failure instanceof OidcSignInError ? failure.reason : "refused";
  const why =
    reason === "not-started"
      ? t.login.oidcNotStarted
      : reason === "no-provider"
        ? t.login.oidcNoProvider
        : failure.message;
  return (
    <p role="alert" data-testid="error" class="error">
      {t.login.oidcFailed} {why}
    </p>
  );
}

export function LoginScreen() {
  const { t } = useI18n();
  const { signIn, oidcFailure } = useAuth();
  const [token, setToken] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ConnectError | undefined>(undefined);
  const [oidc, setOidc] = useState<OidcConfig | undefined>(undefined);
  const [leaving, setLeaving] = useState(false);
  const [oidcError, setOidcError] = useState<Error | undefined>(undefined);

  useEffect(() => {
    let current = true;
    void consoleOidc().then((config) => {
      if (current) setOidc(config);
    });
    return () => {
      current = false;
    };
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const refusal = await signIn(token.trim());
    setBusy(false);
    if (refusal) {
      setError(refusal);
      return;
    }
    setToken("");
    goOnAfterSignIn();
  };

  const leaveForProvider = (config: OidcConfig) => {
    setLeaving(true);
    setOidcError(undefined);
    startOidcSignIn(config).catch((e: unknown) => {
      setLeaving(false);
      setOidcError(e instanceof Error ? e : new Error(String(e)));
    });
  };

  return (
    <section class="login" aria-labelledby="login-title">
      <h1 id="login-title">{t.login.title}</h1>
      {oidc && (
        <div class="login-oidc">
          <button
            type="button"
            data-testid="login-oidc"
            disabled={leaving}
            aria-describedby="login-oidc-hint"
            onClick={() => leaveForProvider(oidc)}
          >
            {leaving ? t.login.oidcLeaving : t.login.oidcSubmit}
          </button>
          <p id="login-oidc-hint" class="hint">
            {t.login.oidcNote}
          </p>
          <OidcFailureAlert failure={oidcError ?? oidcFailure} />
        </div>
      )}
      {!oidc && <OidcFailureAlert failure={oidcFailure} />}
      <p>{t.login.intro}</p>
      <form onSubmit={(e) => void submit(e)}>
        <div class="field">
          <label for="login-token">{t.login.token}</label>
          <input
            id="login-token"
            data-testid="login-token"
            type="password"
            autoComplete="off"
            spellcheck={false}
            required
            value={token}
            aria-describedby="login-token-hint"
            onInput={(e) => setToken(e.currentTarget.value)}
          />
          <p id="login-token-hint" class="hint">
            {t.login.tokenHint}
          </p>
        </div>
        <ErrorAlert error={error} />
        <button type="submit" data-testid="login-submit" disabled={busy}>
          {busy ? t.login.checking : t.login.submit}
        </button>
      </form>
    </section>
  );
}
