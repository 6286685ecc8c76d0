// The roster: a week as a calendar grid (prev/next), or the four weeks of
// the cycle; overrides (AddOverride, RemoveOverride); the calendar to
// subscribe to (ExportIcs, offered as a download made from the returned
// text through a Blob URL).
import { useEffect, useState } from "preact/hooks";
import { clients } from "../api";
import { useBoard } from "../board";
import { useCommand, useQuery } from "../hooks";
import { useI18n } from "../i18n";
import { LineChooser } from "../line-chooser";
import { addDays, instantFromLocal, localDate, toTimestamp } from "../time";
import { blobUrl, ErrorAlert } from "../ui";
import { OverrideForm } from "./roster-override";
import { WeekGrid } from "./roster-week";

function useIcsLink(lineId: string, weekStart: string, version: number) {
  const [url, setUrl] = useState("");
  const [count, setCount] = useState(0);
  const exportIcs = useQuery(() => {
    const from = instantFromLocal(weekStart, "00:00");
    return clients.roster.exportIcs({
      lineId,
      from: from ? toTimestamp(from) : undefined,
    });
  });
  useEffect(() => {
    if (!lineId || !weekStart) return;
    let made = "";
    void exportIcs.run().then((r) => {
      if (!r) return;
      made = blobUrl(r.ics, r.contentType || "text/calendar");
      setUrl(made);
      setCount(r.eventCount);
    });
    return () => {
      if (made) URL.revokeObjectURL(made);
    };
  }, [lineId, weekStart, version]);
  return { url, count, error: exportIcs.error };
}

export function RosterScreen() {
  const { t } = useI18n();
  const { lineId } = useBoard();
  const [weekOf, setWeekOf] = useState(() => localDate(new Date()));
  const [weekStart, setWeekStart] = useState("");
  const [four, setFour] = useState(false);
  const [version, setVersion] = useState(0);
  const ics = useIcsLink(lineId, weekStart, version);
  const remove = useCommand(
    (requestId, overrideId: string) =>
      clients.roster.removeOverride({ requestId, lineId, overrideId }),
    t.roster.removed,
  );
  const base = weekStart || weekOf;

  return (
    <section aria-labelledby="roster-title">
      <h1 id="roster-title">{t.roster.title}</h1>
      <LineChooser />
      <div class="actions">
        <button
          type="button"
          data-testid="roster-prev"
          onClick={() => setWeekOf(addDays(base, -7))}
        >
          {t.roster.prev}
        </button>
        <button
          type="button"
          data-testid="roster-today"
          onClick={() => setWeekOf(localDate(new Date()))}
        >
          {t.roster.thisWeek}
        </button>
        <button
          type="button"
          data-testid="roster-next"
          onClick={() => setWeekOf(addDays(base, 7))}
        >
          {t.roster.next}
        </button>
        <button
          type="button"
          data-testid="roster-cycle"
          aria-pressed={four}
          onClick={() => setFour((f) => !f)}
        >
          {t.roster.fourWeeks}
        </button>
        {ics.url && (
          <a
            href={ics.url}
            download={`vagtplan-${lineId}.ics`}
            data-testid="roster-ics"
            type="text/calendar"
          >
            {t.roster.ics(ics.count)}
          </a>
        )}
      </div>
      <ErrorAlert error={ics.error ?? remove.error} />
      {lineId &&
        [0, 1, 2, 3]
          .slice(0, four ? 4 : 1)
          .map((n) => (
            <WeekGrid
              key={n}
              lineId={lineId}
              weekOf={addDays(weekOf, 7 * n)}
              testid={n === 0 ? "roster-week" : `roster-week-${String(n + 1)}`}
              version={version}
              onRemove={(id) =>
                void remove.run(id).then((r) => r && setVersion((v) => v + 1))
              }
              onLoaded={n === 0 ? (r) => setWeekStart(r.weekStart) : undefined}
            />
          ))}
      <OverrideForm lineId={lineId} onAdded={() => setVersion((v) => v + 1)} />
    </section>
  );
}
