// The lines the signed-in party can choose: the lines of its teams (read
// from the directory when its role may see it, else the team ids, which
// name their lines by convention), and the line chosen last.
import { useEffect, useState } from "preact/hooks";
import { clients } from "./api";
import { hasRole, teamsOf, useAuth } from "./auth";
import { useBoard } from "./board";
import { Role } from "./gen/vagt/v1/events_pb";

export function useLines(): string[] {
  const { me } = useAuth();
  const { lineId } = useBoard();
  const [fromDirectory, setFromDirectory] = useState<string[]>([]);
  const teams = teamsOf(me);
  const teamKey = teams.join(",");
  const mayReadDirectory =
    hasRole(me, Role.TEAM_LEADER) ||
    hasRole(me, Role.AUDITOR) ||
    hasRole(me, Role.ADMINISTRATOR);

  useEffect(() => {
    if (!mayReadDirectory) return;
    let live = true;
    clients.directory
      .getDirectory({})
      .then((d) => {
        const mine = new Set(teamKey.split(","));
        const lines = d.teams
          .filter((team) => hasRole(me, Role.AUDITOR) || mine.has(team.teamId))
          .flatMap((team) => team.lineIds);
        if (live) setFromDirectory(lines);
      })
      .catch(() => {
        // The team ids below are the fallback.
      });
    return () => {
      live = false;
    };
  }, [mayReadDirectory, teamKey, me]);

  const all = [...fromDirectory, ...(fromDirectory.length ? [] : teams)];
  if (lineId) all.push(lineId);
  return [...new Set(all)].sort();
}
