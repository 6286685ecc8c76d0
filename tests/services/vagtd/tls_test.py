#!/usr/bin/python3
"""TLS and mutual TLS of a real vagtd, with Debian's python3-grpcio as the
client and certificates the test makes with the openssl command line: a
TLS client is served, a plaintext one is not; under mutual TLS a client
without a certificate the CA signed is refused in the handshake; plaintext
beyond loopback is refused at start, naming the flags.

Usage: tls_test.py VAGTD_PATH PROTO_DIR
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest

import grpc

import vagt_stubs  # beside this file

VAGTD, PROTO_DIR = sys.argv[1], sys.argv[2]


def generate_stubs(out_dir):
    vagt_stubs.generate_stubs(PROTO_DIR, out_dir)


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True,
                   capture_output=True)


def make_pki(d):
    """A CA, a server certificate for 127.0.0.1, and a client certificate
    (and a second client signed by another CA)."""
    for ca in ("ca", "other-ca"):
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", f"/CN=vagt test {ca}", "-keyout", f"{ca}.key",
                "-out", f"{ca}.pem", cwd=d)
    with open(f"{d}/server.ext", "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    for name, ca, ext in (("server", "ca", ["-extfile", "server.ext"]),
                          ("client", "ca", []), ("stranger", "other-ca", [])):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj",
                f"/CN={name}", "-keyout", f"{name}.key", "-out",
                f"{name}.csr", cwd=d)
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem",
                "-CAkey", f"{ca}.key", "-CAcreateserial", "-days", "2",
                "-out", f"{name}.pem", *ext, cwd=d)


def read(path):
    with open(path, "rb") as f:
        return f.read()


class Tls(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="vagt-tls-")
        generate_stubs(cls.tmp)
        make_pki(cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def start(self, name, *flags):
        data = f"{self.tmp}/{name}"
        vagtd = subprocess.Popen(
            [VAGTD, "--listen=127.0.0.1:0", f"--data_dir={data}", *flags],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = vagtd.stdout.readline()
        match = re.search(r"listening on (\S+) \(([^,]+),", line)
        if not match:
            vagtd.kill()
            raise RuntimeError(f"vagtd did not start: {line!r}")
        self.addCleanup(lambda: (vagtd.send_signal(signal.SIGTERM),
                                 vagtd.wait(timeout=60)))
        token = read(f"{data}/first-admin-token").decode().strip()
        return match.group(1), match.group(2), token

    def whoami(self, channel, token):
        from vagt.v1 import directory_pb2, directory_pb2_grpc
        stub = directory_pb2_grpc.DirectoryServiceStub(channel)
        return stub.WhoAmI(directory_pb2.WhoAmIRequest(),
                           metadata=(("authorization", f"Bearer {token}"),),
                           timeout=10)

    def tls_channel(self, address, cert=None):
        t = self.tmp
        creds = grpc.ssl_channel_credentials(
            root_certificates=read(f"{t}/ca.pem"),
            private_key=read(f"{t}/{cert}.key") if cert else None,
            certificate_chain=read(f"{t}/{cert}.pem") if cert else None)
        channel = grpc.secure_channel(address, creds)
        self.addCleanup(channel.close)
        return channel

    def test_tls_serves_tls_clients_only(self):
        t = self.tmp
        address, mode, token = self.start(
            "tls", f"--tls_cert={t}/server.pem", f"--tls_key={t}/server.key")
        self.assertEqual(mode, "TLS")
        who = self.whoami(self.tls_channel(address), token)
        self.assertEqual(who.principal.party_id, "worker:admin")
        plain = grpc.insecure_channel(address)
        self.addCleanup(plain.close)
        with self.assertRaises(grpc.RpcError) as refused:
            self.whoami(plain, token)
        self.assertEqual(refused.exception.code(), grpc.StatusCode.UNAVAILABLE)

    def test_mutual_tls_refuses_clients_without_a_signed_certificate(self):
        t = self.tmp
        address, mode, token = self.start(
            "mtls", f"--tls_cert={t}/server.pem", f"--tls_key={t}/server.key",
            f"--tls_client_ca={t}/ca.pem")
        self.assertEqual(mode, "mutual TLS")
        who = self.whoami(self.tls_channel(address, cert="client"), token)
        self.assertEqual(who.principal.party_id, "worker:admin")
        for cert in (None, "stranger"):
            with self.assertRaises(grpc.RpcError) as refused:
                self.whoami(self.tls_channel(address, cert=cert), token)
            self.assertEqual(refused.exception.code(),
                             grpc.StatusCode.UNAVAILABLE, cert)

    def test_plaintext_beyond_loopback_is_refused_at_start(self):
        data = f"{self.tmp}/open"
        run = subprocess.run([VAGTD, "--listen=0.0.0.0:0", f"--data_dir={data}"],
                             capture_output=True, text=True, timeout=60)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("refuses to listen beyond loopback without TLS",
                      run.stderr)
        self.assertIn("--tls_cert", run.stderr)
        self.assertFalse(os.path.exists(data))  # nothing was created
        half = subprocess.run([VAGTD, f"--tls_cert={self.tmp}/server.pem",
                               f"--data_dir={data}"],
                              capture_output=True, text=True, timeout=60)
        self.assertNotEqual(half.returncode, 0)
        self.assertIn("--tls_key", half.stderr)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
