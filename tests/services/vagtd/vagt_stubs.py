"""Python stubs of vagt's directory service, generated at test time by
Debian's python3-grpc-tools, for the process tests that need only it."""

import os
import sys

import pkg_resources
from grpc_tools import protoc


def generate_stubs(proto_dir, out_dir):
    """Generates the directory service's stubs into `out_dir` and puts it on
    sys.path."""
    well_known = pkg_resources.resource_filename("grpc_tools", "_proto")
    protos = [os.path.join(proto_dir, "vagt/v1", name)
              for name in ("directory.proto", "events.proto", "commands.proto")]
    if protoc.main(["protoc", f"-I{proto_dir}", f"-I{well_known}",
                    f"--python_out={out_dir}", f"--grpc_python_out={out_dir}",
                    *protos]) != 0:
        raise RuntimeError("protoc failed")
    sys.path.insert(0, out_dir)
