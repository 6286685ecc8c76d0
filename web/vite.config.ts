// Builds the console into dist/, which vagtd serves (--web_dir) on the same
// origin as its Connect gateway. `npm run dev` proxies the API to a vagtd
// started with --http_listen=127.0.0.1:8080 (or $VAGT_HTTP).
import { defineConfig } from "vite";

// Node's process, without @types/node in the browser code's type check
// (tsconfig's types are the browser's).
declare const process: { env: Record<string, string | undefined> };

const api = process.env.VAGT_HTTP ?? "http://127.0.0.1:8080";

export default defineConfig({
  base: "./",
  oxc: {
    jsx: { runtime: "automatic", importSource: "preact" },
  },
  build: {
    outDir: "dist",
    sourcemap: true,
    target: "es2022",
  },
  server: {
    proxy: {
      "^/vagt\\.v1\\.": { target: api, changeOrigin: false },
      "^/console-config\\.json$": { target: api, changeOrigin: false },
    },
  },
});
