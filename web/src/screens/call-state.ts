// What this tab knows about calls beyond the board: the calls it opened
// (so a new call shows as open before the board's next message brings it)
// and the ones it closed (they leave the board). Nothing here outlives the
// tab.
interface KnownCall {
  citizenRef: string;
  closed: boolean;
}

const known = new Map<string, KnownCall>();

export function rememberOpened(callId: string, citizenRef: string): void {
  known.set(callId, { citizenRef, closed: false });
}

export function rememberClosed(callId: string): void {
  const k = known.get(callId);
  known.set(callId, { citizenRef: k?.citizenRef ?? "", closed: true });
}

export function knownCall(callId: string): KnownCall | undefined {
  return known.get(callId);
}
