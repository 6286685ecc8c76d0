// The board is live: Bo watches the line's board in his browser while Anna
// takes a call in hers; the call appears on Bo's board without a reload
// (OnCallService.WatchBoard through the gateway), and leaves it when she
// closes it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  chooseLine,
  connectionIs,
  kCaller,
  kCitizenWithPlan,
  kLine,
  kOutcome,
  launchBrowser,
  newPage,
  receiveCall,
  see,
  setField,
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

test("a call Anna takes appears on Bo's board without a reload", async () => {
  const { vagtd, tokens } = env;
  const bo = await newPage(browser);
  await signIn(bo, vagtd.consoleUrl, tokens.bo);
  await chooseLine(bo);
  await connectionIs(bo, "live");
  await see(bo, "board-holder", "worker:anna");
  // A mark on the page's window: a reload or a navigation would lose it.
  await bo.evaluate(() => {
    window.__vagtNoReload = "still the same page";
  });
  const loads = [];
  bo.on("load", () => loads.push(bo.url()));

  const anna = await newPage(browser);
  await signIn(anna, vagtd.consoleUrl, tokens.anna);
  await chooseLine(anna);
  const callId = await receiveCall(anna, {
    callerKind: kCaller.citizen,
    citizen: kCitizenWithPlan,
    reason: "Stemmerne er tilbage",
  });

  const onBoard = bo.locator(`[data-testid="board-open-calls"] [data-testid="open-call"][data-call-id="${callId}"]`);
  await onBoard.waitFor();
  await onBoard.filter({ hasText: kCitizenWithPlan }).waitFor();
  assert.equal(await bo.evaluate(() => window.__vagtNoReload), "still the same page");
  assert.deepEqual(loads, [], "Bo's page was not reloaded");

  // A second call from the vagtctl side: the console is one client among others.
  const out = await vagtctl(vagtd, tokens.anna, [
    "call",
    "receive",
    "--line",
    kLine,
    "--from",
    "anonymous",
    "--channel",
    "sms",
  ]);
  const second = out.split(/\s+/)[1];
  await bo.locator(`[data-testid="open-call"][data-call-id="${second}"]`).waitFor();

  // Anna closes the first; it leaves Bo's board, live.
  await setField(anna, "close-outcome", kOutcome.resolved);
  await anna.getByTestId("close-submit").click();
  await see(anna, "done");
  await onBoard.waitFor({ state: "detached" });
  await bo.locator(`[data-testid="open-call"][data-call-id="${second}"]`).waitFor();
  assert.equal(await bo.evaluate(() => window.__vagtNoReload), "still the same page");
  await connectionIs(bo, "live");
  assert.deepEqual([...bo.errors, ...anna.errors], []);
});
