// Every screen of the console, at a desktop's size (1280×800) and a phone's
// (360×740): axe-core finds no serious or critical violation of WCAG 2.1
// A/AA (and axe's best practices), and a screenshot of each is kept as an
// artefact, <screen>-<desktop|phone>.png in $VAGT_ARTIFACTS.
//
// The screens hold the evening's data (a line held, open calls with risk,
// a running escalation, a crisis plan read, a rota, a reviewed timeline),
// so that what is checked is what a duty worker sees, not empty forms.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  chooseLine,
  connectionIs,
  kCitizenWithPlan,
  kDesktop,
  kLine,
  kPhone,
  kPurpose,
  launchBrowser,
  nav,
  newPage,
  paths,
  screenshot,
  see,
  seriousViolations,
  setField,
  setFieldIfPresent,
  signIn,
  startEvening,
  vagtctl,
  writeArtifact,
} from "./harness.mjs";

let env;
let browser;
let call1;

// The Monday of this week in Copenhagen, YYYY-MM-DD.
function thisMonday() {
  const today = new Date(new Date().toLocaleString("en-US", { timeZone: "Europe/Copenhagen" }));
  const monday = new Date(today);
  monday.setDate(today.getDate() - ((today.getDay() + 6) % 7));
  const pad = (n) => String(n).padStart(2, "0");
  return `${monday.getFullYear()}-${pad(monday.getMonth() + 1)}-${pad(monday.getDate())}`;
}

before(async () => {
  env = await startEvening();
  browser = await launchBrowser();
  const { vagtd, tokens } = env;
  const as = (token, ...args) => vagtctl(vagtd, token, args);
  await as(
    tokens.bo,
    "roster", "set", "--line", kLine, "--standard", "--from", thisMonday(),
    "--weekdays", "worker:anna", "--night", "partner:natpartner",
    "--weekend", "worker:bo+worker:anna",
  );
  await as(tokens.anna, "line", "take", kLine);
  call1 = (
    await as(
      tokens.anna,
      "call", "receive", "--line", kLine, "--from", "citizen", "--citizen", kCitizenWithPlan,
      "--reason", "Stemmerne er tilbage, kan ikke sove",
    )
  ).split(/\s+/)[1];
  await as(tokens.anna, "call", "risk", call1, "high", "Vil ikke være alene i nat");
  await as(tokens.anna, "call", "note", call1, "Prøvede vejrtrækningsøvelsen");
  await as(
    tokens.anna,
    "escalate", call1, "social-emergency", "--to", "partner:akut-ishoj",
    "--reason", "Har brug for et sted at være i nat", "--ack-within", "10m",
  );
  await as(
    tokens.anna,
    "call", "receive", "--line", kLine, "--from", "relative", "--citizen", "citizen-9b2c",
    "--caller-relation", "mor", "--reason", "Han tager ikke telefonen",
  );
});

after(async () => {
  await browser?.close();
  await env?.cleanup();
});

// Each screen: how to get there from a signed-in board, and what shows it
// is there with its content.
const screens = [
  {
    name: "board",
    open: async (page) => {
      await chooseLine(page);
      await connectionIs(page, "live");
      await page.locator(`[data-testid="open-call"][data-call-id="${call1}"]`).waitFor();
      await page.getByTestId("board-escalations").getByTestId("escalation").first().waitFor();
    },
  },
  {
    name: "new-call",
    open: async (page) => {
      await nav(page, "nav-new-call");
      await see(page, "call-submit");
    },
  },
  {
    name: "call",
    open: async (page) => {
      await nav(page, "nav-board");
      await page.locator(`[data-testid="open-call"][data-call-id="${call1}"] a`).click();
      await see(page, "call-id", call1);
      await page.getByTestId("crisis-plan-purpose").fill("Borgeren ringer nu");
      await page.getByTestId("crisis-plan-open").click();
      await page.locator('[data-testid="crisis-plan"][data-result="consulted"]').waitFor();
    },
  },
  {
    name: "escalations",
    open: async (page) => {
      await nav(page, "nav-escalations");
      await see(page, "escalation-item");
    },
  },
  {
    name: "handover",
    open: async (page) => {
      await nav(page, "nav-handover");
      await see(page, "handover-offer");
    },
  },
  {
    name: "roster",
    open: async (page) => {
      await nav(page, "nav-roster");
      const week = await see(page, "roster-week", "worker:anna");
      // The next week and back: the week moves by seven days.
      const start = await week.getAttribute("data-week-start");
      await page.getByTestId("roster-next").click();
      const next = new Date(Date.parse(`${start}T12:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
      await page.locator(`[data-testid="roster-week"][data-week-start="${next}"]`).waitFor();
      await page.getByTestId("roster-prev").click();
      await page.locator(`[data-testid="roster-week"][data-week-start="${start}"]`).waitFor();
      await see(page, "roster-week", "partner:natpartner");
    },
  },
  {
    name: "review",
    open: async (page) => {
      await nav(page, "nav-review");
      await setField(page, "review-call-id", call1);
      await setFieldIfPresent(page, "review-purpose", kPurpose.crisisReview);
      await page.getByTestId("review-show").click();
      await see(page, "review-timeline", call1);
      await page.getByTestId("review-verify").click();
      await see(page, "verify-result");
    },
  },
];

for (const [size, viewport] of [
  ["desktop", kDesktop],
  ["phone", kPhone],
]) {
  test(`every screen at ${size} size (${viewport.width}×${viewport.height}): no serious axe violation`, async (t) => {
    const page = await newPage(browser, viewport);
    const found = [];
    const check = async (screen) => {
      await screenshot(page, screen, size);
      const violations = await seriousViolations(page);
      if (violations.length > 0) {
        found.push(`${screen} (${size}):\n  ${violations.join("\n  ")}`);
      }
      return violations;
    };

    await t.test("login", async () => {
      await page.goto(`${env.vagtd.consoleUrl}#/log-ind`);
      await see(page, "login-token");
      // With the server's refusal on it, as a worker with an old token sees it.
      await page.getByTestId("login-token").fill("vagt1.gammel.token");
      await page.getByTestId("login-submit").click();
      await see(page, "error");
      assert.deepEqual(await check("login"), []);
    });

    // Bo is team worker and team leader: every screen is his to see.
    await signIn(page, env.vagtd.consoleUrl, env.tokens.bo);
    for (const screen of screens) {
      await t.test(screen.name, async () => {
        await screen.open(page);
        assert.deepEqual(await check(screen.name), []);
      });
    }
    if (found.length > 0) await writeArtifact(`axe-${size}.txt`, found.join("\n\n"));
    assert.deepEqual(page.errors, []);
  });
}

test("the screenshots the reviewers look at first are there", async () => {
  const { existsSync } = await import("node:fs");
  const { join } = await import("node:path");
  for (const name of ["board-desktop.png", "call-desktop.png"]) {
    assert.ok(existsSync(join(paths.artifacts, name)), `${name} in ${paths.artifacts}`);
  }
});
