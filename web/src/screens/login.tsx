// Log in: a vagt access token ("vagt1.<credential>.<secret>") pasted in,
// checked with DirectoryService.WhoAmI before it is kept (sessionStorage).
// A refusal shows the server's own message.
import type { ConnectError } from "@connectrpc/connect";
import { useState } from "preact/hooks";
import { useAuth } from "../auth";
import { useI18n } from "../i18n";
import { navigate, paths } from "../router";
import { ErrorAlert } from "../ui";

export function LoginScreen() {
  const { t } = useI18n();
  const { signIn } = useAuth();
  const [token, setToken] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ConnectError | undefined>(undefined);

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
    if (location.hash === paths.login || !location.hash) navigate(paths.board);
  };

  return (
    <section class="login" aria-labelledby="login-title">
      <h1 id="login-title">{t.login.title}</h1>
      <p>{t.login.intro}</p>
      <form onSubmit={(e) => void submit(e)}>
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
        <ErrorAlert error={error} />
        <button type="submit" data-testid="login-submit" disabled={busy}>
          {busy ? t.login.checking : t.login.submit}
        </button>
      </form>
      <p class="hint">{t.login.oidcNote}</p>
    </section>
  );
}
