// Escalating from a call (EscalationService.RaiseEscalation: by the line's
// policy, or to a named level and party) and closing it (CallService.
// CloseCall, with its outcome and follow-up).
import { useState } from "preact/hooks";
import { clients } from "../api";
import { useAuth } from "../auth";
import {
  CallOutcome,
  EscalationLevel,
  EscalationUrgency,
  PartyKind,
} from "../gen/vagt/v1/events_pb";
import { useCommand } from "../hooks";
import { useI18n } from "../i18n";
import { partyFromId } from "../parties";
import { addDays, instantFromInput, localDate, toTimestamp } from "../time";
import { ErrorAlert, optionOf } from "../ui";
import { rememberClosed } from "./call-state";

export const escalationLevels = [
  EscalationLevel.BACKUP,
  EscalationLevel.NIGHT_PARTNER,
  EscalationLevel.SOCIAL_EMERGENCY_SERVICE,
  EscalationLevel.PSYCHIATRIC_EMERGENCY,
  EscalationLevel.POLICE,
];
const urgencies = [
  EscalationUrgency.IMMEDIATE,
  EscalationUrgency.URGENT,
  EscalationUrgency.ROUTINE,
];
const outcomes = [
  CallOutcome.RESOLVED_ON_CALL,
  CallOutcome.VISIT_ARRANGED,
  CallOutcome.REFERRED,
  CallOutcome.ESCALATED,
  CallOutcome.CALLER_UNREACHABLE,
  CallOutcome.NOT_RELEVANT,
];

export function EscalateForm({ callId }: { callId: string }) {
  const { t } = useI18n();
  const [reason, setReason] = useState("");
  const [urgency, setUrgency] = useState(EscalationUrgency.URGENT);
  const [level, setLevel] = useState(EscalationLevel.UNSPECIFIED);
  const [target, setTarget] = useState("");
  const raise = useCommand(
    (requestId) =>
      clients.escalations.raiseEscalation({
        requestId,
        callId,
        urgency,
        // Unset level and target: the line's policy chooses.
        level,
        target: level ? partyFromId(target, PartyKind.UNSPECIFIED) : undefined,
        details: { reason: reason.trim() },
      }),
    t.escalate.done,
  );
  return (
    <section class="card" aria-labelledby="escalate-title">
      <h2 id="escalate-title">{t.escalate.title}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void raise.run().then((r) => r && setReason(""));
        }}
      >
        <div class="field">
          <label for="escalate-reason">{t.escalate.reason}</label>
          <input
            id="escalate-reason"
            data-testid="escalate-reason"
            value={reason}
            autoComplete="off"
            onInput={(e) => setReason(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="escalate-urgency">{t.escalate.urgency}</label>
          <select
            id="escalate-urgency"
            data-testid="escalate-urgency"
            value={String(urgency)}
            onChange={(e) =>
              setUrgency(optionOf(urgencies, e.currentTarget.value, urgency))
            }
          >
            {urgencies.map((u) => (
              <option key={u} value={String(u)}>
                {t.urgency[u]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="escalate-level">{t.escalate.level}</label>
          <select
            id="escalate-level"
            data-testid="escalate-level"
            value={String(level)}
            onChange={(e) =>
              setLevel(
                optionOf(
                  escalationLevels,
                  e.currentTarget.value,
                  EscalationLevel.UNSPECIFIED,
                ),
              )
            }
          >
            <option value={String(EscalationLevel.UNSPECIFIED)}>
              {t.escalate.byPolicy}
            </option>
            {escalationLevels.map((l) => (
              <option key={l} value={String(l)}>
                {t.escalationLevel[l]}
              </option>
            ))}
          </select>
        </div>
        {level !== EscalationLevel.UNSPECIFIED && (
          <div class="field">
            <label for="escalate-target">{t.escalate.target}</label>
            <input
              id="escalate-target"
              data-testid="escalate-target"
              value={target}
              autoComplete="off"
              placeholder="partner:akut-ishoj"
              onInput={(e) => setTarget(e.currentTarget.value)}
            />
          </div>
        )}
        <ErrorAlert error={raise.error} />
        <button type="submit" data-testid="escalate-submit" disabled={raise.busy}>
          {t.escalate.submit}
        </button>
      </form>
    </section>
  );
}

export function CloseCallForm(props: {
  callId: string;
  escalationIds: string[];
  onClosed: () => void;
}) {
  const { t } = useI18n();
  const { me } = useAuth();
  const [outcome, setOutcome] = useState(CallOutcome.RESOLVED_ON_CALL);
  const [summary, setSummary] = useState("");
  const [task, setTask] = useState("");
  const [owner, setOwner] = useState(me?.partyId ?? "");
  const [due, setDue] = useState(`${addDays(localDate(new Date()), 1)}T10:00`);
  const close = useCommand((requestId) => {
    const needed = task.trim() !== "";
    const dueAt = instantFromInput(due);
    return clients.calls.closeCall({
      requestId,
      callId: props.callId,
      outcome,
      followUp: needed
        ? {
            needed,
            owner: partyFromId(owner, PartyKind.OTHER_PARTNER),
            dueAt: dueAt ? toTimestamp(dueAt) : undefined,
          }
        : { needed: false },
      escalationIds: props.escalationIds,
      details: { summary: summary.trim(), followUpTask: task.trim() },
    });
  }, t.close.done);
  return (
    <section class="card" aria-labelledby="close-title">
      <h2 id="close-title">{t.close.title}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void close.run().then((r) => {
            if (!r) return;
            rememberClosed(props.callId);
            props.onClosed();
          });
        }}
      >
        <div class="field">
          <label for="close-outcome">{t.close.outcome}</label>
          <select
            id="close-outcome"
            data-testid="close-outcome"
            value={String(outcome)}
            onChange={(e) =>
              setOutcome(optionOf(outcomes, e.currentTarget.value, outcome))
            }
          >
            {outcomes.map((o) => (
              <option key={o} value={String(o)}>
                {t.outcome[o]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="close-summary">{t.close.summary}</label>
          <textarea
            id="close-summary"
            data-testid="close-summary"
            rows={2}
            value={summary}
            onInput={(e) => setSummary(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="close-follow-up">{t.close.followUp}</label>
          <input
            id="close-follow-up"
            data-testid="close-follow-up"
            value={task}
            autoComplete="off"
            aria-describedby="close-follow-up-hint"
            onInput={(e) => setTask(e.currentTarget.value)}
          />
          <p id="close-follow-up-hint" class="hint">
            {t.close.followUpHint}
          </p>
        </div>
        {task.trim() && (
          <>
            <div class="field">
              <label for="close-follow-up-by">{t.close.followUpBy}</label>
              <input
                id="close-follow-up-by"
                data-testid="close-follow-up-by"
                value={owner}
                autoComplete="off"
                onInput={(e) => setOwner(e.currentTarget.value)}
              />
            </div>
            <div class="field">
              <label for="close-follow-up-due">{t.close.followUpDue}</label>
              <input
                id="close-follow-up-due"
                data-testid="close-follow-up-due"
                type="datetime-local"
                value={due}
                onInput={(e) => setDue(e.currentTarget.value)}
              />
            </div>
          </>
        )}
        <ErrorAlert error={close.error} />
        <button type="submit" data-testid="close-submit" disabled={close.busy}>
          {t.close.submit}
        </button>
      </form>
    </section>
  );
}
