// The README's evening ("An evening with vagtctl", "Looking at the board and
// the trail"), done through the console in Debian's chromium against a real
// vagtd: Anna takes the line and takes three calls (risk, crisis plan read
// with a purpose, a note, closing with a follow-up), escalates to the social
// emergency service, which acknowledges in its own browser; she hands the
// phone to the night partner, who accepts in its own browser; the next
// morning Bo, the team leader, reviews the first call's timeline, the board
// as it was, and verifies the chain.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";
import {
  chooseLine,
  connectionIs,
  kCaller,
  kCitizenWithoutConsent,
  kCitizenWithPlan,
  kLine,
  kOutcome,
  kPurpose,
  kRisk,
  kUuid,
  launchBrowser,
  nav,
  newPage,
  receiveCall,
  screenshot,
  see,
  setField,
  setFieldIfPresent,
  signIn,
  startEvening,
  until,
  vagtctl,
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

// What the console got wrong while the evening still went on (a command
// the server recorded that the screen never confirmed); the test fails
// with them at its end, after checking everything else.
const defects = [];

// Does `action` (a click that sends a command) and waits for the screen's
// one "done" notice to say so anew, or throws what the server refused.
// Given `recorded` (a check against the server), a command the server
// recorded without the console saying so is a defect, and the test goes on.
async function confirmed(page, what, action, recorded) {
  const done = page.getByTestId("done");
  const before = (await done.count()) ? await done.innerText() : "";
  await action();
  let outcome;
  try {
    outcome = await until(`${what} to be confirmed (data-testid="done")`, async () => {
      if ((await page.getByTestId("error").count()) > 0) return "error";
      if ((await done.count()) > 0 && (await done.innerText()) !== before) return "done";
      return "";
    });
  } catch (e) {
    if (recorded && (await recorded().catch(() => false))) {
      defects.push(`${what}: the server recorded it, but the console never said so (${e.message})`);
      return;
    }
    throw e;
  }
  if (outcome === "error") {
    throw new Error(`${what} was refused: ${await page.getByTestId("error").first().innerText()}`);
  }
}

// Records the risk on the open call screen.
async function assessRisk(page, level, why) {
  await setField(page, "call-risk", level);
  await setFieldIfPresent(page, "call-risk-reason", why);
  await confirmed(page, "the risk assessment", () => page.getByTestId("risk-submit").click());
}

// Closes the open call; with `followUp` ({ task, by }) someone follows up.
async function closeCall(page, outcome, followUp) {
  await setField(page, "close-outcome", outcome);
  if (followUp) {
    await page.getByTestId("close-follow-up").fill(followUp.task);
    await setField(page, "close-follow-up-by", followUp.by);
  }
  await confirmed(page, "closing the call", () => page.getByTestId("close-submit").click());
  await page.locator('[data-testid="call-status"][data-status="closed"]').waitFor();
}

// Pages open in the test, screenshotted as failure-<who>.png when it fails.
const pages = {};

test("the evening of the README, through the console", async () => {
  try {
    await evening();
  } catch (e) {
    for (const [who, page] of Object.entries(pages)) {
      await screenshot(page, `failure-evening-${who}`, "desktop").catch(() => {});
    }
    throw e;
  }
});

async function evening() {
  const { vagtd, tokens } = env;
  const url = vagtd.consoleUrl;

  // 15:00 Anna logs in and takes the line.
  const anna = await newPage(browser);
  pages.anna = anna;
  await signIn(anna, url, tokens.anna);
  await see(anna, "signed-in-as", "worker:anna");
  await chooseLine(anna);
  // Nothing has happened on the line yet: a new line's board, which says in
  // Danish (from the board's fields, not the server's English alerts) that
  // nobody is responsible.
  await see(anna, "board-alarms", `INGEN HAR ANSVARET FOR LINJE ${kLine}`);
  await anna.getByTestId("take-line").click();
  await see(anna, "board-holder", "worker:anna");
  assert.doesNotMatch(await anna.getByTestId("board-alarms").innerText(), /NOBODY|roster plans/);
  await connectionIs(anna, "live");
  const annaSince = new Date((await vagtd.board(kLine, tokens.anna)).holderSince);

  // 19:40 citizen-7f3a calls: the voices are back.
  const call1 = await receiveCall(anna, {
    callerKind: kCaller.citizen,
    citizen: kCitizenWithPlan,
    reason: "Stemmerne er tilbage, kan ikke sove",
  });
  await anna.locator('[data-testid="call-status"][data-status="open"]').waitFor();
  // Her crisis plan, read for the ongoing call (the read is recorded with why).
  await anna.getByTestId("crisis-plan-purpose").fill("Borgeren ringer nu, stemmerne er tilbage");
  await confirmed(anna, "reading the crisis plan", () => anna.getByTestId("crisis-plan-open").click());
  await anna.locator('[data-testid="crisis-plan"][data-result="consulted"]').waitFor();
  await see(anna, "crisis-plan", "Vejrtrækningsøvelsen fra planen");
  await see(anna, "crisis-plan", "Hjemme hos sin søster");
  await anna.getByTestId("note-text").fill("Prøvede vejrtrækningsøvelsen fra hendes plan");
  await confirmed(anna, "the note", () => anna.getByTestId("note-submit").click());
  await assessRisk(anna, kRisk.high, "Vil ikke være alene i nat");
  // The escalation goes where the line's policy says: the social emergency
  // service (harness.mjs sets it).
  await anna.getByTestId("escalate-reason").fill("Har brug for et sted at være i nat");
  await confirmed(anna, "the escalation", () => anna.getByTestId("escalate-submit").click());

  // The board, without a reload, shows the call with its risk and the
  // escalation with its countdown.
  await nav(anna, "nav-board");
  const openCall1 = anna.locator(`[data-testid="open-call"][data-call-id="${call1}"]`);
  await openCall1.waitFor();
  await openCall1.locator("a").waitFor();
  const escalation = anna.getByTestId("board-escalations").getByTestId("escalation").first();
  await escalation.waitFor();
  const escId = await escalation.getAttribute("data-escalation-id");
  assert.match(escId ?? "", kUuid, "the board's escalation carries its id");
  await escalation.getByTestId("escalation-countdown").waitFor();
  await see(anna, "escalation", "partner:akut-ishoj");
  const countdown = anna.locator(
    `[data-testid="escalation"][data-escalation-id="${escId}"] [data-testid="escalation-countdown"]`,
  );
  assert.ok(
    Number(await countdown.getAttribute("data-seconds-left")) > 0,
    "the escalation is counting down to its acknowledgement deadline",
  );

  // The social emergency service acknowledges it in its own browser.
  const akut = await newPage(browser);
  pages.akut = akut;
  await signIn(akut, url, tokens.akut);
  await see(akut, "signed-in-as", "partner:akut-ishoj");
  await chooseLine(akut);
  await nav(akut, "nav-escalations");
  const item = akut.locator(`[data-testid="escalation-item"][data-escalation-id="${escId}"]`);
  await item.waitFor();
  await confirmed(akut, "the acknowledgement", () => item.getByTestId("esc-acknowledge").click());
  // Anna's board stops the countdown without a reload.
  await anna
    .locator(
      `[data-testid="escalation"][data-escalation-id="${escId}"] [data-testid="escalation-countdown"]:not([data-seconds-left])`,
    )
    .waitFor();
  const afterAck = await vagtd.board(kLine, tokens.anna);
  const running = afterAck.runningEscalations.find((e) => e.escalationId === escId);
  assert.equal(running?.status, "ESCALATION_STATUS_ACKNOWLEDGED", JSON.stringify(afterAck.runningEscalations));

  // 20:15 a mother is worried about her son.
  const call2 = await receiveCall(anna, {
    callerKind: kCaller.relative,
    citizen: kCitizenWithoutConsent,
    relation: "mor",
    reason: "Han tager ikke telefonen",
  });
  await assessRisk(anna, kRisk.low, "Han skrev tilbage til hende under opkaldet");
  await closeCall(anna, kOutcome.resolved, { task: "Bo besøger ham i morgen", by: "worker:bo" });

  // 21:05 an anonymous text message that is not for this line.
  const call3 = await receiveCall(anna, { callerKind: kCaller.anonymous, reason: "" });
  await closeCall(anna, kOutcome.notRelevant);
  assert.notEqual(call2, call3);

  // Only the first call is still open; the board says so without a reload.
  await nav(anna, "nav-board");
  await openCall1.waitFor();
  await anna.locator(`[data-testid="open-call"][data-call-id="${call2}"]`).waitFor({ state: "detached" });
  await anna.locator(`[data-testid="open-call"][data-call-id="${call3}"]`).waitFor({ state: "detached" });

  // 21:55 Anna hands the phone to the night partner with the evening note.
  await nav(anna, "nav-handover");
  await setField(anna, "handover-to", "partner:natpartner");
  // The note as the README writes it: items about citizen-9b2c reach the
  // night partner only if she consented (7f3a did, 9b2c not).
  await anna.getByTestId("handover-note").fill(
    [
      `opkald ${call1} – På akuttilbuddet i nat, ring til hende kl. 8`,
      `eskalering ${escId}`,
      `borger ${kCitizenWithoutConsent} – Mor bekymret, Bo besøger ham i morgen`,
      "Ellers en stille aften",
    ].join("\n"),
  );
  await confirmed(anna, "the handover offer", () => anna.getByTestId("handover-offer").click());

  // 22:00 the night partner accepts in its own browser; it holds the line.
  const nat = await newPage(browser);
  pages.nat = nat;
  await signIn(nat, url, tokens.natpartner);
  await see(nat, "signed-in-as", "partner:natpartner");
  await chooseLine(nat);
  await nav(nat, "nav-handover");
  const offered = await see(nat, "handover-offered");
  // What the night partner may see of it: her call, not his name.
  await offered.filter({ hasText: call1 }).waitFor();
  assert.doesNotMatch(await offered.innerText(), new RegExp(kCitizenWithoutConsent));
  const pendingForNat = (await vagtd.board(kLine, tokens.natpartner)).pendingHandover;
  assert.ok(pendingForNat?.itemsWithheld >= 1, `withheld from the night partner: ${JSON.stringify(pendingForNat)}`);
  await confirmed(
    nat,
    "accepting the handover",
    () => offered.getByTestId("handover-accept").click(),
    async () => (await vagtd.board(kLine, tokens.natpartner)).holder?.id === "partner:natpartner",
  );
  await nav(nat, "nav-board");
  await see(nat, "board-holder", "partner:natpartner");
  await see(nat, "board-handover", call1);
  // Anna's board follows, live.
  await nav(anna, "nav-board");
  await see(anna, "board-holder", "partner:natpartner");
  await see(anna, "board-handover", "partner:natpartner");
  await connectionIs(anna, "live");
  const night = await vagtd.board(kLine, tokens.natpartner);
  assert.equal(night.holder?.id, "partner:natpartner");

  // The next morning Bo, the team leader, reviews the first call. The trail
  // as the server has it is the reference.
  const trail = await vagtd.connect(
    "vagt.v1.AuditService/Timeline",
    { callId: call1, access: { purpose: "ACCESS_PURPOSE_CRISIS_REVIEW" }, pageSize: 250 },
    tokens.bo,
  );
  assert.equal(trail.status, 200, JSON.stringify(trail.body));
  const events = trail.body.events ?? [];
  const types = events.map((e) => String(e.type).replace(/[^a-z]/gi, "").toLowerCase());
  for (const kind of ["CallReceived", "CallCrisisPlanConsulted", "CallNoteAdded", "CallRiskAssessed"]) {
    assert.ok(
      types.some((t) => t.endsWith(kind.toLowerCase())),
      `the call's trail has ${kind}: ${JSON.stringify(events.map((e) => e.type))}`,
    );
  }
  const bo = await newPage(browser);
  pages.bo = bo;
  await signIn(bo, url, tokens.bo);
  await see(bo, "signed-in-as", "worker:bo");
  await chooseLine(bo);
  await nav(bo, "nav-review");
  await setField(bo, "review-call-id", call1);
  await setFieldIfPresent(bo, "review-purpose", kPurpose.crisisReview);
  await bo.getByTestId("review-show").click();
  const timeline = await see(bo, "review-timeline", call1);
  // Every event of the call's trail is on the console's timeline, in order.
  const positions = await until(`the review's timeline listing the call's ${events.length} events`, async () => {
    const shown = await timeline.getByTestId("timeline-event").evaluateAll((li) => li.map((e) => e.dataset.position));
    return shown.length >= events.length ? shown : undefined;
  });
  const expected = events.map((e) => String(e.globalPosition));
  assert.deepEqual(
    positions.filter((p) => expected.includes(p)),
    expected,
    "the console lists the trail's events in the server's order",
  );
  await see(bo, "review-timeline", "Prøvede vejrtrækningsøvelsen fra hendes plan");
  await screenshot(bo, "evening-review", "desktop");

  // The review report, downloaded as a file.
  const [download] = await Promise.all([
    bo.waitForEvent("download"),
    bo.getByTestId("review-export").click(),
  ]);
  const report = await readFile(await download.path(), "utf8");
  assert.match(report, new RegExp(call1), `the review of ${call1} (${download.suggestedFilename()})`);

  // The board as it was at a minute while Anna held the line (the field
  // takes local minutes): what the console shows is what the trail says.
  const nextMinute = (d) => new Date(Math.ceil(d.getTime() / 60_000) * 60_000);
  const at = nextMinute(annaSince);
  await until("a whole minute after Anna took the line", async () => Date.now() >= at.getTime(), 70_000);
  const nightSince = new Date(night.holderSince);
  const holderThen = at < nightSince ? "worker:anna" : "partner:natpartner";
  await fillLocalTime(bo, "review-at", at);
  await bo.getByTestId("review-board-at").click();
  const pastBoard = await see(bo, "review-board");
  await see(pastBoard, "board-holder", holderThen);
  if (holderThen === "worker:anna") {
    await pastBoard.locator(`[data-testid="open-call"][data-call-id="${call1}"]`).waitFor();
  }

  // Nothing lost or changed: the whole chain verifies, as vagtctl says.
  await bo.getByTestId("review-verify").click();
  const result = bo.locator('[data-testid="verify-result"][data-ok="true"]');
  await result.waitFor();
  const cli = await vagtctl(vagtd, tokens.bo, ["verify"]);
  const count = /chain OK: (\d+) events/.exec(cli);
  assert.ok(count, `vagtctl verify: ${cli}`);
  const shown = await result.innerText();
  const shownCount = Number(/(\d+)/.exec(shown.replace(/(\d)[.\s\u00a0](?=\d{3})/g, "$1"))?.[1]);
  assert.ok(
    shownCount > 0 && shownCount <= Number(count[1]),
    `the console says "${shown}", vagtctl "${cli.trim()}"`,
  );

  for (const page of [anna, akut, nat, bo]) assert.deepEqual(page.errors, [], "no script error on the page");
  assert.deepEqual(defects, [], "the console confirmed every command it sent");
}

// Types a local (Copenhagen) time into a datetime-local or text field.
async function fillLocalTime(page, id, date) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: "Europe/Copenhagen",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const field = page.getByTestId(id);
  const type = await field.getAttribute("type");
  const local =
    type === "datetime-local"
      ? `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`
      : `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
  await field.fill(local);
}
