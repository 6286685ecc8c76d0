// The running escalations of the line, from the live board, with the
// answers the protos allow in each state: acknowledge (AWAITING_ACK),
// accept and decline (AWAITING_ACK, ACKNOWLEDGED), resolve (ACKNOWLEDGED,
// ACCEPTED) and cancel (anyone but the current target). The server decides
// who may answer; its refusal is shown as it said it.
import { useState } from "preact/hooks";
import { clients } from "../api";
import { useAuth } from "../auth";
import { useBoard } from "../board";
import { Countdown } from "../board-view";
import {
  EscalationDeclineReason,
  EscalationLevel,
  PartyKind,
} from "../gen/vagt/v1/events_pb";
import { EscalationStatus, type RunningEscalation } from "../gen/vagt/v1/oncall_pb";
import { useCommand, useNow } from "../hooks";
import { useI18n } from "../i18n";
import { LineChooser } from "../line-chooser";
import { partyFromId } from "../parties";
import { paths } from "../router";
import { EnumSelect, ErrorAlert, PartyName, TextField, When } from "../ui";
import { escalationLevels } from "./call-escalate-close";

const declineReasons = [
  EscalationDeclineReason.NO_CAPACITY,
  EscalationDeclineReason.OUTSIDE_MANDATE,
  EscalationDeclineReason.NEEDS_HIGHER_LEVEL,
  EscalationDeclineReason.OTHER,
];

function EscalationItem({ esc, now }: { esc: RunningEscalation; now: Date }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const id = esc.escalationId;
  const myself = me?.partyId ?? "";
  // A worker may record the answer of a target without access (the police
  // on the phone); a partner answers for itself.
  const [onBehalf, setOnBehalf] = useState(false);
  const behalf = onBehalf && esc.target?.id !== myself ? (esc.target?.id ?? "") : "";
  const higher = escalationLevels.find((l) => l > esc.level) ?? EscalationLevel.POLICE;
  const [reason, setReason] = useState(EscalationDeclineReason.NO_CAPACITY);
  const [nextLevel, setNextLevel] = useState(higher);
  const [nextTarget, setNextTarget] = useState("");
  const [explanation, setExplanation] = useState("");
  const [outcome, setOutcome] = useState("");
  const [cancelReason, setCancelReason] = useState("");

  const ack = useCommand(
    (requestId) =>
      clients.escalations.acknowledge({
        requestId,
        escalationId: id,
        level: esc.level,
        onBehalfOf: behalf,
      }),
    t.escalations.acknowledged,
  );
  const accept = useCommand(
    (requestId) =>
      clients.escalations.accept({
        requestId,
        escalationId: id,
        level: esc.level,
        onBehalfOf: behalf,
      }),
    t.escalations.accepted,
  );
  const decline = useCommand(
    (requestId) =>
      clients.escalations.decline({
        requestId,
        escalationId: id,
        level: esc.level,
        onBehalfOf: behalf,
        reason,
        nextLevel,
        nextTarget: partyFromId(nextTarget, PartyKind.UNSPECIFIED),
        details: { reason: explanation.trim() },
      }),
    t.escalations.declined,
  );
  const resolve = useCommand(
    (requestId) =>
      clients.escalations.resolve({
        requestId,
        escalationId: id,
        details: { outcome: outcome.trim() },
      }),
    t.escalations.resolved,
  );
  const cancel = useCommand(
    (requestId) =>
      clients.escalations.cancel({
        requestId,
        escalationId: id,
        details: { reason: cancelReason.trim() },
      }),
    t.escalations.cancelled,
  );

  const awaiting = esc.status === EscalationStatus.AWAITING_ACK;
  const answered = esc.status === EscalationStatus.ACKNOWLEDGED;
  const accepted = esc.status === EscalationStatus.ACCEPTED;
  const error =
    ack.error ?? accept.error ?? decline.error ?? resolve.error ?? cancel.error;
  const f = (name: string) => `esc-${name}-${id}`;

  return (
    <li class="card" data-testid="escalation-item" data-escalation-id={id}>
      <h2>
        {t.escalationLevel[esc.level]} → <PartyName party={esc.target} />
      </h2>
      <p>
        {t.escalationStatus[esc.status]} · {t.urgency[esc.urgency]} ·{" "}
        <Countdown esc={esc} now={now} />
      </p>
      <p class="hint">
        {t.escalations.raised} <When ts={esc.raisedAt} now={now} />
        {esc.citizenRef && ` · ${esc.citizenRef}`} ·{" "}
        <a href={paths.call(esc.callId)}>{t.board.toCall}</a>
      </p>
      {me?.partyId.startsWith("worker:") && esc.target?.id !== myself && (
        <div class="field checkbox">
          <input
            id={f("behalf")}
            data-testid="esc-on-behalf"
            type="checkbox"
            checked={onBehalf}
            onChange={(e) => setOnBehalf(e.currentTarget.checked)}
          />
          <label for={f("behalf")}>{t.escalations.onBehalf(esc.target?.id ?? "")}</label>
        </div>
      )}
      <div class="actions">
        <button
          type="button"
          data-testid="esc-acknowledge"
          disabled={!awaiting || ack.busy}
          onClick={() => void ack.run()}
        >
          {t.escalations.acknowledge}
        </button>
        <button
          type="button"
          data-testid="esc-accept"
          disabled={!(awaiting || answered) || accept.busy}
          onClick={() => void accept.run()}
        >
          {t.escalations.accept}
        </button>
      </div>
      <fieldset>
        <legend>{t.escalations.declineTitle}</legend>
        <EnumSelect
          id={f("reason")}
          testId="esc-decline-reason"
          label={t.escalations.declineReason}
          options={declineReasons}
          names={t.declineReason}
          value={reason}
          onChange={setReason}
        />
        <TextField
          id={f("text")}
          testId="esc-decline-text"
          label={t.escalations.declineText}
          value={explanation}
          onInput={setExplanation}
        />
        <EnumSelect
          id={f("next-level")}
          testId="esc-next-level"
          label={t.escalations.nextLevel}
          options={escalationLevels}
          names={t.escalationLevel}
          value={nextLevel}
          onChange={setNextLevel}
        />
        <TextField
          id={f("next-target")}
          testId="esc-next-target"
          label={t.escalations.nextTarget}
          value={nextTarget}
          placeholder="partner:akut-ishoj"
          onInput={setNextTarget}
        />
        <button
          type="button"
          data-testid="esc-decline"
          disabled={!(awaiting || answered) || decline.busy}
          onClick={() => void decline.run()}
        >
          {t.escalations.decline}
        </button>
      </fieldset>
      <fieldset>
        <legend>{t.escalations.resolveTitle}</legend>
        <TextField
          id={f("outcome")}
          testId="esc-resolve-outcome"
          label={t.escalations.outcome}
          value={outcome}
          onInput={setOutcome}
        />
        <button
          type="button"
          data-testid="esc-resolve"
          disabled={!(answered || accepted) || resolve.busy}
          onClick={() => void resolve.run()}
        >
          {t.escalations.resolve}
        </button>
      </fieldset>
      {esc.target?.id !== myself && (
        <fieldset>
          <legend>{t.escalations.cancelTitle}</legend>
          <TextField
            id={f("cancel")}
            testId="esc-cancel-reason"
            label={t.escalations.cancelReason}
            value={cancelReason}
            onInput={setCancelReason}
          />
          <button
            type="button"
            data-testid="esc-cancel"
            disabled={cancel.busy}
            onClick={() => void cancel.run()}
          >
            {t.escalations.cancel}
          </button>
        </fieldset>
      )}
      <ErrorAlert error={error} />
    </li>
  );
}

export function EscalationsScreen() {
  const { t } = useI18n();
  const { board } = useBoard();
  const now = useNow();
  const running = board?.runningEscalations ?? [];
  return (
    <section aria-labelledby="escalations-title">
      <h1 id="escalations-title">{t.escalations.title}</h1>
      <LineChooser />
      {running.length === 0 && <p>{t.board.noEscalations}</p>}
      <ul class="escalation-list">
        {running.map((e) => (
          <EscalationItem key={e.escalationId} esc={e} now={now} />
        ))}
      </ul>
    </section>
  );
}
