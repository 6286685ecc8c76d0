// The one way the console talks to vagtd: Connect clients generated from
// ../proto (src/gen/), over a JSON Connect transport to the page's own origin,
// each request carrying "Authorization: Bearer <token>". No request is written
// by hand.
//
//   const board = await clients.onCall.getBoard({ lineId: "ishoj-bos" });
import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import type { DescService } from "@bufbuild/protobuf";
import { AuditService } from "./gen/vagt/v1/audit_pb";
import { CallService } from "./gen/vagt/v1/calls_pb";
import { CitizenService } from "./gen/vagt/v1/citizens_pb";
import { DirectoryService } from "./gen/vagt/v1/directory_pb";
import { EscalationPolicyService, EscalationService } from "./gen/vagt/v1/escalations_pb";
import { LineService } from "./gen/vagt/v1/lines_pb";
import { OnCallService } from "./gen/vagt/v1/oncall_pb";
import { RosterService } from "./gen/vagt/v1/roster_pb";
import { storedToken } from "./session";

const bearer: Interceptor = (next) => (request) => {
  const token = storedToken();
  if (token) request.header.set("Authorization", `Bearer ${token}`);
  return next(request);
};

const transport = createConnectTransport({
  baseUrl: location.origin,
  useBinaryFormat: false,
  interceptors: [bearer],
});

function client<S extends DescService>(service: S): Client<S> {
  return createClient(service, transport);
}

export const clients = {
  audit: client(AuditService),
  calls: client(CallService),
  citizens: client(CitizenService),
  directory: client(DirectoryService),
  escalations: client(EscalationService),
  policies: client(EscalationPolicyService),
  lines: client(LineService),
  onCall: client(OnCallService),
  roster: client(RosterService),
};
