// Small hooks shared by the screens: sending a command with a stable request
// id, and a clock that ticks.
import { ConnectError } from "@connectrpc/connect";
import { useEffect, useRef, useState } from "preact/hooks";
import { newRequestId } from "./ids";
import { useNotice } from "./notice";

export interface CommandState<R> {
  busy: boolean;
  error: ConnectError | undefined;
  result: R | undefined;
}

// Sends a command. The request id stays the same across attempts until one
// succeeds (a retry after a lost answer is then answered with the first
// result, never recorded twice), and is new for the next command. When it
// succeeds, `done` (if given) is said in the screen's notice, even if the
// component that sent it is gone by then (an answered offer leaves the
// board before its answer arrives).
//
//   const take = useCommand((requestId) => clients.lines.takeLine({ requestId, ... }), t.board.taken);
//   <form onSubmit={(e) => { e.preventDefault(); void take.run(); }}>
export function useCommand<A extends unknown[], R>(
  send: (requestId: string, ...args: A) => Promise<R>,
  done?: string,
): CommandState<R> & { run: (...args: A) => Promise<R | undefined>; clear: () => void } {
  const { notify } = useNotice();
  const requestId = useRef(newRequestId());
  const [state, setState] = useState<CommandState<R>>({
    busy: false,
    error: undefined,
    result: undefined,
  });
  const run = async (...args: A): Promise<R | undefined> => {
    setState({ busy: true, error: undefined, result: undefined });
    try {
      const result = await send(requestId.current, ...args);
      requestId.current = newRequestId();
      setState({ busy: false, error: undefined, result });
      if (done) notify(done);
      return result;
    } catch (e) {
      setState({ busy: false, error: ConnectError.from(e), result: undefined });
      return undefined;
    }
  };
  const clear = () => setState({ busy: false, error: undefined, result: undefined });
  return { ...state, run, clear };
}

// A read: like useCommand, without a request id.
export function useQuery<A extends unknown[], R>(
  read: (...args: A) => Promise<R>,
): CommandState<R> & { run: (...args: A) => Promise<R | undefined> } {
  const cmd = useCommand((_id: string, ...args: A) => read(...args));
  return cmd;
}

// The current time, updated every `periodMs` while the component is shown.
export function useNow(periodMs = 1000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  return now;
}
