// The one "done" notice of the screen (role="status", data-testid="done"):
// the last command that went through says so here, so a screen never shows
// two. It is cleared when the screen changes.
import { createContext, type ComponentChildren } from "preact";
import { useContext, useMemo, useState } from "preact/hooks";

interface Notice {
  text: string;
  notify: (text: string) => void;
  clear: () => void;
}

const NoticeContext = createContext<Notice | null>(null);

export function NoticeProvider({ children }: { children: ComponentChildren }) {
  const [text, setText] = useState("");
  const value = useMemo<Notice>(
    () => ({ text, notify: setText, clear: () => setText("") }),
    [text],
  );
  return <NoticeContext.Provider value={value}>{children}</NoticeContext.Provider>;
}

export function useNotice(): Notice {
  const v = useContext(NoticeContext);
  if (!v) throw new Error("useNotice outside NoticeProvider");
  return v;
}

export function DoneNotice() {
  const { text } = useNotice();
  // The live region is always there, so that screen readers announce the
  // text when it comes.
  return (
    <div aria-live="polite" class="done-region">
      {text && (
        <p role="status" data-testid="done" class="done">
          {text}
        </p>
      )}
    </div>
  );
}
