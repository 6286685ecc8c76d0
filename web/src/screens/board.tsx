// The board screen: the chosen line's live board (OnCallService.WatchBoard,
// shared through BoardProvider), and "take the line" (LineService.TakeLine).
import { Code } from "@connectrpc/connect";
import { useEffect } from "preact/hooks";
import { clients } from "../api";
import { useBoard } from "../board";
import { BoardView } from "../board-view";
import { LineCoverageTakeReason } from "../gen/vagt/v1/events_pb";
import { LineState } from "../gen/vagt/v1/oncall_pb";
import { useCommand, useNow } from "../hooks";
import { useI18n } from "../i18n";
import { LineChooser } from "../line-chooser";
import { useLines } from "../lines";
import { ErrorAlert } from "../ui";

export function BoardScreen() {
  const { t } = useI18n();
  const { lineId, setLineId, board, status, error, reconnect } = useBoard();
  const lines = useLines();
  const now = useNow();

  // The first line of the principal's teams, when none was chosen before.
  useEffect(() => {
    if (!lineId && lines[0]) setLineId(lines[0]);
  }, [lineId, lines, setLineId]);

  const uncovered = !board || board.state === LineState.UNCOVERED;
  const take = useCommand(
    (requestId) =>
      clients.lines.takeLine({
        requestId,
        lineId,
        reason: uncovered
          ? LineCoverageTakeReason.LINE_OPENED
          : LineCoverageTakeReason.HOLDER_UNREACHABLE,
      }),
    t.board.taken,
  );

  return (
    <section aria-labelledby="board-title">
      <h1 id="board-title">
        {t.board.title}
        {lineId && `: ${lineId}`}
      </h1>
      <LineChooser />
      {lineId && (
        <div class="actions">
          <button
            type="button"
            data-testid="take-line"
            disabled={take.busy}
            onClick={() =>
              void take.run().then((r) => {
                if (r) reconnect();
              })
            }
          >
            {uncovered ? t.board.takeLine : t.board.takeOver}
          </button>
          {!uncovered && <span class="hint">{t.board.takeOverHint}</span>}
        </div>
      )}
      <ErrorAlert error={take.error} />
      <div aria-live="polite" class="stream-note">
        {status === "lost" && <p class="warn">{t.connection.lost}</p>}
        {status === "restored" && <p>{t.connection.restored}</p>}
      </div>
      {status === "refused" && error?.code === Code.NotFound && !board && (
        <p class="hint">
          {t.board.noBoard}: {error.rawMessage}
        </p>
      )}
      {status === "refused" && error?.code !== Code.NotFound && (
        <ErrorAlert error={error} />
      )}
      {board ? (
        <BoardView board={board} now={now} />
      ) : (
        lineId && status !== "refused" && <p role="status">{t.common.loading}</p>
      )}
    </section>
  );
}
