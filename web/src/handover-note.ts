// The handover note as one text the outgoing worker edits, and the items
// OfferHandover takes. One line per item:
//
//   opkald <call id> – <text>          an open call          (en: call)
//   eskalering <escalation id> – <text> a running escalation (en: escalation)
//   borger <citizen-ref> – <text>      a citizen to watch    (en: citizen)
//   anything else                      a remark (no citizen data)
//
// The service sets each cited item's citizen from its call or escalation,
// and decides what the recipient may see.
import { create } from "@bufbuild/protobuf";
import {
  HandoverItemKind,
  HandoverItemSchema,
  type HandoverItem,
} from "./gen/vagt/v1/events_pb";
import type { Board } from "./gen/vagt/v1/oncall_pb";
import type { Messages } from "./i18n";

const kLine =
  /^(opkald|call|eskalering|escalation|borger|citizen)\s+(\S+)\s*(?:[–-]\s*(.*))?$/i;

export function parseNote(note: string): HandoverItem[] {
  const items: HandoverItem[] = [];
  const remarks: string[] = [];
  for (const raw of note.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const m = kLine.exec(line);
    const word = m?.[1]?.toLowerCase();
    const id = m?.[2] ?? "";
    const text = (m?.[3] ?? "").trim();
    if (word === "opkald" || word === "call") {
      items.push(item(HandoverItemKind.OPEN_CALL, { callId: id }, text));
    } else if (word === "eskalering" || word === "escalation") {
      items.push(item(HandoverItemKind.RUNNING_ESCALATION, { escalationId: id }, text));
    } else if ((word === "borger" || word === "citizen") && id.startsWith("citizen-")) {
      items.push(item(HandoverItemKind.CITIZEN_TO_WATCH, { citizenRef: id }, text));
    } else {
      remarks.push(line);
    }
  }
  if (remarks.length) items.push(item(HandoverItemKind.REMARK, {}, remarks.join("\n")));
  return items;
}

function item(
  kind: HandoverItemKind,
  ids: { callId?: string; escalationId?: string; citizenRef?: string },
  text: string,
): HandoverItem {
  return create(HandoverItemSchema, { kind, ...ids, sensitive: { text } });
}

// The note prefilled from the board's open items: each open call and each
// running escalation on its own line, for the worker to complete.
export function prefillNote(board: Board | undefined, t: Messages): string {
  if (!board) return "";
  const lines: string[] = [];
  for (const c of board.openCalls) {
    const about = [
      c.citizenRef,
      c.latestRisk ? `${t.board.risk} ${t.risk[c.latestRisk]}` : "",
    ]
      .filter(Boolean)
      .join(", ");
    lines.push(`${t.handover.wordCall} ${c.callId} – ${about}`);
  }
  for (const e of board.runningEscalations) {
    const about = [t.escalationLevel[e.level], t.escalationStatus[e.status], e.citizenRef]
      .filter(Boolean)
      .join(", ");
    lines.push(`${t.handover.wordEscalation} ${e.escalationId} – ${about}`);
  }
  return lines.join("\n");
}
