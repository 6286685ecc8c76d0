// A new call, fast: the line preselected, the caller kind, the citizen
// (optional) and the reason; the first field has the focus and Enter sends
// it (CallService.ReceiveCall), then the call's own screen opens.
import { useState } from "preact/hooks";
import { clients } from "../api";
import { useBoard } from "../board";
import { CallerKind, ContactChannel } from "../gen/vagt/v1/events_pb";
import { useCommand } from "../hooks";
import { useI18n } from "../i18n";
import { useLines } from "../lines";
import { navigate, paths } from "../router";
import { ErrorAlert, optionOf } from "../ui";
import { rememberOpened } from "./call-state";

const callerKinds = [
  CallerKind.CITIZEN,
  CallerKind.RELATIVE,
  CallerKind.PARTNER,
  CallerKind.ANONYMOUS,
  CallerKind.OTHER,
];
const channels = [
  ContactChannel.PHONE,
  ContactChannel.SMS,
  ContactChannel.VOICEMAIL,
  ContactChannel.SECURE_MESSAGE,
  ContactChannel.VIDEO,
  ContactChannel.IN_PERSON,
];

// Enter sends the call from a select too, as it does from a text field.
function submitOnEnter(e: KeyboardEvent) {
  if (e.key !== "Enter" || !(e.currentTarget instanceof HTMLSelectElement)) return;
  e.preventDefault();
  e.currentTarget.form?.requestSubmit();
}

export function NewCallScreen() {
  const { t } = useI18n();
  const board = useBoard();
  const lines = useLines();
  const [lineId, setLineId] = useState(board.lineId || lines[0] || "");
  const [callerKind, setCallerKind] = useState(CallerKind.CITIZEN);
  const [channel, setChannel] = useState(ContactChannel.PHONE);
  const [citizen, setCitizen] = useState("");
  const [relation, setRelation] = useState("");
  const [reason, setReason] = useState("");

  const receive = useCommand((requestId) =>
    clients.calls.receiveCall({
      requestId,
      lineId,
      callerKind,
      channel,
      citizenRef: citizen.trim(),
      details: { reason: reason.trim(), callerRelation: relation.trim() },
    }),
  );

  const submit = async (e: Event) => {
    e.preventDefault();
    const r = await receive.run();
    if (r) {
      rememberOpened(r.callId, citizen.trim());
      navigate(paths.call(r.callId));
    }
  };

  return (
    <section aria-labelledby="new-call-title">
      <h1 id="new-call-title">{t.newCall.title}</h1>
      <form class="form-grid" onSubmit={(e) => void submit(e)}>
        <div class="field">
          <label for="call-line">{t.newCall.line}</label>
          <select
            id="call-line"
            data-testid="call-line"
            value={lineId}
            required
            onKeyDown={submitOnEnter}
            onChange={(e) => setLineId(e.currentTarget.value)}
          >
            {[...new Set([lineId, ...lines])].filter(Boolean).map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="call-caller-kind">{t.newCall.callerKind}</label>
          <select
            id="call-caller-kind"
            data-testid="call-caller-kind"
            value={String(callerKind)}
            onKeyDown={submitOnEnter}
            onChange={(e) =>
              setCallerKind(optionOf(callerKinds, e.currentTarget.value, callerKind))
            }
          >
            {callerKinds.map((k) => (
              <option key={k} value={String(k)}>
                {t.callerKind[k]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="call-citizen">{t.newCall.citizen}</label>
          <input
            id="call-citizen"
            data-testid="call-citizen"
            value={citizen}
            // The worker types at once, while the caller speaks (the screen
            // exists for this field).
            // eslint-disable-next-line jsx-a11y/no-autofocus
            autoFocus
            autoComplete="off"
            placeholder="citizen-7f3a"
            aria-describedby="call-citizen-hint"
            onInput={(e) => setCitizen(e.currentTarget.value)}
          />
          <p id="call-citizen-hint" class="hint">
            {t.newCall.citizenHint}
          </p>
        </div>
        {callerKind === CallerKind.RELATIVE && (
          <div class="field">
            <label for="call-caller-relation">{t.newCall.relation}</label>
            <input
              id="call-caller-relation"
              data-testid="call-caller-relation"
              value={relation}
              autoComplete="off"
              onInput={(e) => setRelation(e.currentTarget.value)}
            />
          </div>
        )}
        <div class="field wide">
          <label for="call-reason">{t.newCall.reason}</label>
          <input
            id="call-reason"
            data-testid="call-reason"
            value={reason}
            autoComplete="off"
            onInput={(e) => setReason(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="call-channel">{t.newCall.channel}</label>
          <select
            id="call-channel"
            data-testid="call-channel"
            value={String(channel)}
            onKeyDown={submitOnEnter}
            onChange={(e) =>
              setChannel(optionOf(channels, e.currentTarget.value, channel))
            }
          >
            {channels.map((c) => (
              <option key={c} value={String(c)}>
                {t.channel[c]}
              </option>
            ))}
          </select>
        </div>
        <ErrorAlert error={receive.error} />
        <div class="actions wide">
          <button type="submit" data-testid="call-submit" disabled={receive.busy}>
            {t.newCall.submit}
          </button>
          <span class="hint">{t.newCall.enterHint}</span>
        </div>
      </form>
    </section>
  );
}
