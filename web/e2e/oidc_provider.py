#!/usr/bin/python3
"""A stand-in OpenID provider for the console's browser tests (oidc.test.mjs):
the authorization code flow with PKCE (S256) for one public client, as a
municipality's Entra ID or Keycloak would answer the console.

  /.well-known/openid-configuration  discovery (CORS)
  /authorize   checks the request and shows a page with a button per user
               ("Log in as anna"), or redirects at once for a login_hint;
               "Cancel" answers ?error=access_denied
  /login       the button: redirects to redirect_uri?code=...&state=...
  /token       the code for tokens (CORS): checks the code_verifier against
               the code_challenge (S256), the redirect_uri and client_id
  /jwks        the signing key
  /console     POST {"redirect_uri": ...}: the console's address, which
               becomes the client's one redirect URI and its origin the
               one allowed by CORS (the console's port is known only after
               vagtd, which needs this provider's, has started)

Access tokens are RS256 JWTs (kid, iss, aud = the client id, sub,
preferred_username, iat, nbf, exp), signed with a key made at start by
python3-cryptography, through python3-jwt. No token is ever printed.

Usage: oidc_provider.py --client-id vagt-console --users anna,karl
Prints "oidc_provider: listening on http://127.0.0.1:PORT" once it serves.
"""
import argparse
import base64
import hashlib
import html
import http.server
import json
import secrets
import sys
import threading
import time
import urllib.parse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

KID = "stand-in-1"


class Provider:
    """The provider's state: its key, the console's address, the codes."""

    def __init__(self, client_id, users):
        self.client_id = client_id
        self.users = users
        self.issuer = ""
        self.key = rsa.generate_private_key(public_exponent=65537,
                                            key_size=2048)
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update(kid=KID, use="sig", alg="RS256")
        self.jwks = {"keys": [jwk]}
        self.lock = threading.Lock()
        self.redirect_uri = ""
        self.origin = ""
        self.pending = {}  # transaction id -> the authorization request
        self.codes = {}  # code -> the authorization request and its user

    def sign(self, claims):
        return jwt.encode(claims, self.key, algorithm="RS256",
                          headers={"kid": KID})

    def tokens(self, grant):
        now = int(time.time())
        user = grant["user"]
        access = self.sign({
            "iss": self.issuer, "aud": self.client_id, "sub": f"sub-{user}",
            "preferred_username": user, "scope": grant["scope"],
            "iat": now, "nbf": now, "exp": now + 600})
        id_token = self.sign({
            "iss": self.issuer, "aud": self.client_id, "sub": f"sub-{user}",
            "preferred_username": user, "nonce": grant["nonce"],
            "iat": now, "exp": now + 600})
        return {"access_token": access, "token_type": "Bearer",
                "expires_in": 600, "id_token": id_token,
                "scope": grant["scope"]}


def s256(verifier):
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class Handler(http.server.BaseHTTPRequestHandler):
    provider: Provider  # set on the class by main

    def log_message(self, *args):  # quiet: requests carry codes
        pass

    # --- answers ---------------------------------------------------------

    def cors(self):
        origin = self.headers.get("Origin")
        if origin and origin == self.provider.origin:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")

    def answer_json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.cors()
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def refuse(self, status, error, description):
        self.answer_json(status, {"error": error,
                                  "error_description": description})

    def redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def answer_html(self, page):
        data = page.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def form(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        return {k: v[0] for k, v in urllib.parse.parse_qs(body).items()}

    # --- routes ----------------------------------------------------------

    def do_OPTIONS(self):
        self.send_response(204)
        self.cors()
        self.send_header("Access-Control-Allow-Methods", "GET, POST")
        self.send_header("Access-Control-Allow-Headers",
                         self.headers.get("Access-Control-Request-Headers",
                                          ""))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        p = self.provider
        if url.path == "/.well-known/openid-configuration":
            return self.answer_json(200, {
                "issuer": p.issuer,
                "authorization_endpoint": p.issuer + "/authorize",
                "token_endpoint": p.issuer + "/token",
                "jwks_uri": p.issuer + "/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["none"],
                "scopes_supported": ["openid", "profile"]})
        if url.path == "/jwks":
            return self.answer_json(200, p.jwks)
        if url.path == "/authorize":
            return self.authorize(query)
        self.refuse(404, "not_found", url.path)

    def do_POST(self):
        path = urllib.parse.urlsplit(self.path).path
        if path == "/token":
            return self.token(self.form())
        if path == "/login":
            return self.login(self.form())
        if path == "/console":
            length = int(self.headers.get("Content-Length") or 0)
            uri = json.loads(self.rfile.read(length))["redirect_uri"]
            parts = urllib.parse.urlsplit(uri)
            with self.provider.lock:
                self.provider.redirect_uri = uri
                self.provider.origin = f"{parts.scheme}://{parts.netloc}"
            return self.answer_json(200, {})
        self.refuse(404, "not_found", path)

    def authorize(self, query):
        p = self.provider
        # An unknown client or redirect URI is never redirected to.
        if query.get("client_id") != p.client_id:
            return self.refuse(400, "invalid_client", "unknown client_id")
        if not p.redirect_uri or query.get("redirect_uri") != p.redirect_uri:
            return self.refuse(400, "invalid_request",
                               "redirect_uri is not registered")
        problem = None
        if query.get("response_type") != "code":
            problem = "response_type must be code"
        elif query.get("code_challenge_method") != "S256" or not query.get(
                "code_challenge"):
            problem = "PKCE with S256 is required"
        elif not query.get("state"):
            problem = "state is required"
        if problem:
            return self.redirect(self.back(query, error="invalid_request",
                                           error_description=problem))
        tx = secrets.token_urlsafe(16)
        with p.lock:
            p.pending[tx] = query
        hint = query.get("login_hint")
        if hint in p.users:
            return self.redirect(self.issue(tx, hint))
        buttons = "".join(
            f'<button name="user" value="{html.escape(u)}">'
            f"Log in as {html.escape(u)}</button>" for u in p.users)
        self.answer_html(
            "<!doctype html><html lang=en><title>Stand-in login</title>"
            '<h1>Stand-in login</h1><form method="post" action="/login">'
            f'<input type="hidden" name="tx" value="{tx}">{buttons}'
            '<button name="user" value="">Cancel</button></form></html>')

    def back(self, query, **params):
        params["state"] = query.get("state", "")
        return query["redirect_uri"] + "?" + urllib.parse.urlencode(params)

    def issue(self, tx, user):
        code = secrets.token_urlsafe(24)
        with self.provider.lock:
            query = self.provider.pending.pop(tx)
            self.provider.codes[code] = dict(query, user=user)
        return self.back(query, code=code)

    def login(self, form):
        p = self.provider
        tx, user = form.get("tx", ""), form.get("user", "")
        with p.lock:
            query = p.pending.get(tx)
        if query is None:
            return self.refuse(400, "invalid_request", "unknown transaction")
        if user not in p.users:
            with p.lock:
                p.pending.pop(tx, None)
            return self.redirect(self.back(
                query, error="access_denied",
                error_description="the user cancelled the login"))
        self.redirect(self.issue(tx, user))

    def token(self, form):
        p = self.provider
        if form.get("grant_type") != "authorization_code":
            return self.refuse(400, "unsupported_grant_type",
                               "only authorization_code")
        with p.lock:
            # A code is good once, whatever the outcome.
            grant = p.codes.pop(form.get("code", ""), None)
        if grant is None:
            return self.refuse(400, "invalid_grant", "unknown or used code")
        if form.get("client_id") != grant["client_id"]:
            return self.refuse(400, "invalid_client", "client_id differs")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return self.refuse(400, "invalid_grant", "redirect_uri differs")
        if s256(form.get("code_verifier", "")) != grant["code_challenge"]:
            return self.refuse(
                400, "invalid_grant",
                "code_verifier does not match the code_challenge")
        self.answer_json(200, p.tokens(dict(
            grant, scope=grant.get("scope", ""), nonce=grant.get("nonce",
                                                                 ""))))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--users", required=True,
                        help="comma-separated preferred_username values")
    args = parser.parse_args()
    provider = Provider(args.client_id, args.users.split(","))
    Handler.provider = provider
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"oidc_provider: listening on {provider.issuer}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
