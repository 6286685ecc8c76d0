// One event of a timeline as the reviewer reads it: when, who, what, and
// the texts it holds; the whole payload (protobuf JSON) behind a details
// toggle, for what the summary leaves out.
import { toJsonString } from "@bufbuild/protobuf";
import {
  EventPayloadSchema,
  type EventEnvelope,
  type EventPayload,
} from "../gen/vagt/v1/events_pb";
import { useI18n, type Messages } from "../i18n";
import { partyText } from "../parties";
import { When } from "../ui";

function summary(p: EventPayload | undefined, t: Messages): string {
  const e = p?.event;
  if (!e) return "";
  const join = (...xs: (string | undefined)[]) => xs.filter(Boolean).join(" · ");
  switch (e.case) {
    case "callReceived":
      return join(
        t.callerKind[e.value.callerKind],
        e.value.citizenRef,
        e.value.sensitive?.reason,
      );
    case "callNoteAdded":
      return e.value.sensitive?.text ?? "";
    case "callRiskAssessed":
      return join(t.risk[e.value.level], e.value.sensitive?.reason);
    case "callCrisisPlanConsulted":
      return join(
        t.lookupResult[e.value.result],
        e.value.crisisPlanRevision ? `rev. ${String(e.value.crisisPlanRevision)}` : "",
        e.value.sensitive?.note,
      );
    case "callClosed":
      return join(
        t.outcome[e.value.outcome],
        e.value.sensitive?.summary,
        e.value.sensitive?.followUpTask,
      );
    case "escalationRaised":
      return join(
        `${t.escalationLevel[e.value.level]} → ${partyText(e.value.target)}`,
        t.urgency[e.value.urgency],
        e.value.sensitive?.reason,
      );
    case "escalationAcknowledged":
      return partyText(e.value.acknowledgedBy);
    case "escalationAccepted":
      return join(partyText(e.value.acceptedBy), e.value.sensitive?.note);
    case "escalationDeclined":
      return join(
        partyText(e.value.declinedBy),
        `→ ${t.escalationLevel[e.value.toLevel]} ${partyText(e.value.toTarget)}`,
        e.value.sensitive?.reason,
      );
    case "escalationTimedOut":
      return `${t.escalationLevel[e.value.fromLevel]} → ${t.escalationLevel[e.value.toLevel]} ${partyText(e.value.toTarget)}`;
    case "escalationResolved":
      return join(partyText(e.value.resolvedBy), e.value.sensitive?.outcome);
    case "escalationCancelled":
      return e.value.sensitive?.reason ?? "";
    case "lineCoverageTaken":
      return partyText(e.value.holder);
    case "lineHandoverOffered":
      return join(
        `${partyText(e.value.holder)} → ${partyText(e.value.offeredTo)}`,
        t.handover.itemCount(e.value.items.length),
      );
    case "lineHandoverAccepted":
      return partyText(e.value.acceptedBy);
    case "lineHandoverDeclined":
      return join(partyText(e.value.declinedBy), t.handoverDeclineReason[e.value.reason]);
    case "sensitiveDataAccessed":
      return join(t.purpose[e.value.purpose], e.value.query);
    case "accessRefused":
      return join(e.value.method, e.value.reason);
    default:
      return "";
  }
}

export function TimelineEvent({ ev }: { ev: EventEnvelope }) {
  const { t } = useI18n();
  const type = ev.type.replace(/^vagt\.v1\./, "");
  return (
    <li
      class="event"
      data-testid="timeline-event"
      data-position={String(ev.globalPosition)}
    >
      <p>
        <When ts={ev.occurredAt} /> · <strong>{t.eventType[type] ?? type}</strong> ·{" "}
        {ev.actor}
      </p>
      <p>{summary(ev.payload, t)}</p>
      {ev.payload && (
        <details>
          <summary>{t.review.details}</summary>
          <pre>{toJsonString(EventPayloadSchema, ev.payload, { prettySpaces: 2 })}</pre>
        </details>
      )}
    </li>
  );
}
