// Generates src/gen/ (message types and service descriptors) from ../proto
// with protoc-gen-es. Run by `npm run generate` and before build, lint and
// typecheck; src/gen/ is not committed.
//
// Uses Debian's protoc (/usr/bin/protoc, or $PROTOC) and its well-known types
// under /usr/include (google/protobuf/timestamp.proto, duration.proto,
// wrappers.proto); on Debian: apt-get install -y protobuf-compiler libprotobuf-dev.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const web = join(dirname(fileURLToPath(import.meta.url)), "..");
const protoRoot = join(web, "..", "proto");
const protoDir = join(protoRoot, "vagt", "v1");
const out = join(web, "src", "gen");
const protoc = process.env.PROTOC ?? "/usr/bin/protoc";
const wellKnown = process.env.PROTOC_INCLUDE ?? "/usr/include";
const plugin = join(web, "node_modules", ".bin", "protoc-gen-es");

for (const [what, path, hint] of [
  ["protoc", protoc, "apt-get install -y protobuf-compiler libprotobuf-dev"],
  [
    "google/protobuf/timestamp.proto",
    join(wellKnown, "google", "protobuf", "timestamp.proto"),
    "apt-get install -y libprotobuf-dev",
  ],
  ["protoc-gen-es", plugin, "npm ci"],
]) {
  if (!existsSync(path)) {
    console.error(`generate: ${what} not found at ${path} (${hint})`);
    process.exit(1);
  }
}

const protos = readdirSync(protoDir)
  .filter((f) => f.endsWith(".proto"))
  .sort()
  .map((f) => join("vagt", "v1", f));

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
execFileSync(
  protoc,
  [
    `--plugin=protoc-gen-es=${plugin}`,
    `--es_out=${out}`,
    "--es_opt=target=ts",
    `-I${protoRoot}`,
    `-I${wellKnown}`,
    ...protos,
  ],
  { stdio: "inherit", cwd: protoRoot },
);
