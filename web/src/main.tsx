// The console's entry: the providers (language, sign-in, the live board)
// around the app shell.
import { render } from "preact";
import { App } from "./app";
import { AuthProvider, useAuth } from "./auth";
import { BoardProvider } from "./board";
import { I18nProvider } from "./i18n";
import { NoticeProvider } from "./notice";
import "./styles.css";

function WithBoard() {
  const { me } = useAuth();
  return (
    <BoardProvider signedIn={!!me}>
      <NoticeProvider>
        <App />
      </NoticeProvider>
    </BoardProvider>
  );
}

const root = document.getElementById("app");
if (root) {
  render(
    <I18nProvider>
      <AuthProvider>
        <WithBoard />
      </AuthProvider>
    </I18nProvider>,
    root,
  );
}
