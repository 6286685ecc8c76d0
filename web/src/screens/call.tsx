// A call: its details as the board has them, and what the duty worker does
// during it: risk, crisis plan, notes, escalation, closing. Each part is
// its own component (call-*.tsx); this file lays them out and decides the
// call's status.
import { useRef, useState } from "preact/hooks";
import { useBoard } from "../board";
import { useNow } from "../hooks";
import { useI18n } from "../i18n";
import { Countdown } from "../board-view";
import { PartyName, When } from "../ui";
import { knownCall } from "./call-state";
import { CloseCallForm, EscalateForm } from "./call-escalate-close";
import { CrisisPlanPanel } from "./call-crisis-plan";
import { NoteForm, RiskForm } from "./call-risk-notes";

export type CallStatus = "open" | "closed" | "unknown";

export function CallScreen({ callId }: { callId: string }) {
  const { t } = useI18n();
  const { board, lineId } = useBoard();
  const now = useNow();
  // Closing the call here changes what call-state knows: render again.
  const [, setClosedHere] = useState(0);
  const open = board?.openCalls.find((c) => c.callId === callId);
  const known = knownCall(callId);
  // A call seen open on the board that has left it was closed.
  const seenOpen = useRef(false);
  if (open) seenOpen.current = true;
  const status: CallStatus = known?.closed
    ? "closed"
    : open
      ? "open"
      : seenOpen.current
        ? "closed"
        : known
          ? "open"
          : "unknown";
  const citizenRef = open?.citizenRef ?? known?.citizenRef ?? "";
  const escalations = board?.runningEscalations.filter((e) => e.callId === callId) ?? [];

  return (
    <section aria-labelledby="call-title">
      <h1 id="call-title">{t.call.title}</h1>
      <div class="card">
        <dl class="facts">
          <dt>{t.call.id}</dt>
          <dd data-testid="call-id">{callId}</dd>
          <dt>{t.call.status}</dt>
          <dd data-testid="call-status" data-status={status} aria-live="polite">
            {t.call.statusText[status]}
          </dd>
          <dt>{t.call.line}</dt>
          <dd>{lineId || "–"}</dd>
          {open && (
            <>
              <dt>{t.call.caller}</dt>
              <dd>
                {t.callerKind[open.callerKind]} · {t.channel[open.channel]}
              </dd>
              <dt>{t.call.received}</dt>
              <dd>
                <When ts={open.receivedAt} now={now} />
              </dd>
              <dt>{t.call.answeredBy}</dt>
              <dd>
                <PartyName party={open.answeredBy} />
              </dd>
              <dt>{t.call.latestRisk}</dt>
              <dd>{open.latestRisk ? t.risk[open.latestRisk] : t.call.noRisk}</dd>
            </>
          )}
          <dt>{t.call.citizen}</dt>
          <dd>{citizenRef || t.call.noCitizen}</dd>
        </dl>
        {escalations.length > 0 && (
          <ul class="items">
            {escalations.map((e) => (
              <li key={e.escalationId}>
                {t.escalationLevel[e.level]} → <PartyName party={e.target} /> ·{" "}
                <Countdown esc={e} now={now} />
              </li>
            ))}
          </ul>
        )}
        {status === "unknown" && <p class="hint">{t.call.notOnBoard}</p>}
      </div>
      <div class="call-grid">
        <RiskForm callId={callId} />
        <CrisisPlanPanel
          callId={callId}
          citizenRef={citizenRef}
          callOpen={status !== "closed"}
        />
        <NoteForm callId={callId} />
        <EscalateForm callId={callId} />
        <CloseCallForm
          callId={callId}
          escalationIds={escalations.map((e) => e.escalationId)}
          onClosed={() => setClosedHere((n) => n + 1)}
        />
      </div>
    </section>
  );
}
