// An override of the roster (RosterService.AddOverride): who covers a role
// from a local start to a local end, in Copenhagen time as typed.
import { useState } from "preact/hooks";
import { clients } from "../api";
import { PartyKind, RosterOverrideReason, RosterRole } from "../gen/vagt/v1/events_pb";
import { useCommand } from "../hooks";
import { useI18n } from "../i18n";
import { partyFromId } from "../parties";
import { EnumSelect, ErrorAlert, TextField } from "../ui";

const roles = [RosterRole.DUTY, RosterRole.BACKUP];
const reasons = [
  RosterOverrideReason.SWAP,
  RosterOverrideReason.ABSENCE,
  RosterOverrideReason.EXTRA_COVER,
  RosterOverrideReason.OTHER,
];

// A datetime-local value as the LocalDateTime the roster keeps.
function localDateTime(value: string) {
  const [date, clock] = value.split("T");
  const [hour, minute] = (clock ?? "").split(":").map(Number);
  return { localDate: date ?? "", time: { hour: hour ?? 0, minute: minute ?? 0 } };
}

export function OverrideForm({
  lineId,
  onAdded,
}: {
  lineId: string;
  onAdded: () => void;
}) {
  const { t } = useI18n();
  const [role, setRole] = useState(RosterRole.DUTY);
  const [by, setBy] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [reason, setReason] = useState(RosterOverrideReason.SWAP);
  const [note, setNote] = useState("");
  const add = useCommand(
    (requestId) =>
      clients.roster.addOverride({
        requestId,
        lineId,
        role,
        coveredBy: partyFromId(by, PartyKind.NIGHT_PARTNER),
        start: localDateTime(from),
        end: localDateTime(to),
        reason,
        note: note.trim(),
      }),
    t.roster.added,
  );
  return (
    <section class="card" aria-labelledby="override-title">
      <h2 id="override-title">{t.roster.overrideTitle}</h2>
      <form
        class="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void add.run().then((r) => r && onAdded());
        }}
      >
        <EnumSelect
          id="override-role"
          label={t.roster.role}
          options={roles}
          names={t.rosterRole}
          value={role}
          onChange={setRole}
        />
        <TextField
          id="override-by"
          label={t.roster.coveredBy}
          value={by}
          placeholder="worker:bo"
          onInput={setBy}
        />
        <TextField
          id="override-from"
          label={t.roster.from}
          type="datetime-local"
          value={from}
          onInput={setFrom}
        />
        <TextField
          id="override-to"
          label={t.roster.to}
          type="datetime-local"
          value={to}
          onInput={setTo}
        />
        <EnumSelect
          id="override-reason"
          label={t.roster.reason}
          options={reasons}
          names={t.overrideReason}
          value={reason}
          onChange={setReason}
        />
        <TextField
          id="override-note"
          label={t.roster.note}
          value={note}
          onInput={setNote}
        />
        <ErrorAlert error={add.error} />
        <div class="actions wide">
          <button type="submit" data-testid="override-submit" disabled={add.busy}>
            {t.roster.addOverride}
          </button>
        </div>
      </form>
    </section>
  );
}
