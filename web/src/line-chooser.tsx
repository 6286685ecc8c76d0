// The line chooser: the lines of the principal's teams, and any other line
// typed in (a partner has no team). The choice is kept as a preference.
import { useState } from "preact/hooks";
import { useBoard } from "./board";
import { useI18n } from "./i18n";
import { useLines } from "./lines";

export function LineChooser() {
  const { t } = useI18n();
  const { lineId, setLineId } = useBoard();
  const lines = useLines();
  const [other, setOther] = useState("");
  return (
    <div class="line-chooser">
      <div class="field">
        <label for="board-line">{t.board.line}</label>
        <select
          id="board-line"
          data-testid="board-line"
          value={lineId}
          onChange={(e) => setLineId(e.currentTarget.value)}
        >
          {!lineId && <option value="">{t.board.chooseLine}</option>}
          {lines.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </div>
      <form
        class="field inline"
        onSubmit={(e) => {
          e.preventDefault();
          if (other.trim()) setLineId(other);
          setOther("");
        }}
      >
        <label for="board-line-other">{t.board.otherLine}</label>
        <input
          id="board-line-other"
          data-testid="board-line-other"
          value={other}
          autoComplete="off"
          onInput={(e) => setOther(e.currentTarget.value)}
        />
        <button type="submit" data-testid="board-line-use">
          {t.board.useLine}
        </button>
      </form>
    </div>
  );
}
