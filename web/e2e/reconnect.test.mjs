// A dropped connection: vagtd stops (SIGTERM) under an open board; the
// console says it is reconnecting; vagtd comes back on the same data
// directory and HTTP port; the console goes live again by itself (no
// reload, still signed in) and shows the board as it is now, with a call
// logged after the restart.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  chooseLine,
  connectionIs,
  kLine,
  launchBrowser,
  newPage,
  see,
  signIn,
  startEvening,
  vagtctl,
} from "./harness.mjs";

let env;
let browser;

before(async () => {
  env = await startEvening();
  browser = await launchBrowser();
  await vagtctl(env.vagtd, env.tokens.anna, ["line", "take", kLine]);
});

after(async () => {
  await browser?.close();
  await env?.cleanup();
});

// The console's backoff reaches 5 s between attempts while vagtd is down
// (web/src/board.tsx); the bound leaves room for a restart under load.
const kReconnect = 60_000;

test("the board reconnects after vagtd restarts, and says so", async () => {
  const { vagtd, tokens } = env;
  const page = await newPage(browser);
  await signIn(page, vagtd.consoleUrl, tokens.anna);
  await chooseLine(page);
  await connectionIs(page, "live");
  await see(page, "board-holder", "worker:anna");
  const before = await vagtctl(vagtd, tokens.anna, [
    "call", "receive", "--line", kLine, "--from", "anonymous", "--channel", "sms",
  ]);
  const call1 = before.split(/\s+/)[1];
  await page.locator(`[data-testid="open-call"][data-call-id="${call1}"]`).waitFor();
  await page.evaluate(() => {
    window.__vagtNoReload = "still the same page";
  });
  const port = vagtd.httpPort;

  await vagtd.stop();
  await connectionIs(page, "reconnecting", kReconnect);
  // What the page had stays on it while the server is away.
  await see(page, "board-holder", "worker:anna");

  await vagtd.start();
  assert.equal(vagtd.httpPort, port, "vagtd is back on the same HTTP port");
  // Something new happens on the restarted server.
  const afterRestart = await vagtctl(vagtd, tokens.anna, [
    "call", "receive", "--line", kLine, "--from", "citizen", "--citizen", "citizen-7f3a",
    "--reason", "Efter genstart",
  ]);
  const call2 = afterRestart.split(/\s+/)[1];
  assert.notEqual(call2, call1);

  await connectionIs(page, "live", kReconnect);
  await page.locator(`[data-testid="open-call"][data-call-id="${call2}"]`).waitFor({ timeout: kReconnect });
  await page.locator(`[data-testid="open-call"][data-call-id="${call1}"]`).waitFor();
  await see(page, "board-holder", "worker:anna");
  assert.equal(await page.evaluate(() => window.__vagtNoReload), "still the same page", "no reload");
  await see(page, "signed-in-as", "worker:anna");
  const board = await vagtd.board(kLine, tokens.anna);
  assert.deepEqual(
    board.openCalls.map((c) => c.callId).sort(),
    [call1, call2].sort(),
    "the server's board after the restart",
  );
  assert.deepEqual(page.errors, []);
});
