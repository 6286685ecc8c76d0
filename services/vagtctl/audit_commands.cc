// vagtctl timeline, board-at, verify, review: the audit trail for the review
// after a crisis (AuditService). Every read of citizens' data is recorded
// by the server with the purpose the reader gives (--purpose, --reason).
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/text_format.h"
#include "services/vagtctl/board_text.h"
#include "services/vagtctl/command_line.h"
#include "services/vagtctl/commands.h"
#include "services/vagtctl/local_time.h"
#include "vagt/v1/audit.grpc.pb.h"

namespace vagt::vagtctl {
namespace {

using Stub = v1::AuditService::Stub;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

std::unique_ptr<Stub> AuditStub(const Session& s) {
  return v1::AuditService::NewStub(s.connection.channel());
}

// ---------------------------------------------------------------------------
// Why the data is read: --purpose and --reason, on every read of citizens'
// data.

struct AccessOptions {
  v1::AccessPurpose purpose = v1::ACCESS_PURPOSE_UNSPECIFIED;
  std::string reason;

  v1::AccessReason Reason() const {
    v1::AccessReason access;
    access.set_purpose(purpose);
    access.set_reason(reason);
    return access;
  }
};

constexpr char kAccessHelp[] =
    "Every read is recorded with who read what and why (--purpose, and "
    "--reason\nfor purpose other).";

void AddAccessOptions(CLI::App* cmd, AccessOptions* o) {
  AddChoice(cmd, "--purpose", &o->purpose, kAccessPurposes,
            "Why you read it; recorded with the read")
      ->required();
  cmd->add_option("--reason", o->reason,
                  "In your words (required for purpose other); recorded");
}

// --from/--to/--at: an instant typed as local time or RFC 3339, into
// `*out`. Returns false after printing a usage error.
bool SetInstant(const std::string& text, const std::string& field,
                const Session& s, google::protobuf::Timestamp* out) {
  absl::StatusOr<absl::Time> t = ParseInstant(text, s.now, field);
  if (!t.ok()) {
    Output::UsageError(std::string(t.status().message()));
    return false;
  }
  *out = ToTimestamp(*t);
  return true;
}

// ---------------------------------------------------------------------------
// timeline

struct TimelineOptions {
  std::string citizen;
  std::string call;
  std::string escalation;
  std::string worker;
  std::string line;
  std::string from;
  std::string to;
  uint32_t page_size = 0;
  std::string page_token;
  bool all_pages = false;
  AccessOptions access;
};

// Clears every field named "sensitive" in `message` and the messages it
// holds: the sub-messages where events keep free text and personal details.
void DropSensitive(Message& message) {
  const google::protobuf::Descriptor* d = message.GetDescriptor();
  const google::protobuf::Reflection* r = message.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->name() == "sensitive") {
      r->ClearField(&message, f);
    } else if (f->is_repeated()) {
      for (int j = 0; j < r->FieldSize(message, f); ++j) {
        DropSensitive(*r->MutableRepeatedMessage(&message, f, j));
      }
    } else if (r->HasField(message, f)) {
      DropSensitive(*r->MutableMessage(&message, f));
    }
  }
}

// The payload in protobuf text format on one line, without its sensitive
// parts, cut to `max_bytes` on a character boundary.
std::string Summary(const v1::EventPayload& payload, size_t max_bytes) {
  const google::protobuf::OneofDescriptor* event =
      payload.GetDescriptor()->FindOneofByName("event");
  const FieldDescriptor* field =
      payload.GetReflection()->GetOneofFieldDescriptor(payload, event);
  if (field == nullptr) return "(no payload)";
  std::unique_ptr<Message> copy(
      payload.GetReflection()->GetMessage(payload, field).New());
  copy->CopyFrom(payload.GetReflection()->GetMessage(payload, field));
  DropSensitive(*copy);
  google::protobuf::TextFormat::Printer printer;
  printer.SetSingleLineMode(true);
  printer.SetUseUtf8StringEscaping(true);
  std::string text;
  printer.PrintToString(*copy, &text);
  while (!text.empty() && text.back() == ' ') text.pop_back();
  if (text.size() <= max_bytes) return text;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return absl::StrCat(text.substr(0, cut), "...");
}

// "2026-11-24 22:31:05  #42  worker:anna  CallRiskAssessed  call-...  {...}"
std::string EventLine(const v1::EventEnvelope& e) {
  std::string type = e.type();
  if (const size_t dot = type.rfind('.'); dot != std::string::npos) {
    type = type.substr(dot + 1);
  }
  std::string line = absl::StrCat(FormatLocalSeconds(ToTime(e.recorded_at())),
                                  "  #", e.global_position(), "  ", e.actor(),
                                  "  ", type, "  ", e.stream_id());
  // A call logged afterwards: when it happened, too.
  const absl::Duration late = ToTime(e.recorded_at()) - ToTime(e.occurred_at());
  if (absl::AbsDuration(late) >= absl::Minutes(1)) {
    absl::StrAppend(&line, "  (occurred ",
                    FormatLocalSeconds(ToTime(e.occurred_at())), ")");
  }
  absl::StrAppend(&line, "  ", Summary(e.payload(), 160));
  return line;
}

int Timeline(const TimelineOptions& o, Session& s) {
  v1::TimelineRequest request;
  // At most one subject (a oneof: setting one clears the others).
  using Setter = void (v1::TimelineRequest::*)(const std::string&);
  const std::pair<const std::string*, Setter> subjects[] = {
      {&o.citizen, &v1::TimelineRequest::set_citizen_ref},
      {&o.call, &v1::TimelineRequest::set_call_id},
      {&o.escalation, &v1::TimelineRequest::set_escalation_id},
      {&o.worker, &v1::TimelineRequest::set_worker_id},
      {&o.line, &v1::TimelineRequest::set_line_id},
  };
  int given = 0;
  for (const auto& [value, set] : subjects) {
    if (value->empty()) continue;
    if (++given > 1) {
      return Output::UsageError(
          "give at most one of --citizen, --call, --escalation, --worker, "
          "--line");
    }
    (request.*set)(*value);
  }
  if ((!o.from.empty() &&
       !SetInstant(o.from, "--from", s, request.mutable_from())) ||
      (!o.to.empty() && !SetInstant(o.to, "--to", s, request.mutable_to()))) {
    return kExitUsage;
  }
  request.set_page_size(o.page_size);
  request.set_page_token(o.page_token);
  *request.mutable_access() = o.access.Reason();

  auto stub = AuditStub(s);
  // With --all-pages, the events the log held when the first page was read:
  // each page's read is itself recorded, and must not extend the walk.
  uint64_t last_position = 0;
  int printed = 0;
  while (true) {
    v1::TimelineResponse page;
    const grpc::Status status = Send(s, *stub, &Stub::Timeline, request, &page);
    if (!status.ok()) return s.output.Failure(status, /*read=*/true);
    if (last_position == 0) last_position = page.as_of_position();
    bool beyond = false;
    for (const v1::EventEnvelope& e : page.events()) {
      if (o.all_pages && e.global_position() > last_position) {
        beyond = true;
        break;
      }
      std::printf("%s\n", (s.output.json() ? ToJson(e) : EventLine(e)).c_str());
      ++printed;
    }
    if (page.next_page_token().empty() || beyond) break;
    if (!o.all_pages) {
      // With --json on stderr, so that stdout stays one event per line.
      std::fprintf(s.output.json() ? stderr : stdout,
                   "next page: --page-token %s\n",
                   page.next_page_token().c_str());
      break;
    }
    request.set_page_token(page.next_page_token());
  }
  if (printed == 0 && !s.output.json()) std::printf("No events.\n");
  return kExitOk;
}

void AddTimeline(CommandLine& cli) {
  auto o = std::make_shared<TimelineOptions>();
  CLI::App* cmd = cli.AddCommand(
      cli.root(), "timeline",
      "The events about a citizen, call, escalation, worker or line, in log "
      "order",
      absl::StrCat(
          R"(  vagtctl timeline --call CALL_ID --purpose crisis-review
  vagtctl timeline --citizen citizen-7f3a --from "2026-11-24 18:00" \
      --to "2026-11-25 08:00" --purpose crisis-review --all-pages
  vagtctl timeline --line ishoj-bos --from 2026-11-24T17:00:00Z --purpose audit
  vagtctl timeline --worker worker:anna --purpose supervision --page-size 20
  vagtctl timeline --purpose audit --all-pages --json > trail.jsonl

One line per event: local time, position, actor, type, stream, and the event
in brief (notes, reasons and personal details left out: --json prints the
events whole, one JSON object per line). Times are Copenhagen local time
("2026-11-24 22:30", or 22:30 for the latest 22:30) or RFC 3339.
)",
          kAccessHelp),
      [o](Session& s) { return Timeline(*o, s); });
  cmd->add_option("--citizen", o->citizen, "About a citizen (citizen-...)");
  cmd->add_option("--call", o->call, "About a call");
  cmd->add_option("--escalation", o->escalation, "About an escalation");
  cmd->add_option("--worker", o->worker,
                  "Recorded by or naming a worker or partner (worker:anna)");
  cmd->add_option("--line", o->line, "About a line");
  cmd->add_option("--from", o->from, "Recorded at or after this time");
  cmd->add_option("--to", o->to, "Recorded before this time");
  cmd->add_option("--page-size", o->page_size, "Events per page (default 100)");
  cmd->add_option("--page-token", o->page_token,
                  "Continue where the previous page ended (it prints this)");
  cmd->add_flag("--all-pages", o->all_pages, "Fetch every page");
  AddAccessOptions(cmd, &o->access);
}

// ---------------------------------------------------------------------------
// board-at

struct BoardAtOptions {
  std::string line;
  std::string at;
  AccessOptions access;
};

void AddBoardAt(CommandLine& cli) {
  auto o = std::make_shared<BoardAtOptions>();
  CLI::App* cmd = cli.AddCommand(
      cli.root(), "board-at",
      "The board of a line exactly as it was at a past moment",
      absl::StrCat(
          R"(  vagtctl board-at --line ishoj-bos --at "2026-11-24 22:30" \
      --purpose crisis-review
  vagtctl board-at --line ishoj-bos --at 2026-11-24T21:30:00Z --purpose audit

What the duty worker could have known then: printed like vagtctl board.
)",
          kAccessHelp),
      [o](Session& s) {
        v1::BoardAtRequest request;
        request.set_line_id(o->line);
        if (!SetInstant(o->at, "--at", s, request.mutable_at())) {
          return kExitUsage;
        }
        *request.mutable_access() = o->access.Reason();
        v1::Board board;
        auto stub = AuditStub(s);
        return s.output.ReportRead(
            Send(s, *stub, &Stub::BoardAt, request, &board), board,
            [&] { return BoardText(board, s.now); });
      });
  cmd->add_option("--line", o->line, "The line, e.g. ishoj-bos")->required();
  cmd->add_option("--at", o->at,
                  "The moment: local time (\"2026-11-24 22:30\") or RFC 3339")
      ->required();
  AddAccessOptions(cmd, &o->access);
}

// ---------------------------------------------------------------------------
// verify

void AddVerify(CommandLine& cli) {
  cli.AddCommand(
      cli.root(), "verify",
      "Check the hash chain of the whole log: nothing lost or changed",
      R"(  vagtctl verify
  vagtctl verify --json

Prints "chain OK: N events", or "CHAIN BROKEN at position P: problem" and
exits with 3.)",
      [](Session& s) {
        v1::VerifyRequest request;
        v1::VerifyResponse response;
        auto stub = AuditStub(s);
        const int code = s.output.ReportRead(
            Send(s, *stub, &Stub::Verify, request, &response), response, [&] {
              return response.ok()
                         ? absl::StrCat("chain OK: ", response.events_checked(),
                                        " events")
                         : absl::StrCat("CHAIN BROKEN at position ",
                                        response.first_bad_position(), ": ",
                                        response.problem());
            });
        return code == kExitOk && !response.ok() ? kExitRejected : code;
      });
}

// ---------------------------------------------------------------------------
// review

struct ReviewOptions {
  std::string call;
  std::string citizen;
  std::string from;
  std::string to;
  v1::ReviewFormat format = v1::REVIEW_FORMAT_HTML;
  std::string out;
  AccessOptions access;
};

int Review(const ReviewOptions& o, Session& s) {
  v1::ExportReviewRequest request;
  if (o.call.empty() == o.citizen.empty()) {
    return Output::UsageError("give --call ID or --citizen REF (one of them)");
  }
  if (!o.call.empty()) request.set_call_id(o.call);
  if (!o.citizen.empty()) request.set_citizen_ref(o.citizen);
  if ((!o.from.empty() &&
       !SetInstant(o.from, "--from", s, request.mutable_from())) ||
      (!o.to.empty() && !SetInstant(o.to, "--to", s, request.mutable_to()))) {
    return kExitUsage;
  }
  request.set_format(o.format);
  *request.mutable_access() = o.access.Reason();
  v1::ExportReviewResponse response;
  auto stub = AuditStub(s);
  const grpc::Status status =
      Send(s, *stub, &Stub::ExportReview, request, &response);
  if (!status.ok()) return s.output.Failure(status, /*read=*/true);
  const std::string& content = response.content();
  if (o.out.empty()) {
    std::fwrite(content.data(), 1, content.size(), stdout);
    return kExitOk;
  }
  std::ofstream file(o.out, std::ios::binary | std::ios::trunc);
  file.write(content.data(), static_cast<std::streamsize>(content.size()));
  file.close();
  if (!file) {
    std::fprintf(stderr, "vagtctl: cannot write %s\n", o.out.c_str());
    return kExitFailed;
  }
  std::printf("Review written to %s (%zu bytes, %s).\n", o.out.c_str(),
              content.size(), response.content_type().c_str());
  return kExitOk;
}

void AddReview(CommandLine& cli) {
  auto o = std::make_shared<ReviewOptions>();
  CLI::App* cmd = cli.AddCommand(
      cli.root(), "review",
      "The report for the review meeting after a crisis, as HTML or JSON",
      absl::StrCat(
          R"(  vagtctl review --call CALL_ID --format html --purpose crisis-review \
      > review.html
  vagtctl review --citizen citizen-7f3a --from "2026-11-24 18:00" \
      --to "2026-11-25 08:00" --purpose crisis-review --out review.html
  vagtctl review --call CALL_ID --format json --purpose audit > review.json

The report holds the citizen's sensitive data: keep the file safe.
)",
          kAccessHelp),
      [o](Session& s) { return Review(*o, s); });
  cmd->add_option("--call", o->call, "About a call (its whole life)");
  cmd->add_option("--citizen", o->citizen, "About a citizen (with a range)");
  cmd->add_option("--from", o->from, "Recorded at or after this time");
  cmd->add_option("--to", o->to, "Recorded before this time");
  AddChoice(cmd, "--format", &o->format, kReviewFormats,
            "html (default) or json");
  cmd->add_option("--out", o->out, "Write it to this file (default: stdout)");
  AddAccessOptions(cmd, &o->access);
}

}  // namespace

void AddAuditCommands(CommandLine& cli) {
  AddTimeline(cli);
  AddBoardAt(cli);
  AddVerify(cli);
  AddReview(cli);
}

}  // namespace vagt::vagtctl
