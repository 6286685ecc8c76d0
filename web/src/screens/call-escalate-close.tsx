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
import { EnumSelect, ErrorAlert, TextField } from "../ui";
import { rememberClosed } from "./call-state";

export const escalationLevels = [
  EscalationLevel.BACKUP,
  EscalationLevel.NIGHT_PARTNER,
  EscalationLevel.SOCIAL_EMERGENCY_SERVICE,
  EscalationLevel.PSYCHIATRIC_EMERGENCY,
  EscalationLevel.POLICE,
];
// The levels to escalate to, or none: the line's policy chooses.
const levelChoices = [EscalationLevel.UNSPECIFIED, ...escalationLevels];
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
        <TextField
          id="escalate-reason"
          label={t.escalate.reason}
          value={reason}
          onInput={setReason}
        />
        <EnumSelect
          id="escalate-urgency"
          label={t.escalate.urgency}
          options={urgencies}
          names={t.urgency}
          value={urgency}
          onChange={setUrgency}
        />
        <EnumSelect
          id="escalate-level"
          label={t.escalate.level}
          options={levelChoices}
          names={{
            ...t.escalationLevel,
            [EscalationLevel.UNSPECIFIED]: t.escalate.byPolicy,
          }}
          value={level}
          onChange={setLevel}
        />
        {level !== EscalationLevel.UNSPECIFIED && (
          <TextField
            id="escalate-target"
            label={t.escalate.target}
            value={target}
            placeholder="partner:akut-ishoj"
            onInput={setTarget}
          />
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
        <EnumSelect
          id="close-outcome"
          label={t.close.outcome}
          options={outcomes}
          names={t.outcome}
          value={outcome}
          onChange={setOutcome}
        />
        <TextField
          id="close-summary"
          label={t.close.summary}
          rows={2}
          value={summary}
          onInput={setSummary}
        />
        <TextField
          id="close-follow-up"
          label={t.close.followUp}
          value={task}
          hint={t.close.followUpHint}
          onInput={setTask}
        />
        {task.trim() && (
          <>
            <TextField
              id="close-follow-up-by"
              label={t.close.followUpBy}
              value={owner}
              onInput={setOwner}
            />
            <TextField
              id="close-follow-up-due"
              label={t.close.followUpDue}
              type="datetime-local"
              value={due}
              onInput={setDue}
            />
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
