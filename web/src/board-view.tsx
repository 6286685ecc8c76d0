// One line's board as the duty worker reads it: who holds the line and who
// the roster plans, open calls, running escalations with their countdown,
// alarms and the last handover note. Used live (the board screen) and for
// a past instant (the review's BoardAt).
import type { Board, HandoverNote, RunningEscalation } from "./gen/vagt/v1/oncall_pb";
import { EscalationStatus } from "./gen/vagt/v1/oncall_pb";
import { AlarmKind } from "./gen/vagt/v1/events_pb";
import type { ComponentChildren } from "preact";
import { useI18n } from "./i18n";
import { paths } from "./router";
import { formatClockDuration, toDate } from "./time";
import { PartyName, When } from "./ui";

// "in 4:05" until the acknowledgement deadline, "overdue 0:12" after it.
export function Countdown({ esc, now }: { esc: RunningEscalation; now: Date }) {
  const { t } = useI18n();
  const deadline = toDate(esc.ackDeadline);
  if (esc.status !== EscalationStatus.AWAITING_ACK || !deadline) {
    return (
      <span data-testid="escalation-countdown" class="countdown">
        {t.escalationStatus[esc.status]}
      </span>
    );
  }
  const left = Math.round((deadline.getTime() - now.getTime()) / 1000);
  const passed = left <= 0 || esc.deadlinePassed;
  return (
    <span
      data-testid="escalation-countdown"
      class={passed ? "countdown overdue" : "countdown"}
      data-seconds-left={left}
    >
      {passed
        ? t.board.deadlinePassed(formatClockDuration(left))
        : t.board.deadlineIn(formatClockDuration(left))}
    </span>
  );
}

// What needs attention, in the console's language, from the board's own
// fields; the server's `alerts` say the same in English for vagtctl. Those
// it adds on top (the board is behind the log) come first and have no
// fields: they are shown as the server wrote them.
function Alarms({ board, now }: { board: Board; now: Date }) {
  const { t } = useI18n();
  const items: ComponentChildren[] = [];
  if (board.nobodyResponsible) items.push(t.alert.nobodyResponsible(board.lineId));
  for (const a of board.openAlarms) {
    items.push(
      <>
        {t.alarmKind[a.kind]}
        {a.kind === AlarmKind.ESCALATION_STALLED && ` (${a.escalationId})`}
        {a.planned && (
          <>
            {" "}
            – {t.board.planned}: <PartyName party={a.planned} />
          </>
        )}{" "}
        – {t.alert.since} <When ts={a.since} now={now} />
      </>,
    );
  }
  const planned = board.planned;
  if (planned?.holderDiffers && planned.duty && !board.nobodyResponsible) {
    items.push(
      <>
        {t.alert.plannedDiffers} <PartyName party={planned.duty} /> – {t.alert.heldBy}{" "}
        <PartyName party={board.holder} />
      </>,
    );
  }
  const handover = board.pendingHandover;
  if (handover?.overdue) {
    items.push(
      <>
        {t.alert.handoverOverdue} <PartyName party={handover.offeredTo} /> ({t.alert.due}{" "}
        <When ts={handover.respondBy} now={now} />)
      </>,
    );
  }
  for (const e of board.runningEscalations) {
    if (!e.deadlinePassed) continue;
    items.push(
      <>
        {t.alert.notAcknowledged} <PartyName party={e.target} /> ({t.alert.due}{" "}
        <When ts={e.ackDeadline} now={now} />)
      </>,
    );
  }
  const serversOwn = board.alerts.slice(
    0,
    Math.max(0, board.alerts.length - items.length),
  );
  if (serversOwn.length === 0 && items.length === 0) return <p>{t.board.noAlarms}</p>;
  return (
    <ul class="alarms">
      {[...serversOwn, ...items].map((item, i) => (
        <li key={String(i)} class="warn">
          {item}
        </li>
      ))}
    </ul>
  );
}

function HandoverNoteView({ note }: { note: HandoverNote | undefined }) {
  const { t } = useI18n();
  if (!note) return <p>{t.board.noHandover}</p>;
  return (
    <div>
      <p>
        {t.handoverKind[note.kind]}: <PartyName party={note.from} /> →{" "}
        <PartyName party={note.to} />, <When ts={note.at} />
      </p>
      {note.items.length > 0 && (
        <ul>
          {note.items.map((it, i) => (
            <li key={i}>
              {t.handoverItemKind[it.kind]}
              {it.callId && ` ${it.callId}`}
              {it.escalationId && ` ${it.escalationId}`}
              {it.citizenRef && ` (${it.citizenRef})`}
              {it.riskLevel ? `, ${t.risk[it.riskLevel]}` : ""}
            </li>
          ))}
        </ul>
      )}
      {note.itemsWithheld > 0 && (
        <p class="hint">{t.board.withheld(note.itemsWithheld)}</p>
      )}
      <p class="hint">{t.board.handoverTextHint}</p>
    </div>
  );
}

export function BoardView({ board, now }: { board: Board; now: Date }) {
  const { t } = useI18n();
  return (
    <div class="board">
      <section class="card" aria-labelledby="board-holder-title">
        <h2 id="board-holder-title">{t.board.holderTitle}</h2>
        <p
          data-testid="board-holder"
          class={board.nobodyResponsible ? "warn" : undefined}
        >
          <strong>{t.lineState[board.state]}</strong>
          {board.holder?.id && (
            <>
              : <PartyName party={board.holder} /> {t.board.since}{" "}
              <When ts={board.holderSince} now={now} />
            </>
          )}
        </p>
        {board.backup?.backup && (
          <p>
            {t.board.backup}: <PartyName party={board.backup.backup} />
          </p>
        )}
        <p data-testid="board-planned">
          {t.board.planned}:{" "}
          {board.planned?.duty ? (
            <PartyName party={board.planned.duty} />
          ) : (
            t.board.noRoster
          )}
          {board.planned?.backup && (
            <>
              , {t.board.backup}: <PartyName party={board.planned.backup} />
            </>
          )}
          {board.planned?.holderDiffers && (
            <strong class="warn"> – {t.board.holderDiffers}</strong>
          )}
        </p>
        {board.pendingHandover && (
          <p>
            {t.board.pendingHandover}: <PartyName party={board.pendingHandover.holder} />{" "}
            → <PartyName party={board.pendingHandover.offeredTo} />
            {board.pendingHandover.overdue && (
              <strong class="warn"> – {t.board.overdue}</strong>
            )}
          </p>
        )}
        <p class="hint">
          {t.board.asOf} <When ts={board.asOf} now={now} />
        </p>
      </section>

      <section class="card" aria-labelledby="board-alarms-title">
        <h2 id="board-alarms-title">{t.board.alarmsTitle}</h2>
        <div data-testid="board-alarms">
          <Alarms board={board} now={now} />
        </div>
      </section>

      <section class="card" aria-labelledby="board-calls-title">
        <h2 id="board-calls-title">
          {t.board.openCallsTitle} ({board.openCalls.length})
        </h2>
        <ul data-testid="board-open-calls" class="items">
          {board.openCalls.map((c) => (
            <li key={c.callId} data-testid="open-call" data-call-id={c.callId}>
              <a href={paths.call(c.callId)}>
                {t.callerKind[c.callerKind]}
                {c.citizenRef && ` · ${c.citizenRef}`}
              </a>{" "}
              <span class="hint">
                <When ts={c.receivedAt} now={now} /> · <PartyName party={c.answeredBy} />
                {c.latestRisk ? ` · ${t.board.risk}: ${t.risk[c.latestRisk]}` : ""}
              </span>
            </li>
          ))}
        </ul>
        {board.openCalls.length === 0 && <p>{t.board.noOpenCalls}</p>}
      </section>

      <section class="card" aria-labelledby="board-esc-title">
        <h2 id="board-esc-title">
          {t.board.escalationsTitle} ({board.runningEscalations.length})
        </h2>
        <ul data-testid="board-escalations" class="items">
          {board.runningEscalations.map((e) => (
            <li
              key={e.escalationId}
              data-testid="escalation"
              data-escalation-id={e.escalationId}
            >
              <strong>{t.escalationLevel[e.level]}</strong> →{" "}
              <PartyName party={e.target} /> · {t.urgency[e.urgency]} ·{" "}
              <Countdown esc={e} now={now} />{" "}
              <a href={paths.call(e.callId)}>{t.board.toCall}</a>
            </li>
          ))}
        </ul>
        {board.runningEscalations.length === 0 && <p>{t.board.noEscalations}</p>}
      </section>

      <section class="card" aria-labelledby="board-handover-title">
        <h2 id="board-handover-title">{t.board.handoverTitle}</h2>
        <div data-testid="board-handover">
          <HandoverNoteView note={board.lastHandoverNote} />
        </div>
      </section>
    </div>
  );
}
