// Handover: offer the line with the note (LineService.OfferHandover, the
// note prefilled from the open calls and running escalations), withdraw an
// offer, and accept or decline an offer made to me. Take the line back from
// the night partner in the morning (TakeBack).
import { useEffect, useState } from "preact/hooks";
import { clients } from "../api";
import { useAuth } from "../auth";
import { useBoard } from "../board";
import { LineState } from "../gen/vagt/v1/oncall_pb";
import { parseNote, prefillNote } from "../handover-note";
import { useCommand } from "../hooks";
import { useI18n } from "../i18n";
import { LineChooser } from "../line-chooser";
import { partyFromId } from "../parties";
import { instantFromInput, toTimestamp } from "../time";
import { ErrorAlert, TextField } from "../ui";
import { HandoverOffered } from "./handover-offered";

export function HandoverScreen() {
  const { t } = useI18n();
  const { me } = useAuth();
  const { board, lineId } = useBoard();
  const [to, setTo] = useState("");
  const [note, setNote] = useState("");
  const [edited, setEdited] = useState(false);
  const [respondBy, setRespondBy] = useState("");
  const prefill = prefillNote(board, t);
  useEffect(() => {
    if (!edited) setNote(prefill);
  }, [prefill, edited]);

  const items = parseNote(note);
  const offer = useCommand((requestId) => {
    const by = instantFromInput(respondBy);
    return clients.lines.offerHandover({
      requestId,
      lineId,
      offeredTo: partyFromId(to),
      items,
      respondBy: by ? toTimestamp(by) : undefined,
    });
  }, t.handover.offered);
  const pending = board?.pendingHandover;
  const withdraw = useCommand(
    (requestId) =>
      clients.lines.withdrawHandover({
        requestId,
        lineId,
        handoverId: pending?.handoverId ?? "",
      }),
    t.handover.withdrawn,
  );
  const takeBack = useCommand(
    (requestId) => clients.lines.takeBack({ requestId, lineId, items: parseNote(note) }),
    t.handover.takenBack,
  );

  const candidates = [board?.planned?.duty?.id, board?.planned?.backup?.id].filter(
    (x): x is string => !!x && x !== me?.partyId,
  );
  const offeredToMe =
    pending && pending.offeredTo?.id === me?.partyId ? pending : undefined;
  const iHold = board?.holder?.id === me?.partyId;

  return (
    <section aria-labelledby="handover-title">
      <h1 id="handover-title">{t.handover.title}</h1>
      <LineChooser />
      {offeredToMe && <HandoverOffered lineId={lineId} offer={offeredToMe} />}
      {pending && iHold && (
        <div class="card">
          <p>{t.handover.pendingMine(pending.offeredTo?.id ?? "")}</p>
          <ErrorAlert error={withdraw.error} />
          <button
            type="button"
            data-testid="handover-withdraw"
            disabled={withdraw.busy}
            onClick={() => void withdraw.run()}
          >
            {t.handover.withdraw}
          </button>
        </div>
      )}
      <section class="card" aria-labelledby="offer-title">
        <h2 id="offer-title">{t.handover.offerTitle}</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void offer.run().then((r) => r && setEdited(false));
          }}
        >
          <TextField
            id="handover-to"
            label={t.handover.to}
            list="handover-candidates"
            value={to}
            placeholder="worker:bo / partner:natpartner"
            hint={t.handover.toHint}
            onInput={setTo}
          >
            <datalist id="handover-candidates">
              {candidates.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          </TextField>
          <TextField
            id="handover-note"
            label={t.handover.note}
            rows={6}
            value={note}
            hint={t.handover.noteHint}
            onInput={(v) => {
              setEdited(true);
              setNote(v);
            }}
          >
            <p class="hint" aria-live="polite">
              {t.handover.itemCount(items.length)}
            </p>
          </TextField>
          <TextField
            id="handover-respond-by"
            label={t.handover.respondBy}
            type="datetime-local"
            value={respondBy}
            onInput={setRespondBy}
          />
          <ErrorAlert error={offer.error} />
          <button type="submit" data-testid="handover-offer" disabled={offer.busy}>
            {t.handover.offer}
          </button>
        </form>
      </section>
      {board?.state === LineState.HELD_BY_NIGHT && me?.partyId.startsWith("worker:") && (
        <section class="card" aria-labelledby="takeback-title">
          <h2 id="takeback-title">{t.handover.takeBackTitle}</h2>
          <p class="hint">{t.handover.takeBackHint}</p>
          <ErrorAlert error={takeBack.error} />
          <button
            type="button"
            data-testid="take-back"
            disabled={takeBack.busy}
            onClick={() => void takeBack.run()}
          >
            {t.handover.takeBack}
          </button>
        </section>
      )}
    </section>
  );
}
