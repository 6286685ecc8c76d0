// Small pieces every screen uses: the server's refusal shown as it said it,
// a command's success, a time in Copenhagen, a party, a form's labelled
// fields.
import type { ConnectError } from "@connectrpc/connect";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
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

// A form's field: its label, its control (whose id is `id`), and an
// optional hint below it, with the id `${id}-hint` the control is
// described by; `children` follow the hint.
function Field(props: {
  id: string;
  label: string;
  hint?: string;
  wide?: boolean;
  children: ComponentChildren;
}) {
  return (
    <div class={props.wide ? "field wide" : "field"}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <p id={hintId(props.id)} class="hint">
          {props.hint}
        </p>
      )}
    </div>
  );
}

function hintId(id: string) {
  return `${id}-hint`;
}

// A labelled text field. `testId` (the browser tests' name) is `id` unless
// given; `rows` makes it a textarea, `type` a date and time input; a text
// input never autocompletes (what is typed is about citizens, not the
// browser's to remember); `children` (a datalist, a live count) follow the
// hint.
export function TextField(props: {
  id: string;
  testId?: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  type?: "datetime-local";
  rows?: number;
  placeholder?: string;
  list?: string;
  autoFocus?: boolean;
  hint?: string;
  wide?: boolean;
  children?: ComponentChildren;
}) {
  // The autofocus attribute counts only when a document loads; a screen
  // the console shows later (a hash route) gets the focus when it mounts,
  // so a keyboard user lands in its first field.
  const input = useRef<HTMLInputElement>(null);
  const { autoFocus } = props;
  useEffect(() => {
    if (autoFocus) input.current?.focus();
  }, [autoFocus]);
  const common = {
    id: props.id,
    "data-testid": props.testId ?? props.id,
    value: props.value,
    placeholder: props.placeholder,
    "aria-describedby": props.hint ? hintId(props.id) : undefined,
  };
  return (
    <Field id={props.id} label={props.label} hint={props.hint} wide={props.wide}>
      {props.rows ? (
        <textarea
          {...common}
          rows={props.rows}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      ) : (
        <input
          {...common}
          ref={input}
          type={props.type}
          list={props.list}
          autoComplete={props.type ? undefined : "off"}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      )}
      {props.children}
    </Field>
  );
}

// A labelled select of enum values: one option a value of `options`, in
// that order, named by `names` (the enum's labels, t.urgency and the like);
// each option's value is the enum's number. `testId` is `id` unless given.
// `inline` puts the label and the select in a row of actions (class
// "inline-label") instead of a field of their own, without a hint.
export function EnumSelect<E extends number>(props: {
  id: string;
  testId?: string;
  label: string;
  options: readonly E[];
  names: Readonly<Record<NoInfer<E>, string>>;
  value: NoInfer<E>;
  onChange: (value: E) => void;
  onKeyDown?: (e: KeyboardEvent) => void;
  hint?: string;
  inline?: boolean;
}) {
  const select = (
    <select
      id={props.id}
      data-testid={props.testId ?? props.id}
      value={String(props.value)}
      aria-describedby={props.hint ? hintId(props.id) : undefined}
      onKeyDown={props.onKeyDown}
      onChange={(e) =>
        props.onChange(optionOf(props.options, e.currentTarget.value, props.value))
      }
    >
      {props.options.map((o) => (
        <option key={o} value={String(o)}>
          {props.names[o]}
        </option>
      ))}
    </select>
  );
  if (props.inline) {
    return (
      <>
        <label for={props.id} class="inline-label">
          {props.label}
        </label>
        {select}
      </>
    );
  }
  return (
    <Field id={props.id} label={props.label} hint={props.hint}>
      {select}
    </Field>
  );
}

// The enum value a select's option stands for (options carry the numbers
// of the proto enums); `fallback` for anything else.
function optionOf<E extends number>(options: readonly E[], raw: string, fallback: E): E {
  return options.find((o) => String(o) === raw) ?? fallback;
}
