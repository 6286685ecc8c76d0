// Hash routes ("#/tavle", "#/opkald/<id>"): vagtd answers index.html for any
// non-API path, but a hash keeps every screen one static file and a reload
// harmless.
import { useEffect, useState } from "preact/hooks";

export type Route =
  | { screen: "login" }
  | { screen: "board" }
  | { screen: "new-call" }
  | { screen: "call"; callId: string }
  | { screen: "escalations" }
  | { screen: "handover" }
  | { screen: "roster" }
  | { screen: "review" };

export const paths = {
  login: "#/log-ind",
  board: "#/tavle",
  newCall: "#/opkald/ny",
  call: (id: string) => `#/opkald/${encodeURIComponent(id)}`,
  escalations: "#/eskaleringer",
  handover: "#/overlevering",
  roster: "#/vagtplan",
  review: "#/gennemgang",
} as const;

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  switch (parts[0]) {
    case "log-ind":
      return { screen: "login" };
    case "opkald":
      if (parts[1] && parts[1] !== "ny") {
        return { screen: "call", callId: decodeURIComponent(parts[1]) };
      }
      return { screen: "new-call" };
    case "eskaleringer":
      return { screen: "escalations" };
    case "overlevering":
      return { screen: "handover" };
    case "vagtplan":
      return { screen: "roster" };
    case "gennemgang":
      return { screen: "review" };
    default:
      return { screen: "board" };
  }
}

export function navigate(path: string): void {
  location.hash = path;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
