// Small pieces every screen uses: the server's refusal shown as it said it,
// a command's success, a time in Copenhagen, a party.
import type { ConnectError } from "@connectrpc/connect";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { Party } from "./gen/vagt/v1/events_pb";
import { useI18n } from "./i18n";
import { partyText } from "./parties";
import { formatWhen, toDate } from "./time";

// A refusal or failure, in the server's own words (ConnectError.rawMessage).
export function ErrorAlert({ error }: { error: ConnectError | undefined }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <p role="alert" data-testid="error" class="error">
      <span class="visually-hidden">{t.common.errorPrefix} </span>
      {error.rawMessage || t.common.unknownError}
    </p>
  );
}

// An instant, shown in Europe/Copenhagen (the time alone when it is today).
export function When({ ts, now }: { ts: Timestamp | undefined; now?: Date }) {
  const { locale } = useI18n();
  const d = toDate(ts);
  if (!d) return <span>–</span>;
  return <time dateTime={d.toISOString()}>{formatWhen(d, locale, now)}</time>;
}

export function PartyName({ party }: { party: Party | undefined }) {
  const { t } = useI18n();
  return <span class="party">{partyText(party) || t.common.nobody}</span>;
}

// A download link for text or bytes the server returned, made into a Blob
// URL; the URL is released when the link goes.
export function blobUrl(content: BlobPart, type: string): string {
  return URL.createObjectURL(new Blob([content], { type }));
}

// The enum value a select's option stands for (options carry the numbers
// of the proto enums); `fallback` for anything else.
export function optionOf<E extends number>(
  options: readonly E[],
  raw: string,
  fallback: E,
): E {
  return options.find((o) => String(o) === raw) ?? fallback;
}
