// Keyboard only (WCAG 2.1.1): Anna logs in, takes the line and receives a
// call without touching the mouse: Tab moves through the controls in order,
// Enter and Space press them, and the focused control is always visibly
// marked (2.4.7).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  connectionIs,
  kLine,
  kUuid,
  launchBrowser,
  newPage,
  see,
  startEvening,
  until,
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

// The data-testid of the focused element, and whether its focus is drawn.
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { id: "", visible: false };
    const style = getComputedStyle(el);
    const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return { id: el.getAttribute("data-testid") ?? "", visible: outlined || style.boxShadow !== "none" };
  });
}

// Presses Tab until the control `id` has the focus (at most `limit` times),
// checking on the way that every focused control shows its focus.
async function tabTo(page, id, limit = 40) {
  for (let i = 0; i < limit; ++i) {
    await page.keyboard.press("Tab");
    const now = await focused(page);
    if (now.id) assert.ok(now.visible, `focus on ${now.id} is not visible`);
    if (now.id === id) return;
  }
  assert.fail(`${id} not reached with ${limit} presses of Tab`);
}

test("log in, take the line and receive a call with the keyboard alone", async () => {
  const { vagtd, tokens } = env;
  const page = await newPage(browser);
  await page.goto(vagtd.consoleUrl);
  await see(page, "login-token");
  await tabTo(page, "login-token");
  await page.keyboard.type(tokens.anna);
  await page.keyboard.press("Enter");
  await see(page, "signed-in-as", "worker:anna");

  // The board: the line chosen from its list, then taken.
  await tabTo(page, "board-line");
  await see(page, "take-line");
  await tabTo(page, "take-line");
  await page.keyboard.press("Enter");
  await see(page, "board-holder", "worker:anna");
  await connectionIs(page, "live");

  // A new call in a few keystrokes: the menu, then the form's first field
  // has the focus; Enter sends it from any field.
  await tabTo(page, "nav-new-call");
  await page.keyboard.press("Enter");
  await see(page, "call-submit");
  // The line is chosen for her (the board's), once the console knows her
  // lines; until then the form rightly refuses to be sent without one.
  await until(
    "the line preselected",
    async () => (await page.getByTestId("call-line").inputValue()) === kLine,
  );
  // The form's first field takes the focus as the screen mounts.
  await until("the focus in the citizen field", async () => (await focused(page)).id === "call-citizen");
  await page.keyboard.type("citizen-7f3a");
  assert.equal(await page.getByTestId("call-citizen").inputValue(), "citizen-7f3a");
  await tabTo(page, "call-reason");
  await page.keyboard.type("Kan ikke sove");
  await page.keyboard.press("Enter");
  const id = await see(page, "call-id");
  assert.match(await id.innerText(), kUuid);
});
