// Logging in with the municipality's login: a stand-in OpenID provider
// (oidc_provider.py) that vagtd trusts (--oidc_issuer, --oidc_jwks_url) and
// that the console signs in with (authorization code with PKCE, through
// /console-config.json). Anna, registered in vagt, reaches the board; the
// provider refuses a wrong code_verifier; Karl, whom only the provider
// knows, sees vagtd's refusal; a cancelled login shows the provider's
// words.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  launchBrowser,
  newPage,
  see,
  seriousViolations,
  startEvening,
  until,
  webDir,
} from "./harness.mjs";

const kClientId = "vagt-console";

// The stand-in provider as a child process; resolves once it serves, with
// its issuer URL.
async function startProvider() {
  const child = spawn(
    "/usr/bin/python3",
    [join(webDir, "e2e/oidc_provider.py"), "--client-id", kClientId, "--users", "anna,karl"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (c) => (output += c.toString()));
  child.stderr.on("data", (c) => (output += c.toString()));
  child.once("exit", (code, signal) => (output += `\n(exited ${code ?? signal})`));
  const issuer = await until("the stand-in provider to listen", () => {
    if (child.exitCode !== null) throw new Error(`oidc_provider.py exited: ${output}`);
    return /oidc_provider: listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
  });
  return {
    issuer,
    stop: () => {
      if (child.exitCode === null) child.kill("SIGTERM");
    },
  };
}

let provider;
let env;
let browser;
let consoleOrigin;

before(async () => {
  provider = await startProvider();
  try {
    env = await startEvening({
      vagtdFlags: [
        `--oidc_issuer=${provider.issuer}`,
        `--oidc_audience=${kClientId}`,
        `--oidc_jwks_url=${provider.issuer}/jwks`,
      ],
    });
    // The console's address is the client's redirect URI (origin + path).
    const registered = await fetch(`${provider.issuer}/console`, {
      method: "POST",
      body: JSON.stringify({ redirect_uri: env.vagtd.consoleUrl }),
    });
    assert.equal(registered.status, 200);
    consoleOrigin = new URL(env.vagtd.consoleUrl).origin;
    browser = await launchBrowser();
  } catch (e) {
    provider.stop();
    throw e;
  }
});

after(async () => {
  await browser?.close();
  try {
    await env?.cleanup();
  } finally {
    provider?.stop();
  }
});

// The stand-in's code for `user` (login_hint) with `challenge`, as the
// console would get it, without a browser.
async function codeFor(user, challenge) {
  const url = new URL(`${provider.issuer}/authorize`);
  for (const [k, v] of Object.entries({
    response_type: "code",
    client_id: kClientId,
    redirect_uri: env.vagtd.consoleUrl,
    scope: "openid profile",
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "s-1",
    nonce: "n-1",
    login_hint: user,
  })) {
    url.searchParams.set(k, v);
  }
  const r = await fetch(url, { redirect: "manual" });
  assert.equal(r.status, 302);
  const back = new URL(r.headers.get("location"));
  assert.equal(back.searchParams.get("state"), "s-1");
  return back.searchParams.get("code");
}

async function exchange(code, verifier) {
  const r = await fetch(`${provider.issuer}/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: consoleOrigin },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: env.vagtd.consoleUrl,
      client_id: kClientId,
      code_verifier: verifier,
    }),
  });
  return { status: r.status, cors: r.headers.get("access-control-allow-origin"), body: await r.json() };
}

// The S256 challenge of `verifier` (RFC 7636).
async function challengeOf(verifier) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return Buffer.from(digest).toString("base64url");
}

// Opens the login screen and leaves for the provider, where `button` is
// clicked.
async function throughProvider(page, button) {
  await page.goto(`${env.vagtd.consoleUrl}#/log-ind`);
  await see(page, "login-oidc", "Log ind med kommunens login");
  await page.getByTestId("login-oidc").click();
  await page.getByRole("button", { name: button }).click();
}

test("vagtd tells the console to sign in with the provider", async () => {
  const r = await fetch(new URL("console-config.json", env.vagtd.consoleUrl));
  assert.equal(r.headers.get("cache-control"), "no-store");
  assert.deepEqual(await r.json(), {
    oidc: { issuer: provider.issuer, clientId: kClientId, scope: "openid profile" },
  });
});

test("Anna, registered in vagt, logs in with the municipality's login and sees the board", async () => {
  const page = await newPage(browser);
  try {
    await throughProvider(page, "Log in as anna");
    await see(page, "signed-in-as", "worker:anna");
    await see(page, "board-line");
    // The answer left the address, and the round trip's secrets the tab.
    await until("the code gone from the address", () => new URL(page.url()).search === "");
    assert.match(new URL(page.url()).hash, /^#\/tavle/);
    const stored = await page.evaluate(() => ({
      trip: sessionStorage.getItem("vagt.oidc.round-trip"),
      jwt: /^[\w-]+\.[\w-]+\.[\w-]+$/.test(sessionStorage.getItem("vagt.token") ?? ""),
    }));
    assert.deepEqual(stored, { trip: null, jwt: true });
    // Signing out forgets the token; the login is offered again.
    await page.getByTestId("sign-out").click();
    await see(page, "login-oidc");
    assert.equal(await page.evaluate(() => sessionStorage.getItem("vagt.token")), null);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test("the provider refuses a code with the wrong code_verifier", async () => {
  const verifier = "a-verifier-of-enough-length-0123456789-abcdefghijklmnop";
  const wrong = await exchange(await codeFor("anna", await challengeOf(verifier)), `${verifier}x`);
  assert.equal(wrong.status, 400);
  assert.equal(wrong.cors, consoleOrigin);
  assert.equal(wrong.body.error, "invalid_grant");
  assert.match(wrong.body.error_description, /code_verifier/);
  assert.equal(wrong.body.access_token, undefined);
  // The right one, for a fresh code, gets a token vagtd accepts as Anna.
  const right = await exchange(await codeFor("anna", await challengeOf(verifier)), verifier);
  assert.equal(right.status, 200);
  const me = await env.vagtd.connect("vagt.v1.DirectoryService/WhoAmI", {}, right.body.access_token);
  assert.equal(me.status, 200);
  assert.equal(me.body.principal.partyId, "worker:anna");
});

test("Karl, whom vagt does not know, sees vagtd's refusal on the login screen", async () => {
  const verifier = "karl-verifier-of-enough-length-0123456789-abcdefghijklmn";
  const token = (await exchange(await codeFor("karl", await challengeOf(verifier)), verifier)).body
    .access_token;
  const refusal = await env.vagtd.connect("vagt.v1.DirectoryService/WhoAmI", {}, token);
  assert.equal(refusal.status, 401);
  assert.ok(refusal.body.message, JSON.stringify(refusal.body));

  const page = await newPage(browser);
  try {
    await throughProvider(page, "Log in as karl");
    const alert = await see(page, "error");
    assert.equal((await alert.innerText()).replace(/^Fejl:\s*/, ""), refusal.body.message);
    assert.equal(await page.getByTestId("signed-in-as").count(), 0);
    await see(page, "login-oidc");
    assert.equal(await page.evaluate(() => sessionStorage.getItem("vagt.token")), null);
    assert.match(refusal.body.message, /worker:karl/);
    // The login screen with both ways in and an alert is as accessible as
    // the others (accessibility.test.mjs has no provider).
    assert.deepEqual(await seriousViolations(page), []);
  } finally {
    await page.context().close();
  }
});

test("a login cancelled at the provider shows the provider's words", async () => {
  const page = await newPage(browser);
  try {
    await throughProvider(page, "Cancel");
    await see(page, "error", "access_denied: the user cancelled the login");
    await until("the error gone from the address", () => new URL(page.url()).search === "");
    assert.equal(await page.getByTestId("signed-in-as").count(), 0);
  } finally {
    await page.context().close();
  }
});

test("no token reaches vagtd's output", () => {
  // Every JWT's header starts so ({"...).
  assert.doesNotMatch(env.vagtd.transcript, /eyJ/);
});
