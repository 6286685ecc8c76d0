// Request ids for commands. A command's id is kept until the command
// succeeds, so that sending it again after a failure (the server could not
// be reached) is never recorded twice: vagt answers a retry with the first
// result.

export function newRequestId(): string {
  // crypto.randomUUID exists only in secure contexts; vagtd on a plain
  // http:// address of the office network is not one.
  if (typeof crypto.randomUUID === "function" && isSecureContext) {
    return crypto.randomUUID();
  }
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
