#!/usr/bin/python3
"""OpenID Connect tokens at a real vagtd, signed by Debian's python3-jwt
with RSA keys the test makes (python3-cryptography), sent by Debian's
python3-grpcio: a token of the trusted provider for vagt names its
registered worker (WhoAmI answers it, with the directory's roles); expired,
not yet valid, wrong audience or issuer, tampered, unsigned (alg none),
HS256 "signed" with the public key, unknown kid, unregistered and suspended
are refused UNAUTHENTICATED with their reason. With the keys fetched by URL
from a provider the test serves, a rotated key is fetched when its kid
first arrives, at most once per --oidc_jwks_min_refetch, and a provider
that fails keeps the last good keys. No token reaches vagtd's output.

Usage: oidc_test.py VAGTD_PATH PROTO_DIR
"""
import hashlib
import hmac
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import grpc
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from jwt.utils import base64url_encode

import vagt_stubs  # beside this file

VAGTD, PROTO_DIR = sys.argv[1], sys.argv[2]
ISSUER = "https://login.example.dk/realms/ishoj"
AUDIENCE = "vagt"


def generate_stubs(out_dir):
    vagt_stubs.generate_stubs(PROTO_DIR, out_dir)


class SigningKey:
    """An RSA key of the provider, with its kid."""

    def __init__(self, kid):
        self.kid = kid
        self.private = rsa.generate_private_key(public_exponent=65537,
                                                key_size=2048)
        self.public_pem = self.private.public_key().public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo)

    def jwk(self):
        jwk = json.loads(RSAAlgorithm.to_jwk(self.private.public_key()))
        jwk.update(kid=self.kid, use="sig", alg="RS256")
        return jwk

    def sign(self, claims, kid=None):
        return jwt.encode(claims, self.private, algorithm="RS256",
                          headers={"kid": kid or self.kid})


def jwks(*keys):
    return json.dumps({"keys": [k.jwk() for k in keys]})


def claims(name="anna@ishoj.dk", **changes):
    now = int(time.time())
    c = {"iss": ISSUER, "aud": AUDIENCE, "iat": now - 10, "exp": now + 300,
         "preferred_username": name}
    c.update(changes)
    return {k: v for k, v in c.items() if v is not None}


class Provider(http.server.ThreadingHTTPServer):
    """The identity provider's jwks_uri on loopback: serves `document`,
    or 500 while `down`, and counts the requests."""

    def __init__(self, document):
        self.document, self.down, self.requests = document, False, 0
        self.lock = threading.Lock()
        provider = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                with provider.lock:
                    provider.requests += 1
                    down, body = provider.down, provider.document.encode()
                self.send_response(500 if down else 200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/keys"

    def set(self, document=None, down=False):
        with self.lock:
            if document is not None:
                self.document = document
            self.down = down

    def count(self):
        with self.lock:
            return self.requests


class Oidc(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="vagt-oidc-")
        generate_stubs(cls.tmp)
        cls.key = SigningKey("idp-1")
        cls.output = []  # every line vagtd printed, for the no-token check
        cls.tokens = []  # every token sent

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def start(self, name, *flags):
        """A vagtd trusting the test's provider; its address and the admin
        token. Reads its output until it listens, then drains it."""
        data = f"{self.tmp}/{name}"
        vagtd = subprocess.Popen(
            [VAGTD, "--listen=127.0.0.1:0", f"--data_dir={data}",
             f"--oidc_issuer={ISSUER}", f"--oidc_audience={AUDIENCE}",
             "--oidc_domain=ishoj.dk", *flags],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        address = None
        for line in vagtd.stdout:
            self.output.append(line)
            if match := re.search(r"listening on (\S+)", line):
                address = match.group(1)
                break
        if address is None:
            vagtd.wait(timeout=60)
            raise RuntimeError(f"vagtd did not start: {self.output[-5:]!r}")
        drain = threading.Thread(target=lambda: self.output.extend(vagtd.stdout))
        drain.start()

        def stop():
            vagtd.send_signal(signal.SIGTERM)
            vagtd.wait(timeout=60)
            drain.join(timeout=60)
            vagtd.stdout.close()
        self.addCleanup(stop)
        channel = grpc.insecure_channel(address)
        self.addCleanup(channel.close)
        with open(f"{data}/first-admin-token") as f:
            admin = f.read().strip()
        self.register(channel, admin)
        return channel

    def register(self, channel, admin):
        """worker:anna, a team worker; worker:bo, suspended."""
        from vagt.v1 import directory_pb2 as d, directory_pb2_grpc, events_pb2
        md = (("authorization", f"Bearer {admin}"),)
        directory = directory_pb2_grpc.DirectoryServiceStub(channel)
        directory.RegisterTeam(d.RegisterTeamRequest(
            request_id="team", team_id="ishoj-bos", display_name="Ishøj"),
            metadata=md, timeout=30)
        for worker in ("anna", "bo"):
            directory.RegisterPrincipal(d.RegisterPrincipalRequest(
                request_id=f"register-{worker}", party_id=f"worker:{worker}",
                display_name=worker.title()), metadata=md, timeout=30)
            directory.GrantRole(d.GrantRoleRequest(
                request_id=f"grant-{worker}", party_id=f"worker:{worker}",
                role=events_pb2.ROLE_TEAM_WORKER, team_id="ishoj-bos"),
                metadata=md, timeout=30)
        directory.SuspendPrincipal(d.SuspendPrincipalRequest(
            request_id="suspend-bo", party_id="worker:bo", reason="orlov"),
            metadata=md, timeout=30)

    def call(self, channel, token, method="WhoAmI"):
        from vagt.v1 import directory_pb2 as d, directory_pb2_grpc
        self.tokens.append(token)
        stub = directory_pb2_grpc.DirectoryServiceStub(channel)
        request = (d.WhoAmIRequest() if method == "WhoAmI"
                   else d.GetDirectoryRequest())
        return getattr(stub, method)(
            request, metadata=(("authorization", f"Bearer {token}"),),
            timeout=30)

    def assert_admits(self, channel, token, party_id="worker:anna"):
        who = self.call(channel, token)
        self.assertEqual(who.principal.party_id, party_id)
        self.assertEqual(who.credential_id, "")
        return who

    def assert_refused(self, channel, token, reason):
        with self.assertRaises(grpc.RpcError) as refused:
            self.call(channel, token)
        error = refused.exception
        self.assertEqual(error.code(), grpc.StatusCode.UNAUTHENTICATED,
                         error.details())
        self.assertIn(reason, error.details())
        for part in token.split("."):
            if len(part) >= 8:
                self.assertNotIn(part, error.details())

    def assert_no_token_in_output(self):
        output = "".join(self.output)
        for token in self.tokens:
            for part in token.split("."):
                if len(part) >= 16:
                    self.assertNotIn(part, output)

    def test_tokens_from_a_keys_file(self):
        keys = f"{self.tmp}/keys.json"
        with open(keys, "w") as f:
            f.write(jwks(self.key))
        channel = self.start("file", f"--oidc_jwks_file={keys}")
        k = self.key

        from vagt.v1 import events_pb2
        who = self.assert_admits(channel, k.sign(claims("Anna@Ishoj.dk")))
        self.assertEqual([(r.role, r.team_id) for r in who.principal.roles],
                         [(events_pb2.ROLE_TEAM_WORKER, "ishoj-bos")])
        # Authorisation stays the rights table's: a team worker does not
        # see the directory.
        with self.assertRaises(grpc.RpcError) as denied:
            self.call(channel, k.sign(claims()), method="GetDirectory")
        self.assertEqual(denied.exception.code(),
                         grpc.StatusCode.PERMISSION_DENIED)

        now = int(time.time())
        self.assert_refused(channel, k.sign(claims(exp=now - 3600)),
                            "the token has expired")
        self.assert_refused(channel, k.sign(claims(nbf=now + 3600)),
                            "the token is not yet valid")
        self.assert_refused(channel, k.sign(claims(aud="another-app")),
                            "wrong audience")
        self.assert_refused(channel,
                            k.sign(claims(iss="https://evil.example/realm")),
                            "wrong issuer")
        # The payload changed after signing: Anna makes herself admin.
        head, _, signature = k.sign(claims()).split(".")
        forged = base64url_encode(json.dumps(
            claims("admin@ishoj.dk")).encode()).decode()
        self.assert_refused(channel, f"{head}.{forged}.{signature}",
                            "the signature does not verify")
        self.assert_refused(
            channel, jwt.encode(claims("admin@ishoj.dk"), None,
                                algorithm="none", headers={"kid": k.kid}),
            "alg none is refused")
        # PyJWT will not use a PEM as an HMAC secret; the attacker will.
        header = {"alg": "HS256", "typ": "JWT", "kid": k.kid}
        signing_input = b".".join(
            base64url_encode(json.dumps(part).encode())
            for part in (header, claims("admin@ishoj.dk")))
        mac = hmac.new(k.public_pem, signing_input, hashlib.sha256).digest()
        self.assert_refused(
            channel, (signing_input + b"." + base64url_encode(mac)).decode(),
            "alg HS256 (HMAC) is refused")
        self.assert_refused(channel, k.sign(claims(), kid="idp-unknown"),
                            "unknown kid")
        self.assert_refused(channel, SigningKey("idp-1").sign(claims()),
                            "the signature does not verify")
        self.assert_refused(channel, k.sign(claims("carl@ishoj.dk")),
                            "worker:carl is not registered")
        self.assert_refused(channel, k.sign(claims("anna@gmail.com")),
                            "not in the domain ishoj.dk")
        self.assert_refused(channel, k.sign(claims("bo@ishoj.dk")),
                            "the token's principal is suspended")
        # After all these refusals Anna's valid token still works (fewer
        # than the throttle's burst of failures from one address).
        self.assert_admits(channel, k.sign(claims()))
        self.assert_no_token_in_output()

    def test_keys_by_url_rotate_and_survive_a_failing_provider(self):
        second = SigningKey("idp-2")
        provider = Provider(jwks(self.key))
        self.addCleanup(provider.server_close)
        self.addCleanup(provider.shutdown)
        channel = self.start("url", f"--oidc_jwks_url={provider.url()}",
                             "--oidc_jwks_min_refetch=0s")
        self.assertEqual(provider.count(), 1)
        self.assert_admits(channel, self.key.sign(claims()))
        self.assertEqual(provider.count(), 1)

        # The provider rotates to a new key: its first token fetches it.
        provider.set(jwks(second))
        self.assert_admits(channel, second.sign(claims()))
        self.assertEqual(provider.count(), 2)
        # The withdrawn key went with that fetch.
        self.assert_refused(channel, self.key.sign(claims()), "unknown kid")

        # The provider fails: the keys last fetched still verify.
        provider.set(down=True)
        self.assert_refused(channel, second.sign(claims(), kid="idp-3"),
                            "unknown kid")
        self.assertEqual(provider.count(), 4)
        self.assert_admits(channel, second.sign(claims()))
        self.assert_no_token_in_output()
        self.assertTrue(any("were not refreshed" in line
                            for line in self.output))

    def test_unknown_kids_fetch_at_most_once_per_interval(self):
        provider = Provider(jwks(self.key))
        self.addCleanup(provider.server_close)
        self.addCleanup(provider.shutdown)
        channel = self.start("rate", f"--oidc_jwks_url={provider.url()}",
                             "--oidc_jwks_min_refetch=1h")
        self.assertEqual(provider.count(), 1)
        rotated = SigningKey("idp-2")
        provider.set(jwks(self.key, rotated))
        for _ in range(5):
            self.assert_refused(channel, rotated.sign(claims()), "unknown kid")
        self.assertEqual(provider.count(), 1)
        self.assert_admits(channel, self.key.sign(claims()))

    def test_bad_setups_are_refused_at_start(self):
        for flags, named in (
                ([f"--oidc_issuer={ISSUER}"], "--oidc_audience"),
                ([f"--oidc_issuer={ISSUER}", "--oidc_audience=vagt"],
                 "--oidc_jwks_file"),
                ([f"--oidc_issuer={ISSUER}", "--oidc_audience=vagt",
                  "--oidc_jwks_url=http://idp.example/keys"], "https"),
                ([f"--oidc_issuer={ISSUER}", "--oidc_audience=vagt",
                  f"--oidc_jwks_file={self.tmp}/missing.json"],
                 "cannot read"),
                (["--oidc_audience=vagt"], "--oidc_issuer")):
            data = f"{self.tmp}/bad"
            run = subprocess.run([VAGTD, "--listen=127.0.0.1:0",
                                  f"--data_dir={data}", *flags],
                                 capture_output=True, text=True, timeout=60)
            self.assertNotEqual(run.returncode, 0, flags)
            self.assertIn(named, run.stderr, flags)
            self.assertFalse(os.path.exists(data))  # nothing was created


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
