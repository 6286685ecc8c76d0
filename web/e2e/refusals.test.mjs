// A refusal is shown in the server's own words: the console's alert holds
// the message vagtd answers the same request with (the Connect error's
// message, as the gateway passes it on), never a guess of the console's.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  chooseLine,
  kLine,
  kPurpose,
  launchBrowser,
  nav,
  newPage,
  see,
  setField,
  setFieldIfPresent,
  signIn,
  startEvening,
} from "./harness.mjs";

let env;
let browser;

before(async () => {
  env = await startEvening();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await env?.cleanup();
});

// What the server answers `method` with for `token`: it must be a refusal.
async function refusal(method, request, token) {
  const r = await env.vagtd.connect(method, request, token);
  assert.ok(r.status >= 400, `${method} was not refused: ${r.status} ${JSON.stringify(r.body)}`);
  assert.ok(r.body.message, `${method}: no message in ${JSON.stringify(r.body)}`);
  return r.body;
}

// The alert on the page, once shown; it must hold `message` exactly.
async function alertSays(page, message) {
  const alert = page.locator('[data-testid="error"][role="alert"]').filter({ hasText: message });
  try {
    await alert.first().waitFor();
  } catch (e) {
    const shown = await page.getByTestId("error").allInnerTexts();
    throw new Error(`no alert saying "${message}"; the page shows ${JSON.stringify(shown)}: ${e.message}`);
  }
}

test("a token vagtd does not know: the login screen shows vagtd's reason", async () => {
  const page = await newPage(browser);
  // Anna's token with a wrong secret: well formed, and refused.
  const good = env.tokens.anna;
  const bad = good.slice(0, -4) + (good.endsWith("AAAA") ? "BBBB" : "AAAA");
  const server = await refusal("vagt.v1.DirectoryService/WhoAmI", {}, bad);
  assert.equal(server.code, "unauthenticated");
  await page.goto(`${env.vagtd.consoleUrl}#/log-ind`);
  await page.getByTestId("login-token").fill(bad);
  await page.getByTestId("login-submit").click();
  await alertSays(page, server.message);
  assert.equal(await page.getByTestId("signed-in-as").count(), 0, "nobody is signed in");
  // The token is not kept: a reload asks again.
  await page.reload();
  await page.getByTestId("login-token").waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
});

test("the auditor may not take the line: the board shows vagtd's reason", async () => {
  const server = await refusal(
    "vagt.v1.LineService/TakeLine",
    { requestId: "console-test-auditor-take", lineId: kLine, reason: "LINE_COVERAGE_TAKE_REASON_LINE_OPENED" },
    env.tokens.tilsyn,
  );
  assert.equal(server.code, "permission_denied");
  assert.match(server.message, /hold-lines/);
  const page = await newPage(browser);
  await signIn(page, env.vagtd.consoleUrl, env.tokens.tilsyn);
  await see(page, "signed-in-as", "worker:tilsyn");
  await chooseLine(page);
  await page.getByTestId("take-line").click();
  await alertSays(page, server.message);
});

test("a team worker may not read the trail: the review shows vagtd's reason", async () => {
  const server = await refusal(
    "vagt.v1.AuditService/Timeline",
    { lineId: kLine, access: { purpose: "ACCESS_PURPOSE_CRISIS_REVIEW" } },
    env.tokens.anna,
  );
  assert.equal(server.code, "permission_denied");
  assert.match(server.message, /read-trail/);
  const page = await newPage(browser);
  await signIn(page, env.vagtd.consoleUrl, env.tokens.anna);
  await nav(page, "nav-review");
  await setFieldIfPresent(page, "review-citizen-id", "citizen-7f3a");
  await setFieldIfPresent(page, "review-purpose", kPurpose.crisisReview);
  await page.getByTestId("review-show").click();
  // The message names the right; the subject it was asked for does not
  // change the reason.
  await alertSays(page, server.message);
});

test("a call on a line nobody registered: the new call shows vagtd's reason", async () => {
  const server = await refusal(
    "vagt.v1.CallService/ReceiveCall",
    { requestId: "console-test-typo", lineId: "ishoj-boss", callerKind: "CALLER_KIND_ANONYMOUS" },
    env.tokens.anna,
  );
  assert.match(server.message, /ishoj-boss/);
  const page = await newPage(browser);
  await signIn(page, env.vagtd.consoleUrl, env.tokens.anna);
  // The line typed in on the board, with a typo, as a tired worker would.
  await nav(page, "nav-board");
  await page.getByTestId("board-line-other").fill("ishoj-boss");
  await page.getByTestId("board-line-use").click();
  await nav(page, "nav-new-call");
  await setField(page, "call-line", "ishoj-boss");
  await setField(page, "call-caller-kind", "4");
  await page.getByTestId("call-submit").click();
  await alertSays(page, server.message);
});
