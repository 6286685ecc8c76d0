// Times as the users see them: Europe/Copenhagen, 24-hour clock. vagt keeps
// UTC instants (google.protobuf.Timestamp); the roster and the forms speak
// Copenhagen wall time, turned into instants here with the zone's own rules
// (so 22:00 stays 22:00 across the daylight-saving changes).
import { timestampDate, timestampFromDate, type Timestamp } from "@bufbuild/protobuf/wkt";

export const kZone = "Europe/Copenhagen";

type Locale = "da-DK" | "en-GB";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(
  locale: Locale,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone: kZone,
      hourCycle: "h23",
      ...options,
    });
    formatters.set(key, f);
  }
  return f;
}

export function toDate(ts: Timestamp | undefined): Date | undefined {
  return ts ? timestampDate(ts) : undefined;
}

export function toTimestamp(d: Date): Timestamp {
  return timestampFromDate(d);
}

// "24.11.2026 22.00" (da) / "24/11/2026 22:00" (en).
export function formatDateTime(d: Date, locale: Locale): string {
  return formatter(locale, {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(d);
}

export function formatTime(d: Date, locale: Locale): string {
  return formatter(locale, { hour: "2-digit", minute: "2-digit" }).format(d);
}

// "man. 24. nov." / "Mon 24 Nov".
export function formatDay(d: Date, locale: Locale): string {
  return formatter(locale, { weekday: "short", day: "numeric", month: "short" }).format(
    d,
  );
}

// The time alone when `d` is on the same Copenhagen day as `now`, else date
// and time.
export function formatWhen(d: Date, locale: Locale, now = new Date()): string {
  return localDate(d) === localDate(now)
    ? formatTime(d, locale)
    : formatDateTime(d, locale);
}

function zoneParts(d: Date): Record<string, number> {
  const parts = formatter("en-GB", {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(d);
  const out: Record<string, number> = {};
  for (const p of parts) if (p.type !== "literal") out[p.type] = Number(p.value);
  return out;
}

// Milliseconds Copenhagen is ahead of UTC at instant `utcMs`.
function zoneOffsetMs(utcMs: number): number {
  const p = zoneParts(new Date(utcMs));
  const wall = Date.UTC(
    p.year ?? 0,
    (p.month ?? 1) - 1,
    p.day,
    p.hour,
    p.minute,
    p.second,
  );
  return wall - Math.floor(utcMs / 1000) * 1000;
}

// "YYYY-MM-DD" of `d` in Copenhagen.
export function localDate(d: Date): string {
  const p = zoneParts(d);
  const two = (n: number | undefined) => String(n ?? 0).padStart(2, "0");
  return `${String(p.year)}-${two(p.month)}-${two(p.day)}`;
}

// "HH:MM" of `d` in Copenhagen.
export function localClock(d: Date): string {
  const p = zoneParts(d);
  return `${String(p.hour ?? 0).padStart(2, "0")}:${String(p.minute ?? 0).padStart(2, "0")}`;
}

// The instant of a Copenhagen wall time ("2026-11-24", "22:00"); undefined
// for text that is no date or time. A time the spring change skips comes out
// an hour later; one the autumn change repeats, as its first occurrence.
export function instantFromLocal(date: string, clock: string): Date | undefined {
  const dm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const tm = /^(\d{1,2}):(\d{2})$/.exec(clock);
  if (!dm || !tm) return undefined;
  const wall = Date.UTC(
    Number(dm[1]),
    Number(dm[2]) - 1,
    Number(dm[3]),
    Number(tm[1]),
    Number(tm[2]),
  );
  const first = wall - zoneOffsetMs(wall);
  return new Date(wall - zoneOffsetMs(first));
}

// The instant of a datetime-local input's value ("2026-11-24T22:00"), read
// as Copenhagen time whatever the browser's own zone.
export function instantFromInput(value: string): Date | undefined {
  const [date, clock] = value.split("T");
  return date && clock ? instantFromLocal(date, clock.slice(0, 5)) : undefined;
}

// A datetime-local input's value for instant `d`, in Copenhagen time.
export function inputValue(d: Date): string {
  return `${localDate(d)}T${localClock(d)}`;
}

// "YYYY-MM-DD" plus `days` (calendar arithmetic, no zone involved).
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  const t = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days));
  return t.toISOString().slice(0, 10);
}

// 1 (Monday) .. 7 (Sunday) of a "YYYY-MM-DD".
export function isoWeekday(date: string): number {
  const [y, m, d] = date.split("-").map(Number);
  const wd = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

// "4:05" / "1:02:09" for a number of seconds (negative: its absolute value).
export function formatClockDuration(seconds: number): string {
  const s = Math.abs(Math.trunc(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0
    ? `${String(h)}:${String(m).padStart(2, "0")}:${sec}`
    : `${String(m)}:${sec}`;
}
