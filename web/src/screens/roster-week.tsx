// One week of the roster as a calendar grid (RosterService.ShowWeek): a
// column per day, each shift in every day it covers, in Copenhagen time as
// the service gives it ("YYYY-MM-DD HH:MM").
import { useEffect } from "preact/hooks";
import { clients } from "../api";
import { RosterRole } from "../gen/vagt/v1/events_pb";
import type { PlannedShift, ShowWeekResponse } from "../gen/vagt/v1/roster_pb";
import { useQuery } from "../hooks";
import { useI18n } from "../i18n";
import { addDays, formatDay, instantFromLocal, localDate } from "../time";
import { ErrorAlert, PartyName } from "../ui";

interface Segment {
  shift: PlannedShift;
  from: string;
  to: string;
}

// The parts of the shifts that fall on `day`.
function segmentsOf(shifts: PlannedShift[], day: string): Segment[] {
  const dayStart = `${day} 00:00`;
  const dayEnd = `${addDays(day, 1)} 00:00`;
  return shifts
    .filter((s) => s.localStart < dayEnd && s.localEnd > dayStart)
    .map((s) => ({
      shift: s,
      from: s.localStart > dayStart ? s.localStart.slice(11) : "00:00",
      to: s.localEnd < dayEnd ? s.localEnd.slice(11) : "24:00",
    }))
    .sort((a, b) => a.from.localeCompare(b.from) || a.shift.role - b.shift.role);
}

export function WeekGrid(props: {
  lineId: string;
  weekOf: string;
  testid: string;
  version: number;
  onRemove?: (overrideId: string) => void;
  onLoaded?: (r: ShowWeekResponse) => void;
}) {
  const { t, locale } = useI18n();
  const week = useQuery(() =>
    clients.roster.showWeek({ lineId: props.lineId, weekOf: props.weekOf }),
  );
  useEffect(() => {
    if (!props.lineId) return;
    void week.run().then((r) => r && props.onLoaded?.(r));
  }, [props.lineId, props.weekOf, props.version]);

  const r = week.result;
  const start = r?.weekStart ?? "";
  const today = localDate(new Date());
  return (
    <div>
      <ErrorAlert error={week.error} />
      {r && (
        <>
          <h2>{t.roster.weekOf(start)}</h2>
          <ol class="week" data-testid={props.testid} data-week-start={start}>
            {Array.from({ length: 7 }, (_, i) => addDays(start, i)).map((day) => {
              const noon = instantFromLocal(day, "12:00") ?? new Date();
              return (
                <li key={day} class={day === today ? "day today" : "day"} data-day={day}>
                  <h3>{formatDay(noon, locale)}</h3>
                  <ul>
                    {segmentsOf(r.shifts, day).map((s, j) => (
                      <li
                        key={j}
                        class={
                          s.shift.role === RosterRole.BACKUP ? "shift backup" : "shift"
                        }
                        data-testid="roster-shift"
                      >
                        <span class="shift-time">
                          {s.from}–{s.to}
                        </span>{" "}
                        {t.rosterRole[s.shift.role]}: <PartyName party={s.shift.party} />
                        {s.shift.overrideId && (
                          <>
                            {" "}
                            <span class="tag">{t.roster.override}</span>
                            {props.onRemove && (
                              <button
                                type="button"
                                class="link-button"
                                data-testid="roster-remove-override"
                                data-override-id={s.shift.overrideId}
                                onClick={() => props.onRemove?.(s.shift.overrideId)}
                              >
                                {t.roster.removeOverride}
                              </button>
                            )}
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                </li>
              );
            })}
          </ol>
          {r.shifts.length === 0 && <p>{t.roster.empty}</p>}
        </>
      )}
    </div>
  );
}
