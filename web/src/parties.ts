// Parties as the forms name them: a party id ("worker:anna",
// "partner:natpartner") turned into the Party a request carries. The kind
// follows the id's prefix, as the services require ("worker:<id>" exactly
// when the kind is TEAM_WORKER); a partner's kind is the one the form
// means (the night partner for a handover, the level's party for an
// escalation).
import { create } from "@bufbuild/protobuf";
import { PartyKind, PartySchema, type Party } from "./gen/vagt/v1/events_pb";

export function partyFromId(id: string, partnerKind = PartyKind.NIGHT_PARTNER): Party {
  const clean = id.trim();
  const kind = clean.startsWith("worker:")
    ? PartyKind.TEAM_WORKER
    : clean.startsWith("partner:")
      ? partnerKind
      : PartyKind.UNSPECIFIED;
  return create(PartySchema, { id: clean, kind });
}

// "Anna Jensen (worker:anna)", or the id alone when no name was recorded.
export function partyText(p: Party | undefined): string {
  if (!p?.id) return "";
  return p.displayName ? `${p.displayName} (${p.id})` : p.id;
}
