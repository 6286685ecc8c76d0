// The harness of the console's browser tests: a real vagtd child process on a
// fresh data directory, serving the built console (web/dist) and the Connect
// gateway; the team, line, workers and partners of the README's evening,
// registered with vagtctl; and Debian's chromium driven by playwright-core.
//
//   const env = await startEvening();         // vagtd + the evening's accounts
//   const browser = await launchBrowser();
//   const page = await newPage(browser);      // da-DK, Europe/Copenhagen
//   await signIn(page, env.vagtd.consoleUrl, env.tokens.anna);
//   ...
//   await browser.close(); await env.vagtd.stop();
//
// Waiting is always a condition with a deadline (a line vagtd prints, an
// HTTP answer, a Playwright locator), never a fixed sleep: the tests run on
// two cores that other builds keep busy.
//
// Paths come from the environment ctest sets (VAGTD, VAGTCTL, VAGT_WEB_DIR,
// VAGT_ARTIFACTS), defaulting to the build tree next to web/.
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const webDir = resolve(here, "..");
export const repoDir = resolve(webDir, "..");

export const paths = {
  vagtd: process.env.VAGTD || join(repoDir, "build/services/vagtd/vagtd"),
  vagtctl: process.env.VAGTCTL || join(repoDir, "build/services/vagtctl/vagtctl"),
  webDist: process.env.VAGT_WEB_DIR || join(webDir, "dist"),
  artifacts: process.env.VAGT_ARTIFACTS || join(repoDir, "build/test-artifacts/console"),
};

// How long one expectation may wait for the page (generous: two busy cores).
export const kExpect = 15_000;
// How long vagtd may take to start or to stop.
const kProcess = 60_000;

// What the tests cannot run without. Fails (never skips) with what to do.
export function requirePrerequisites() {
  const missing = [];
  if (!existsSync(join(paths.webDist, "index.html"))) {
    missing.push(`the built console (${join(paths.webDist, "index.html")})`);
  }
  if (!existsSync(join(webDir, "node_modules/playwright-core/package.json"))) {
    missing.push(`playwright-core (${join(webDir, "node_modules/playwright-core")})`);
  }
  if (!existsSync(join(webDir, "node_modules/@axe-core/playwright/package.json"))) {
    missing.push(`@axe-core/playwright (${join(webDir, "node_modules/@axe-core/playwright")})`);
  }
  if (missing.length > 0) {
    throw new Error(
      `the console's browser tests need ${missing.join(" and ")}: ` +
        `run \`bash deploy/build-web.sh\` (npm ci and npm run build in web/) first`,
    );
  }
  for (const [what, file] of [
    ["vagtd", paths.vagtd],
    ["vagtctl", paths.vagtctl],
    ["chromium", "/usr/bin/chromium"],
  ]) {
    if (!existsSync(file)) throw new Error(`no ${what} at ${file} (set ${what.toUpperCase()})`);
  }
}

// Resolves when `predicate()` returns a truthy value (which it returns);
// rejects with `what` and the last error when `deadlineMs` passes. Polls
// with a short back-off; every call has its own deadline.
export async function until(what, predicate, deadlineMs = kExpect) {
  const end = Date.now() + deadlineMs;
  let last;
  for (let pause = 20; ; pause = Math.min(500, pause * 2)) {
    try {
      const value = await predicate();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) {
      throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}${last ? `: ${last.message}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, pause));
  }
}

// One vagtd child process on `dataDir`. start() again after stop() reuses
// the data directory and the HTTP port (so an open console reconnects to
// the same origin); the gRPC port is picked anew. `flags` are added to
// vagtd's own (e.g. --oidc_issuer=...).
export class Vagtd {
  constructor(dataDir, flags = []) {
    this.dataDir = dataDir;
    this.flags = flags;
    this.httpPort = 0;
    this.grpcAddress = "";
    this.consoleUrl = "";
    this.child = null;
    this.transcript = "";
  }

  async start() {
    if (this.child) throw new Error("vagtd is already running");
    const args = [
      `--data_dir=${this.dataDir}`,
      "--listen=127.0.0.1:0",
      `--http_listen=127.0.0.1:${this.httpPort}`,
      `--web_dir=${paths.webDist}`,
      "--shutdown_grace=5s",
      ...this.flags,
    ];
    const child = spawn(paths.vagtd, args, { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    let output = "";
    const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    this.exited = exited;
    const onData = (chunk) => {
      output += chunk.toString();
      this.transcript += chunk.toString();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    const started = new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`vagtd did not start in ${kProcess} ms; it printed:\n${output}`)),
        kProcess,
      );
      const check = () => {
        const grpc = /vagtd listening on (127\.0\.0\.1:\d+)/.exec(output);
        const web = /vagtd: console at (http:\/\/127\.0\.0\.1:(\d+)\/)/.exec(output);
        if (/Connect gateway at .* no console/.test(output)) {
          clearTimeout(timer);
          reject(new Error(`vagtd found no console in ${paths.webDist}: run \`bash deploy/build-web.sh\`\n${output}`));
        } else if (grpc && web) {
          clearTimeout(timer);
          resolve({ grpc: grpc[1], url: web[1], port: Number(web[2]) });
        }
      };
      child.stdout.on("data", check);
      child.stderr.on("data", check);
      child.once("error", (e) => {
        clearTimeout(timer);
        reject(new Error(`cannot start ${paths.vagtd}: ${e.message}`));
      });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`vagtd exited (${code ?? signal}) before it served; it printed:\n${output}`));
      });
    });
    let where;
    try {
      where = await started;
    } catch (e) {
      if (child.exitCode === null) child.kill("SIGKILL");
      this.child = null;
      throw e;
    }
    this.grpcAddress = where.grpc;
    this.consoleUrl = where.url;
    if (this.httpPort !== 0 && where.port !== this.httpPort) {
      throw new Error(`vagtd came back on port ${where.port}, not ${this.httpPort}`);
    }
    this.httpPort = where.port;
    // Ready: the console's page and a Connect method both answer.
    await until(
      "the console's index.html",
      async () => (await fetch(this.consoleUrl)).status === 200,
      kProcess,
    );
    await until(
      "the Connect gateway",
      async () => (await this.connect("vagt.v1.DirectoryService/WhoAmI", {}, "")).status === 401,
      kProcess,
    );
    return this;
  }

  // SIGTERM, then waits for vagtd to exit; it must exit cleanly (0).
  async stop() {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve(null), kProcess);
    });
    const outcome = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (outcome === null) {
      child.kill("SIGKILL");
      await this.exited;
      throw new Error(`vagtd did not stop within ${kProcess} ms of SIGTERM; it printed:\n${this.transcript}`);
    }
    if (outcome.code !== 0) {
      throw new Error(`vagtd exited with ${outcome.code ?? outcome.signal} on SIGTERM; it printed:\n${this.transcript}`);
    }
  }

  // Kills vagtd without a word (for a test's cleanup after a failure).
  kill() {
    if (this.child && this.child.exitCode === null) this.child.kill("SIGKILL");
    this.child = null;
  }

  // One Connect unary request (JSON) to the gateway, as the browser sends
  // it: { status, body } with the parsed JSON body.
  async connect(method, request, token) {
    const headers = { "Content-Type": "application/json", "Connect-Protocol-Version": "1" };
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(new URL(method, this.consoleUrl), {
      method: "POST",
      headers,
      body: JSON.stringify(request),
    });
    const text = await response.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = { raw: text };
    }
    return { status: response.status, body };
  }

  // The line's board as the server has it now (GetBoard as `token`).
  async board(lineId, token) {
    const r = await this.connect("vagt.v1.OnCallService/GetBoard", { lineId }, token);
    if (r.status !== 200) throw new Error(`GetBoard ${lineId}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async firstAdminToken() {
    const path = join(this.dataDir, "first-admin-token");
    const text = await until("the first administrator's token", () => readFile(path, "utf8").catch(() => ""));
    return text.trim();
  }
}

// Runs vagtctl as `token` against `vagtd`, in an environment of its own (no
// credentials file of the user). Resolves with stdout; rejects with what it
// printed and its exit code.
export function vagtctl(vagtd, token, args, { timeoutMs = 60_000 } = {}) {
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: vagtd.dataDir,
    VAGT_SERVER: vagtd.grpcAddress,
    VAGT_CREDENTIALS: join(vagtd.dataDir, "vagtctl-credentials"),
    TZ: "Europe/Copenhagen",
  };
  if (token) env.VAGT_TOKEN = token;
  return new Promise((resolve, reject) => {
    execFile(paths.vagtctl, args, { env, timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) {
        reject(
          new Error(`vagtctl ${args.join(" ")} failed (${error.code ?? error.signal}): ${stderr}${stdout}`),
        );
      } else {
        resolve(stdout);
      }
    });
  });
}

export const kLine = "ishoj-bos";
export const kCitizenWithPlan = "citizen-7f3a";
export const kCitizenWithoutConsent = "citizen-9b2c";

// The people of the README's evening, with their roles:
// anna a team worker, bo team worker and team leader, the night partner and
// the social emergency service partners of the team, and an auditor.
export const kPeople = {
  anna: { party: "worker:anna", name: "Anna Jensen", grants: [["team-worker", kLine]] },
  bo: {
    party: "worker:bo",
    name: "Bo Nielsen",
    grants: [
      ["team-worker", kLine],
      ["team-leader", kLine],
    ],
  },
  natpartner: {
    party: "partner:natpartner",
    name: "Natteravnen ApS",
    kind: "night-partner",
    grants: [["partner"]],
    teamPartner: true,
  },
  akut: {
    party: "partner:akut-ishoj",
    name: "Socialt akuttilbud Ishøj",
    kind: "social-emergency",
    grants: [["partner"]],
    teamPartner: true,
  },
  tilsyn: { party: "worker:tilsyn", name: "Tilsynet", grants: [["auditor"]] },
};

// Starts vagtd on a fresh data directory and registers, as the README does,
// the team ishoj-bos with its line, kPeople with a token each, citizen-7f3a's
// consent (the night partner may see handover notes and her crisis plan)
// and her crisis plan. Returns { vagtd, tokens, dir, cleanup }. vagtd runs
// with `vagtdFlags` too.
export async function startEvening({ vagtdFlags = [] } = {}) {
  requirePrerequisites();
  const dir = await mkdtemp(join(tmpdir(), "vagt-console-"));
  const vagtd = new Vagtd(join(dir, "data"), vagtdFlags);
  try {
    await vagtd.start();
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const cleanup = async () => {
    try {
      await vagtd.stop();
    } finally {
      vagtd.kill();
      await rm(dir, { recursive: true, force: true });
    }
  };
  try {
    const admin = await vagtd.firstAdminToken();
    const as = (token, ...args) => vagtctl(vagtd, token, args);
    await as(admin, "directory", "team", "ishoj-bos", "--name", "Ishøj bostøtte");
    await as(admin, "directory", "line", "ishoj-bos", kLine);
    const tokens = { admin };
    for (const [who, p] of Object.entries(kPeople)) {
      await as(admin, "directory", "register", p.party, "--name", p.name, ...(p.kind ? ["--kind", p.kind] : []));
      for (const [role, team] of p.grants) {
        await as(admin, "directory", "grant", p.party, role, ...(team ? ["--team", "ishoj-bos"] : []));
      }
      if (p.teamPartner) await as(admin, "directory", "partner", "ishoj-bos", p.party);
      tokens[who] = (await as(admin, "directory", "token", p.party, "--label", `console test ${who}`)).trim();
      if (!/^vagt1\./.test(tokens[who])) throw new Error(`no token for ${p.party}: ${tokens[who]}`);
    }
    await as(
      tokens.anna,
      "citizen",
      "consent",
      kCitizenWithPlan,
      "--form",
      "written",
      "--share",
      "night-partner=handover,crisis-plan",
    );
    await as(
      tokens.bo,
      "citizen",
      "plan",
      kCitizenWithPlan,
      "--agreed",
      "--helps",
      "Vejrtrækningsøvelsen fra planen",
      "--avoid",
      "Hævede stemmer",
      "--contact",
      "Mette,søster,+45 12 34 56 78,Altid",
      "--place",
      "Hjemme hos sin søster",
    );
    // The escalation a duty worker raises without naming a level goes to
    // the social emergency service at any hour (the built-in ladder would
    // start at the night partner after 22:00).
    await as(
      tokens.bo,
      "policy",
      "set",
      "--line",
      kLine,
      "--level",
      "social-emergency=partner:akut-ishoj:10m",
    );
    return { vagtd, tokens, dir, cleanup };
  } catch (e) {
    await cleanup().catch(() => {});
    throw e;
  }
}

// playwright-core and axe, imported only once requirePrerequisites() passed
// (a static import of a missing module would fail without saying why).
let playwright;
export async function launchBrowser() {
  requirePrerequisites();
  playwright ??= await import("playwright-core");
  return playwright.chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export const kDesktop = { width: 1280, height: 800 };
export const kPhone = { width: 360, height: 740 };

// A context of its own (its own sessionStorage: one person's browser) in
// Danish and Copenhagen time.
export async function newPage(browser, viewport = kDesktop) {
  const context = await browser.newContext({
    viewport,
    locale: "da-DK",
    timezoneId: "Europe/Copenhagen",
    acceptDownloads: true,
  });
  context.setDefaultTimeout(kExpect);
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(String(e)));
  return page;
}

export const byTestId = (page, id) => page.getByTestId(id);

// Waits until the element with data-testid `id` is visible (and, given
// `text`, a string or RegExp, contains it); returns its locator.
export async function see(scope, id, text, timeout = kExpect) {
  let locator = scope.getByTestId(id);
  if (text !== undefined) locator = locator.filter({ hasText: text });
  await locator.first().waitFor({ state: "visible", timeout });
  return locator.first();
}

// The connection indicator in `state` (live | reconnecting | idle).
export async function connectionIs(page, state, timeout = kExpect) {
  await page
    .locator(`[data-testid="connection-status"][data-state="${state}"]`)
    .waitFor({ state: "attached", timeout });
}

// Opens the console and signs in with `token`; resolves once the shell says
// who is signed in.
export async function signIn(page, consoleUrl, token) {
  await page.goto(`${consoleUrl}#/log-ind`);
  await page.getByTestId("login-token").fill(token);
  await page.getByTestId("login-submit").click();
  await see(page, "signed-in-as");
}

// Goes to a screen by its navigation link (nav-board, nav-review, ...): a
// click when the link is shown; on a phone-sized screen whose menu hides
// it, its address (the link's own href).
export async function nav(page, id) {
  const link = page.getByTestId(id);
  await link.waitFor({ state: "attached" });
  if (await link.isVisible()) {
    await link.click();
  } else {
    const href = await link.getAttribute("href");
    if (!href) throw new Error(`${id} has no href`);
    await page.evaluate((h) => {
      location.hash = h;
    }, href);
  }
}

// Chooses `line` on the board: from the select when it offers it (the
// lines of the party's teams), else typed in (a partner has no team).
export async function chooseLine(page, line = kLine) {
  await nav(page, "nav-board");
  const field = await see(page, "board-line");
  const offered = await field.locator("option").evaluateAll((os) => os.map((o) => o.value));
  if (offered.includes(line)) {
    if ((await field.inputValue()) !== line) await field.selectOption(line);
  } else {
    await page.getByTestId("board-line-other").fill(line);
    await page.getByTestId("board-line-use").click();
  }
  await until(`the board of ${line} chosen`, async () => (await field.inputValue()) === line);
}

// Fills a form control by test id: a select by value (or label), anything
// else by typing.
export async function setField(page, id, value) {
  const field = page.getByTestId(id);
  await field.waitFor({ state: "visible" });
  const tag = await field.evaluate((e) => e.tagName.toLowerCase());
  if (tag === "select") {
    const options = await field.locator("option").evaluateAll((os) =>
      os.map((o) => ({ value: o.value, label: (o.textContent ?? "").trim() })),
    );
    const match =
      options.find((o) => o.value === value) ??
      options.find((o) => o.value.toLowerCase().endsWith(String(value).toLowerCase())) ??
      options.find((o) => o.label.toLowerCase() === String(value).toLowerCase());
    if (!match) {
      throw new Error(`${id} has no option ${value}; it offers ${JSON.stringify(options)}`);
    }
    await field.selectOption(match.value);
  } else {
    await field.fill(value);
  }
}

// The console's selects carry the proto enums' numbers as values
// (proto/vagt/v1/events.proto).
export const kCaller = { citizen: "1", relative: "2", partner: "3", anonymous: "4" };
export const kChannel = { phone: "1", sms: "2" };
export const kRisk = { none: "1", low: "2", moderate: "3", high: "4", acute: "5" };
export const kOutcome = { resolved: "1", visitArranged: "2", escalated: "4", notRelevant: "6" };
export const kPurpose = { ongoingCall: "1", handover: "2", crisisReview: "3" };

// Sets the control `id` when the screen has it (an optional field the
// contract does not name); returns whether it had.
export async function setFieldIfPresent(page, id, value) {
  if ((await page.getByTestId(id).count()) === 0) return false;
  await setField(page, id, value);
  return true;
}

// vagt's ids (calls, escalations, handovers) are UUIDs.
export const kUuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

// Logs a call on the new-call screen as the duty worker does; resolves with
// the call's id once its own screen shows it.
export async function receiveCall(page, { callerKind, citizen = "", relation = "", reason = "", channel }) {
  await nav(page, "nav-new-call");
  await see(page, "call-submit");
  await setField(page, "call-line", kLine);
  await setField(page, "call-caller-kind", callerKind);
  if (relation) await setFieldIfPresent(page, "call-caller-relation", relation);
  if (channel) await setFieldIfPresent(page, "call-channel", channel);
  await page.getByTestId("call-citizen").fill(citizen);
  await page.getByTestId("call-reason").fill(reason);
  await page.getByTestId("call-submit").click();
  const id = await see(page, "call-id");
  const callId = await until("the call's id on its screen", async () => kUuid.exec(await id.innerText())?.[0]);
  if (!page.url().includes(encodeURIComponent(callId))) {
    throw new Error(`the call screen of ${callId} is at ${page.url()}`);
  }
  return callId;
}

// Where screenshots go: <screen>-<desktop|phone>.png.
export function artifactPath(name) {
  mkdirSync(paths.artifacts, { recursive: true });
  return join(paths.artifacts, name);
}

export async function screenshot(page, screen, size) {
  await page.screenshot({ path: artifactPath(`${screen}-${size}.png`), fullPage: true });
}

// axe-core's serious and critical violations on the page now (WCAG 2.1
// A/AA and best practice), as readable lines; empty when none.
let axe;
export async function seriousViolations(page) {
  axe ??= await import("@axe-core/playwright");
  const results = await new axe.AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.helpUrl})\n` +
        v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary?.split("\n").join("; ")}`).join("\n"),
    );
}

export async function writeArtifact(name, text) {
  await writeFile(artifactPath(name), text);
}
