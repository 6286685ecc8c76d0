// The risk assessment (CallService.AssessRisk) and notes (AddNote) of a call.
import { useState } from "preact/hooks";
import { clients } from "../api";
import { RiskLevel } from "../gen/vagt/v1/events_pb";
import { useCommand } from "../hooks";
import { useI18n } from "../i18n";
import { EnumSelect, ErrorAlert, TextField } from "../ui";

const levels = [
  RiskLevel.NONE,
  RiskLevel.LOW,
  RiskLevel.MODERATE,
  RiskLevel.HIGH,
  RiskLevel.ACUTE,
];

export function RiskForm({ callId }: { callId: string }) {
  const { t } = useI18n();
  const [level, setLevel] = useState(RiskLevel.LOW);
  const [reason, setReason] = useState("");
  const assess = useCommand(
    (requestId) =>
      clients.calls.assessRisk({ requestId, callId, level, reason: reason.trim() }),
    t.call.riskDone,
  );
  return (
    <section class="card" aria-labelledby="risk-title">
      <h2 id="risk-title">{t.call.riskTitle}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void assess.run();
        }}
      >
        <EnumSelect
          id="call-risk"
          label={t.call.riskLevel}
          options={levels}
          names={t.risk}
          value={level}
          onChange={setLevel}
        />
        <TextField
          id="call-risk-reason"
          label={t.call.riskReason}
          value={reason}
          onInput={setReason}
        />
        <ErrorAlert error={assess.error} />
        <button type="submit" data-testid="risk-submit" disabled={assess.busy}>
          {t.call.riskSubmit}
        </button>
      </form>
    </section>
  );
}

export function NoteForm({ callId }: { callId: string }) {
  const { t } = useI18n();
  const [text, setText] = useState("");
  const [added, setAdded] = useState<string[]>([]);
  const add = useCommand(
    (requestId) => clients.calls.addNote({ requestId, callId, text: text.trim() }),
    t.call.noteDone,
  );
  return (
    <section class="card" aria-labelledby="note-title">
      <h2 id="note-title">{t.call.notesTitle}</h2>
      {added.length > 0 && (
        <ul class="items">
          {added.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const written = text.trim();
          void add.run().then((r) => {
            if (!r) return;
            setAdded((a) => [...a, written]);
            setText("");
          });
        }}
      >
        <TextField
          id="note-text"
          label={t.call.note}
          rows={3}
          value={text}
          onInput={setText}
        />
        <ErrorAlert error={add.error} />
        <button type="submit" data-testid="note-submit" disabled={add.busy}>
          {t.call.noteSubmit}
        </button>
      </form>
    </section>
  );
}
