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
import { EnumSelect, ErrorAlert, TextField } from "../ui";
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
        <EnumSelect
          id="call-caller-kind"
          label={t.newCall.callerKind}
          options={callerKinds}
          names={t.callerKind}
          value={callerKind}
          onKeyDown={submitOnEnter}
          onChange={setCallerKind}
        />
        <TextField
          id="call-citizen"
          label={t.newCall.citizen}
          value={citizen}
          // The worker types at once, while the caller speaks (the screen
          // exists for this field).
          // eslint-disable-next-line jsx-a11y/no-autofocus
          autoFocus
          placeholder="citizen-7f3a"
          hint={t.newCall.citizenHint}
          onInput={setCitizen}
        />
        {callerKind === CallerKind.RELATIVE && (
          <TextField
            id="call-caller-relation"
            label={t.newCall.relation}
            value={relation}
            onInput={setRelation}
          />
        )}
        <TextField
          id="call-reason"
          label={t.newCall.reason}
          wide
          value={reason}
          onInput={setReason}
        />
        <EnumSelect
          id="call-channel"
          label={t.newCall.channel}
          options={channels}
          names={t.channel}
          value={channel}
          onKeyDown={submitOnEnter}
          onChange={setChannel}
        />
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
