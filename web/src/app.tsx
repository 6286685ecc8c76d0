// The app shell: header (product, navigation, who is signed in, language,
// connection), and the screen the hash route names. Nothing but the login
// screen is shown until a token is checked.
import { useEffect } from "preact/hooks";
import { useAuth } from "./auth";
import { useBoard, type StreamStatus } from "./board";
import { useI18n } from "./i18n";
import { DoneNotice, useNotice } from "./notice";
import { paths, useRoute, type Route } from "./router";
import { BoardScreen } from "./screens/board";
import { CallScreen } from "./screens/call";
import { EscalationsScreen } from "./screens/escalations";
import { HandoverScreen } from "./screens/handover";
import { LoginScreen } from "./screens/login";
import { NewCallScreen } from "./screens/new-call";
import { ReviewScreen } from "./screens/review";
import { RosterScreen } from "./screens/roster";

// The three states the indicator shows (data-state), from the stream's.
export function connectionState(s: StreamStatus): "live" | "reconnecting" | "idle" {
  if (s === "live" || s === "restored") return "live";
  if (s === "lost" || s === "connecting") return "reconnecting";
  return "idle";
}

function ConnectionStatus() {
  const { t } = useI18n();
  const { status, error } = useBoard();
  const state = connectionState(status);
  const text =
    status === "refused" && error?.rawMessage
      ? `${t.connection.refused}: ${error.rawMessage}`
      : t.connection[status];
  return (
    <p
      class={`connection connection-${state}`}
      data-testid="connection-status"
      data-state={state}
      aria-live="polite"
    >
      <span class="dot" aria-hidden="true" />
      {text}
    </p>
  );
}

const navItems = [
  { screen: "board", href: paths.board, testid: "nav-board" },
  { screen: "new-call", href: paths.newCall, testid: "nav-new-call" },
  { screen: "escalations", href: paths.escalations, testid: "nav-escalations" },
  { screen: "handover", href: paths.handover, testid: "nav-handover" },
  { screen: "roster", href: paths.roster, testid: "nav-roster" },
  { screen: "review", href: paths.review, testid: "nav-review" },
] as const;

function Header({ route }: { route: Route }) {
  const { t, lang, setLang } = useI18n();
  const { me, signOut } = useAuth();
  const other = lang === "da" ? "en" : "da";
  return (
    <header class="app-header">
      <div class="header-top">
        <p class="brand">
          <a href={paths.board}>{t.app.name}</a>
          <span class="brand-sub">{t.app.tagline}</span>
        </p>
        <div class="header-tools">
          {me && <ConnectionStatus />}
          <button
            type="button"
            class="link-button"
            data-testid="lang-toggle"
            lang={other}
            onClick={() => setLang(other)}
          >
            {t.app.otherLanguage}
          </button>
          {me && (
            <>
              <span class="signed-in">
                <span class="visually-hidden">{t.app.signedInAs} </span>
                <span data-testid="signed-in-as">{me.partyId}</span>
              </span>
              <button type="button" data-testid="sign-out" onClick={signOut}>
                {t.app.signOut}
              </button>
            </>
          )}
        </div>
      </div>
      {me && (
        <nav aria-label={t.app.navLabel}>
          <ul>
            {navItems.map((n) => (
              <li key={n.screen}>
                <a
                  href={n.href}
                  data-testid={n.testid}
                  aria-current={route.screen === n.screen ? "page" : undefined}
                >
                  {t.nav[n.screen]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </header>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route.screen) {
    case "login":
    case "board":
      return <BoardScreen />;
    case "new-call":
      return <NewCallScreen />;
    case "call":
      return <CallScreen callId={route.callId} />;
    case "escalations":
      return <EscalationsScreen />;
    case "handover":
      return <HandoverScreen />;
    case "roster":
      return <RosterScreen />;
    case "review":
      return <ReviewScreen />;
  }
}

export function App() {
  const { t } = useI18n();
  const { me } = useAuth();
  const route = useRoute();
  const { clear } = useNotice();
  const routeKey = JSON.stringify(route);
  useEffect(() => clear(), [routeKey]); // a new screen starts without a notice
  const title = me
    ? t.nav[route.screen === "login" ? "board" : route.screen]
    : t.login.title;
  useEffect(() => {
    document.title = `${title} – ${t.app.name}`;
  }, [title, t]);
  return (
    <>
      <a
        class="skip-link"
        href="#main"
        onClick={(e) => {
          // The hash names the screen: move the focus instead of following it.
          e.preventDefault();
          document.getElementById("main")?.focus();
        }}
      >
        {t.app.skipToContent}
      </a>
      <Header route={route} />
      <main id="main" tabIndex={-1}>
        {me === undefined ? (
          <p role="status">{t.common.loading}</p>
        ) : me === null ? (
          <LoginScreen />
        ) : (
          <>
            <DoneNotice />
            <Screen route={route} />
          </>
        )}
      </main>
    </>
  );
}
