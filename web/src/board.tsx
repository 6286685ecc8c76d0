// The live board of the chosen line: one OnCallService.WatchBoard stream per
// tab, shared by every screen (the board, the call, the escalations, the
// handover). When the stream fails it reconnects with backoff and says so.
//
// Lifecycle: the stream opens when a line is chosen and someone is signed in,
// and is cancelled when the line changes, on sign-out and on unmount.
import { Code, ConnectError } from "@connectrpc/connect";
import { createContext, type ComponentChildren } from "preact";
import { useContext, useEffect, useMemo, useState } from "preact/hooks";
import { clients } from "./api";
import type { Board } from "./gen/vagt/v1/oncall_pb";
import { preference, setPreference } from "./session";

// idle: no line chosen; connecting: first attempt; live: receiving;
// lost: the stream failed, reconnecting; restored: live again after a loss;
// refused: the server refused the watch (its reason in `error`).
export type StreamStatus =
  "idle" | "connecting" | "live" | "lost" | "restored" | "refused";

interface BoardState {
  lineId: string;
  setLineId: (id: string) => void;
  board: Board | undefined;
  status: StreamStatus;
  error: ConnectError | undefined;
  // Opens the stream again at once (after taking a line that had no board).
  reconnect: () => void;
}

const BoardContext = createContext<BoardState | null>(null);

// Refusals that another attempt will not change. NOT_FOUND is not one: a line
// nobody has taken yet has no board, and gets one when it is taken.
const kFinal = new Set([
  Code.Unauthenticated,
  Code.PermissionDenied,
  Code.InvalidArgument,
  Code.FailedPrecondition,
]);

// 0.5 s, doubling up to 5 s, less a little jitter so that many tabs do not
// come back in step.
function backoffMs(attempt: number): number {
  const base = Math.min(5000, 500 * 2 ** attempt);
  return base * (0.8 + Math.random() * 0.2);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function BoardProvider(props: { signedIn: boolean; children: ComponentChildren }) {
  const [lineId, setLine] = useState(() => preference("line") ?? "");
  const [board, setBoard] = useState<Board | undefined>(undefined);
  const [status, setStatus] = useState<StreamStatus>("idle");
  const [error, setError] = useState<ConnectError | undefined>(undefined);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    setBoard(undefined);
    setError(undefined);
    if (!lineId || !props.signedIn) {
      setStatus("idle");
      return;
    }
    const abort = new AbortController();
    const { signal } = abort;
    // A function, not the property: the loop's awaits change it.
    const stopped = () => signal.aborted;
    void (async () => {
      let attempt = 0;
      let everLost = false;
      setStatus("connecting");
      while (!stopped()) {
        try {
          for await (const b of clients.onCall.watchBoard({ lineId }, { signal })) {
            attempt = 0;
            setError(undefined);
            setBoard(b);
            setStatus(everLost ? "restored" : "live");
          }
        } catch (e) {
          if (stopped()) return;
          const err = ConnectError.from(e);
          setError(err);
          if (kFinal.has(err.code)) {
            setStatus("refused");
            return;
          }
          if (err.code === Code.NotFound) {
            setBoard(undefined);
            setStatus("refused");
            await sleep(backoffMs(attempt++), signal);
            continue;
          }
        }
        if (stopped()) return;
        // The stream ended or broke: say so, then try again.
        everLost = true;
        setStatus("lost");
        await sleep(backoffMs(attempt++), signal);
      }
    })();
    return () => abort.abort();
  }, [lineId, props.signedIn, generation]);

  const value = useMemo<BoardState>(
    () => ({
      lineId,
      setLineId: (id) => {
        const clean = id.trim();
        if (clean) setPreference("line", clean);
        setLine(clean);
      },
      board,
      status,
      error,
      reconnect: () => setGeneration((g) => g + 1),
    }),
    [lineId, board, status, error],
  );
  return <BoardContext.Provider value={value}>{props.children}</BoardContext.Provider>;
}

export function useBoard(): BoardState {
  const v = useContext(BoardContext);
  if (!v) throw new Error("useBoard outside BoardProvider");
  return v;
}
