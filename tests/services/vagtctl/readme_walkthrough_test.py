#!/usr/bin/python3
"""The README's walk-through, as a new user pastes it: every shell block from
"## An evening with vagtctl" up to the next section, run by bash with
`set -euo pipefail` against a real vagtd on a fresh data directory (its first
start's administrator token included), with real vagtctl processes.

Only what a paste cannot run unattended is left out: a board --watch (it runs
until Ctrl-C) and lines that name a placeholder the reader fills in
(OVERRIDE_ID, a calendar file of their own).

Usage: readme_walkthrough_test.py README VAGTD VAGTCTL_DIR
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest

README, VAGTD, VAGTCTL_DIR = sys.argv[1], sys.argv[2], sys.argv[3]
PLACEHOLDERS = ("OVERRIDE_ID", "swaps.ics")


def walkthrough(section="## An evening with vagtctl"):
    text = open(README, encoding="utf-8").read()
    start = text.index(section)
    end = text.index("\n## ", start + 1)
    blocks = re.findall(r"```sh\n(.*?)```", text[start:end], re.S)
    lines = []
    for line in "\n".join(blocks).splitlines():
        if re.match(r"^vagtctl .*--watch$", line):
            continue
        if any(p in line for p in PLACEHOLDERS):
            continue
        lines.append(line)
    return "\n".join(lines)


class ReadmeWalkthrough(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="vagt-readme-")
        os.makedirs(f"{self.dir}/var")
        self.vagtd = subprocess.Popen(
            [VAGTD, "--listen=127.0.0.1:0", "--data_dir=var/vagt",
             "--http_listen=127.0.0.1:0", "--web_dir=no-console"],
            cwd=self.dir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)
        self.printed = [self.vagtd.stdout.readline() for _ in range(4)]
        match = re.search(r"listening on (\S+)", self.printed[0])
        if not match:
            self.vagtd.kill()
            raise RuntimeError(f"vagtd did not start: {self.printed!r}")
        self.address = match.group(1)
        match = re.search(r"Connect gateway at (http://127.0.0.1:\d+)/",
                          self.printed[3])
        if not match:
            self.vagtd.kill()
            raise RuntimeError(f"vagtd has no gateway: {self.printed!r}")
        self.origin = match.group(1)

    def tearDown(self):
        self.vagtd.send_signal(signal.SIGTERM)
        self.vagtd.wait(timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_the_evening_runs_as_written(self):
        # vagtd said where the first token is, and that file is its owner's.
        self.assertIn("var/vagt/first-admin-token", self.printed[1])
        self.assertIn("vagtctl login", self.printed[2])
        mode = os.stat(f"{self.dir}/var/vagt/first-admin-token").st_mode
        self.assertEqual(mode & 0o777, 0o600)

        script = walkthrough()
        self.assertIn("vagtctl login --token-file", script)
        script = script.replace("export VAGT_SERVER=127.0.0.1:50051",
                                f"export VAGT_SERVER={self.address}")
        script = script.replace('$PWD/build/services/vagtctl', VAGTCTL_DIR)
        env = {"PATH": "/usr/bin:/bin", "HOME": self.dir, "LANG": "C.UTF-8",
               "TZ": "Europe/Copenhagen"}
        run = subprocess.run(["bash", "-c", "set -euo pipefail\n" + script],
                             cwd=self.dir, env=env, capture_output=True,
                             text=True, timeout=600)
        self.assertEqual(run.returncode, 0,
                         f"stdout:\n{run.stdout}\nstderr:\n{run.stderr}")
        out = run.stdout
        self.assertIn("Logged in to", out)
        self.assertIn("as Anna Jensen (worker:anna): team-worker of ishoj-bos", out)
        self.assertIn("chain OK", out)
        # Tokens went to their files, never to the terminal.
        for name in ("anna", "bo", "akut-ishoj", "natpartner"):
            token = open(f"{self.dir}/tokens/{name}").read().strip()
            self.assertTrue(token.startswith("vagt1."))
            self.assertNotIn(token, out + run.stderr)
            mode = os.stat(f"{self.dir}/tokens/{name}").st_mode
            self.assertEqual(mode & 0o077, 0)
        credentials = f"{self.dir}/.config/vagt/credentials"
        self.assertEqual(os.stat(credentials).st_mode & 0o777, 0o600)

        # The console section's curl call, with Anna's token from the evening.
        curl = walkthrough("## The console in a browser")
        self.assertIn("curl", curl)
        curl = curl.replace("http://127.0.0.1:8080", self.origin)
        run = subprocess.run(["bash", "-c", "set -euo pipefail\n" + curl],
                             cwd=self.dir, env=env, capture_output=True,
                             text=True, timeout=60)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn('"partyId":"worker:anna"', run.stdout)
        self.assertIn('"displayName":"Anna Jensen"', run.stdout)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
