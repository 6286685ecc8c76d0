// Review after a crisis: a call's and a citizen's timeline (AuditService.
// Timeline), the board as it was at an instant (BoardAt; the input is read
// as Copenhagen time), the review export (ExportReview, downloaded), and
// the chain verification (Verify). Every read says why (purpose).
import { useState } from "preact/hooks";
import { clients } from "../api";
import { useBoard } from "../board";
import { BoardView } from "../board-view";
import { AccessPurpose, type EventEnvelope } from "../gen/vagt/v1/events_pb";
import { ReviewFormat } from "../gen/vagt/v1/audit_pb";
import { useQuery } from "../hooks";
import { useI18n } from "../i18n";
import { LineChooser } from "../line-chooser";
import { instantFromInput, inputValue, toDate, toTimestamp } from "../time";
import { blobUrl, EnumSelect, ErrorAlert, TextField } from "../ui";
import { TimelineEvent } from "./review-events";

const purposes = [
  AccessPurpose.CRISIS_REVIEW,
  AccessPurpose.SUPERVISION,
  AccessPurpose.AUDIT,
  AccessPurpose.CITIZEN_REQUEST,
  AccessPurpose.OTHER,
];

const formats = [ReviewFormat.HTML, ReviewFormat.JSON] as const;
type Format = (typeof formats)[number];
const formatNames = { [ReviewFormat.HTML]: "HTML", [ReviewFormat.JSON]: "JSON" };

type Subject = { case: "callId"; value: string } | { case: "citizenRef"; value: string };

interface Page {
  subject: Subject;
  events: EventEnvelope[];
  next: string;
}

export function ReviewScreen() {
  const { t } = useI18n();
  const { lineId } = useBoard();
  const [callId, setCallId] = useState("");
  const [citizen, setCitizen] = useState("");
  const [purpose, setPurpose] = useState(AccessPurpose.CRISIS_REVIEW);
  const [reason, setReason] = useState("");
  const [at, setAt] = useState(() => inputValue(new Date()));
  const [format, setFormat] = useState<Format>(ReviewFormat.HTML);
  const [pages, setPages] = useState<Page[]>([]);
  const [file, setFile] = useState<{ url: string; name: string } | undefined>(undefined);
  const access = { purpose, reason: reason.trim() };
  const subjects = (): Subject[] => [
    ...(callId.trim() ? [{ case: "callId" as const, value: callId.trim() }] : []),
    ...(citizen.trim() ? [{ case: "citizenRef" as const, value: citizen.trim() }] : []),
  ];

  const timeline = useQuery(async (more?: Page) => {
    const wanted = more ? [more.subject] : subjects();
    const out: Page[] = [];
    for (const subject of wanted) {
      const r = await clients.audit.timeline({
        subject,
        access,
        pageToken: more?.next ?? "",
      });
      out.push({
        subject,
        events: [...(more?.events ?? []), ...r.events],
        next: r.nextPageToken,
      });
    }
    return out;
  });
  const boardAt = useQuery(() => {
    const instant = instantFromInput(at);
    return clients.audit.boardAt({
      lineId,
      at: instant ? toTimestamp(instant) : undefined,
      access,
    });
  });
  const exportReview = useQuery(() => {
    const subject = subjects()[0] ?? { case: "callId" as const, value: "" };
    return clients.audit.exportReview({ subject, format, access });
  });
  const verify = useQuery(() => clients.audit.verify({}));

  const show = async (more?: Page) => {
    const r = await timeline.run(more);
    if (!r) return;
    setPages((old) =>
      more ? old.map((p) => (p.subject === more.subject ? (r[0] ?? p) : p)) : r,
    );
  };
  const download = async () => {
    const r = await exportReview.run();
    if (!r) return;
    if (file) URL.revokeObjectURL(file.url);
    const made = {
      url: blobUrl(new Uint8Array(r.content), r.contentType),
      name: r.fileName || "review",
    };
    setFile(made);
    // Start the download at once; the link stays for another copy.
    const a = document.createElement("a");
    a.href = made.url;
    a.download = made.name;
    a.click();
  };

  return (
    <section aria-labelledby="review-title">
      <h1 id="review-title">{t.review.title}</h1>
      <section class="card" aria-labelledby="review-subject-title">
        <h2 id="review-subject-title">{t.review.subjectTitle}</h2>
        <form
          class="form-grid"
          onSubmit={(e) => {
            e.preventDefault();
            void show();
          }}
        >
          <TextField
            id="review-call-id"
            label={t.review.callId}
            value={callId}
            onInput={setCallId}
          />
          <TextField
            id="review-citizen-id"
            label={t.review.citizen}
            value={citizen}
            placeholder="citizen-7f3a"
            onInput={setCitizen}
          />
          <EnumSelect
            id="review-purpose"
            label={t.review.purpose}
            options={purposes}
            names={t.purpose}
            value={purpose}
            onChange={setPurpose}
          />
          <TextField
            id="review-reason"
            label={t.review.reason}
            value={reason}
            onInput={setReason}
          />
          <div class="actions wide">
            <button type="submit" data-testid="review-show" disabled={timeline.busy}>
              {t.review.show}
            </button>
            <EnumSelect
              id="review-format"
              label={t.review.format}
              inline
              options={formats}
              names={formatNames}
              value={format}
              onChange={setFormat}
            />
            <button
              type="button"
              data-testid="review-export"
              disabled={exportReview.busy}
              onClick={() => void download()}
            >
              {t.review.export}
            </button>
            {file && (
              <a href={file.url} download={file.name} data-testid="review-export-file">
                {t.review.exportFile(file.name)}
              </a>
            )}
          </div>
        </form>
        <ErrorAlert error={timeline.error ?? exportReview.error} />
        <div data-testid="review-timeline">
          {pages.map((p) => (
            <section key={p.subject.case} aria-labelledby={`tl-${p.subject.case}`}>
              <h3 id={`tl-${p.subject.case}`}>{t.review.timelineOf(p.subject.value)}</h3>
              {p.events.length === 0 && <p>{t.review.noEvents}</p>}
              <ol class="timeline">
                {p.events.map((ev) => (
                  <TimelineEvent key={ev.eventId} ev={ev} />
                ))}
              </ol>
              {p.next && (
                <button
                  type="button"
                  data-testid="review-more"
                  onClick={() => void show(p)}
                >
                  {t.review.more}
                </button>
              )}
            </section>
          ))}
        </div>
      </section>

      <section class="card" aria-labelledby="review-board-title">
        <h2 id="review-board-title">{t.review.boardAtTitle}</h2>
        <LineChooser />
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void boardAt.run();
          }}
        >
          <TextField
            id="review-at"
            label={t.review.at}
            type="datetime-local"
            value={at}
            hint={t.review.atHint}
            onInput={setAt}
          />
          <button
            type="submit"
            data-testid="review-board-at"
            disabled={boardAt.busy || !lineId}
          >
            {t.review.showBoard}
          </button>
        </form>
        <ErrorAlert error={boardAt.error} />
        {boardAt.result && (
          <div data-testid="review-board">
            <BoardView
              board={boardAt.result}
              now={toDate(boardAt.result.asOf) ?? new Date()}
            />
          </div>
        )}
      </section>

      <section class="card" aria-labelledby="review-verify-title">
        <h2 id="review-verify-title">{t.review.verifyTitle}</h2>
        <button
          type="button"
          data-testid="review-verify"
          disabled={verify.busy}
          onClick={() => void verify.run()}
        >
          {t.review.verify}
        </button>
        <ErrorAlert error={verify.error} />
        {verify.result && (
          <p
            data-testid="verify-result"
            data-ok={String(verify.result.ok)}
            class={verify.result.ok ? "ok" : "warn"}
            role="status"
          >
            {verify.result.ok
              ? t.review.verifyOk(Number(verify.result.eventsChecked))
              : t.review.verifyBad(
                  Number(verify.result.firstBadPosition),
                  verify.result.problem,
                )}
          </p>
        )}
      </section>
    </section>
  );
}
