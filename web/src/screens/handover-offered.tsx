// An offer of the line made to me: its note as the board shows it (without
// sensitive text), accept (AcceptHandover) or decline (DeclineHandover).
import { useState } from "preact/hooks";
import { clients } from "../api";
import { LineHandoverDeclineReason } from "../gen/vagt/v1/events_pb";
import type { PendingHandover } from "../gen/vagt/v1/oncall_pb";
import { useCommand } from "../hooks";
import { useI18n } from "../i18n";
import { EnumSelect, ErrorAlert, PartyName, TextField, When } from "../ui";

const handoverDeclineReasons = [
  LineHandoverDeclineReason.NOT_ON_DUTY,
  LineHandoverDeclineReason.UNAVAILABLE,
  LineHandoverDeclineReason.NOTE_INCOMPLETE,
  LineHandoverDeclineReason.OTHER,
];

export function HandoverOffered({
  lineId,
  offer,
}: {
  lineId: string;
  offer: PendingHandover;
}) {
  const { t } = useI18n();
  const handoverId = offer.handoverId;
  const [reason, setReason] = useState(LineHandoverDeclineReason.UNAVAILABLE);
  const [explanation, setExplanation] = useState("");
  const accept = useCommand(
    (requestId) => clients.lines.acceptHandover({ requestId, lineId, handoverId }),
    t.handover.accepted,
  );
  const decline = useCommand(
    (requestId) =>
      clients.lines.declineHandover({
        requestId,
        lineId,
        handoverId,
        reason,
        explanation: explanation.trim(),
      }),
    t.handover.declined,
  );
  return (
    <section
      class="card offer"
      data-testid="handover-offered"
      aria-labelledby="offered-title"
    >
      <h2 id="offered-title">{t.handover.offeredToMe}</h2>
      <p>
        <PartyName party={offer.holder} />, <When ts={offer.offeredAt} />
        {offer.respondBy && (
          <>
            {" · "}
            {t.handover.respondBy} <When ts={offer.respondBy} />
          </>
        )}
      </p>
      <ul class="items">
        {offer.items.map((it, i) => (
          <li key={i}>
            {t.handoverItemKind[it.kind]} {it.callId || it.escalationId || it.citizenRef}
            {it.riskLevel ? `, ${t.risk[it.riskLevel]}` : ""}
          </li>
        ))}
      </ul>
      {offer.itemsWithheld > 0 && (
        <p class="hint">{t.board.withheld(offer.itemsWithheld)}</p>
      )}
      <div class="actions">
        <button
          type="button"
          data-testid="handover-accept"
          disabled={accept.busy}
          onClick={() => void accept.run()}
        >
          {t.handover.accept}
        </button>
      </div>
      <EnumSelect
        id="handover-decline-reason"
        label={t.handover.declineReason}
        options={handoverDeclineReasons}
        names={t.handoverDeclineReason}
        value={reason}
        onChange={setReason}
      />
      <TextField
        id="handover-decline-text"
        label={t.handover.declineText}
        value={explanation}
        onInput={setExplanation}
      />
      <button
        type="button"
        data-testid="handover-decline"
        disabled={decline.busy}
        onClick={() => void decline.run()}
      >
        {t.handover.decline}
      </button>
      <ErrorAlert error={accept.error ?? decline.error} />
    </section>
  );
}
