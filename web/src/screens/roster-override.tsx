// An override of the roster (RosterService.AddOverride): who covers a role
// from a local start to a local end, in Copenhagen time as typed.
import { useState } from "preact/hooks";
import { clients } from "../api";
import { PartyKind, RosterOverrideReason, RosterRole } from "../gen/vagt/v1/events_pb";
import { useCommand } from "../hooks";
import { useI18n } from "../i18n";
import { partyFromId } from "../parties";
import { ErrorAlert, optionOf } from "../ui";

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
        <div class="field">
          <label for="override-role">{t.roster.role}</label>
          <select
            id="override-role"
            data-testid="override-role"
            value={String(role)}
            onChange={(e) => setRole(optionOf(roles, e.currentTarget.value, role))}
          >
            {roles.map((r) => (
              <option key={r} value={String(r)}>
                {t.rosterRole[r]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="override-by">{t.roster.coveredBy}</label>
          <input
            id="override-by"
            data-testid="override-by"
            value={by}
            placeholder="worker:bo"
            autoComplete="off"
            onInput={(e) => setBy(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="override-from">{t.roster.from}</label>
          <input
            id="override-from"
            data-testid="override-from"
            type="datetime-local"
            value={from}
            onInput={(e) => setFrom(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="override-to">{t.roster.to}</label>
          <input
            id="override-to"
            data-testid="override-to"
            type="datetime-local"
            value={to}
            onInput={(e) => setTo(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="override-reason">{t.roster.reason}</label>
          <select
            id="override-reason"
            data-testid="override-reason"
            value={String(reason)}
            onChange={(e) => setReason(optionOf(reasons, e.currentTarget.value, reason))}
          >
            {reasons.map((r) => (
              <option key={r} value={String(r)}>
                {t.overrideReason[r]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="override-note">{t.roster.note}</label>
          <input
            id="override-note"
            data-testid="override-note"
            value={note}
            autoComplete="off"
            onInput={(e) => setNote(e.currentTarget.value)}
          />
        </div>
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
