#!/usr/bin/python3
"""A client this project did not write: Debian's python3-grpcio talks to a
running vagtd, with stubs generated from proto/ by python3-grpc-tools.

Usage: python_client_test.py VAGTD_PATH PROTO_DIR
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest
import uuid

import grpc
import pkg_resources
from grpc_tools import protoc

VAGTD, PROTO_DIR = sys.argv[1], sys.argv[2]
# Set in setUpClass: the bearer token of a team worker made for the test.
ACTOR = None


def generate_stubs(out_dir):
    well_known = pkg_resources.resource_filename("grpc_tools", "_proto")
    protos = [os.path.join(root, name)
              for root, _, names in os.walk(PROTO_DIR)
              for name in names if name.endswith(".proto")]
    rc = protoc.main(["protoc", f"-I{PROTO_DIR}", f"-I{well_known}",
                      f"--python_out={out_dir}", f"--grpc_python_out={out_dir}",
                      *protos])
    if rc != 0:
        raise RuntimeError(f"protoc failed with {rc}")
    sys.path.insert(0, out_dir)


class PythonClient(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="vagt-python-")
        generate_stubs(cls.tmp)
        cls.vagtd = subprocess.Popen(
            [VAGTD, "--listen=127.0.0.1:0", f"--data_dir={cls.tmp}/store"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = cls.vagtd.stdout.readline()  # blocks until vagtd prints
        match = re.search(r"listening on (\S+)", line)
        if not match:
            cls.vagtd.kill()
            raise RuntimeError(f"vagtd did not start: {line!r}")
        cls.channel = grpc.insecure_channel(match.group(1))
        from vagt.v1 import calls_pb2, calls_pb2_grpc, events_pb2
        cls.pb, cls.events = calls_pb2, events_pb2
        cls.calls = calls_pb2_grpc.CallServiceStub(cls.channel)
        cls.make_account()

    @classmethod
    def make_account(cls):
        """As the first administrator (the token vagtd wrote on its first
        start): a team with its line, a team worker in it, and a token for
        the worker."""
        global ACTOR
        from vagt.v1 import directory_pb2 as d, directory_pb2_grpc, events_pb2
        with open(f"{cls.tmp}/store/first-admin-token") as f:
            admin = (("authorization", "Bearer " + f.read().strip()),)
        directory = directory_pb2_grpc.DirectoryServiceStub(cls.channel)
        directory.RegisterTeam(d.RegisterTeamRequest(
            request_id="py-team", team_id="ishoj-bos", display_name="Ishøj"),
            metadata=admin, timeout=30)
        directory.RegisterLine(d.RegisterLineRequest(
            request_id="py-line", team_id="ishoj-bos", line_id="ishoj-bos"),
            metadata=admin, timeout=30)
        directory.RegisterPrincipal(d.RegisterPrincipalRequest(
            request_id="py-worker", party_id="worker:python-client",
            display_name="Python"), metadata=admin, timeout=30)
        directory.GrantRole(d.GrantRoleRequest(
            request_id="py-role", party_id="worker:python-client",
            role=events_pb2.ROLE_TEAM_WORKER, team_id="ishoj-bos"),
            metadata=admin, timeout=30)
        issued = directory.IssueToken(d.IssueTokenRequest(
            request_id="py-token", party_id="worker:python-client",
            label="python client test"), metadata=admin, timeout=30)
        ACTOR = (("authorization", "Bearer " + issued.token),)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.vagtd.send_signal(signal.SIGTERM)
        cls.vagtd.wait(timeout=60)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def receive(self):
        return self.calls.ReceiveCall(
            self.pb.ReceiveCallRequest(
                request_id=str(uuid.uuid4()), line_id="ishoj-bos",
                caller_kind=self.events.CALLER_KIND_RELATIVE,
                channel=self.events.CONTACT_CHANNEL_PHONE),
            metadata=ACTOR, timeout=30)

    def test_call_is_logged_noted_and_closed(self):
        received = self.receive()
        self.assertTrue(received.call_id)
        self.assertEqual(received.result.stream_version, 1)
        noted = self.calls.AddNote(
            self.pb.AddCallNoteRequest(request_id=str(uuid.uuid4()),
                                       call_id=received.call_id,
                                       text="mor ringer bekymret"),
            metadata=ACTOR, timeout=30)
        self.assertEqual(noted.stream_version, 2)
        close = self.pb.CloseCallRequest(
            request_id=str(uuid.uuid4()), call_id=received.call_id,
            outcome=self.events.CALL_OUTCOME_RESOLVED_ON_CALL)
        self.assertEqual(
            self.calls.CloseCall(close, metadata=ACTOR, timeout=30).stream_version, 3)
        retried = self.calls.CloseCall(close, metadata=ACTOR, timeout=30)
        self.assertTrue(retried.replayed)

    def test_errors_arrive_as_grpc_status_codes(self):
        received = self.receive()
        with self.assertRaises(grpc.RpcError) as missing_token:
            self.calls.AddNote(self.pb.AddCallNoteRequest(
                request_id=str(uuid.uuid4()), call_id=received.call_id, text="x"),
                timeout=30)
        self.assertEqual(missing_token.exception.code(),
                         grpc.StatusCode.UNAUTHENTICATED)
        with self.assertRaises(grpc.RpcError) as forged:
            self.calls.AddNote(self.pb.AddCallNoteRequest(
                request_id=str(uuid.uuid4()), call_id=received.call_id, text="x"),
                metadata=(("authorization", "Bearer vagt1.x." + "0" * 64),),
                timeout=30)
        self.assertEqual(forged.exception.code(), grpc.StatusCode.UNAUTHENTICATED)
        self.assertNotIn("0" * 64, forged.exception.details())
        with self.assertRaises(grpc.RpcError) as bad_level:
            self.calls.AssessRisk(self.pb.AssessRiskRequest(
                request_id=str(uuid.uuid4()), call_id=received.call_id,
                reason="uro"), metadata=ACTOR, timeout=30)
        self.assertEqual(bad_level.exception.code(),
                         grpc.StatusCode.INVALID_ARGUMENT)
        self.assertIn("level", bad_level.exception.details())


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
