#include "services/vagtctl/board_text.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/vagtctl/command_line.h"
#include "services/vagtctl/local_time.h"
#include "services/vagtctl/vocabulary.h"

namespace vagt::vagtctl {
namespace {

using Items = google::protobuf::RepeatedPtrField<v1::HandoverItem>;

std::string Count(int n, const char* one, const char* many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

std::string ShowBackup(const v1::Board& board, absl::Time now) {
  if (!board.has_backup()) return "Backup: none";
  return absl::StrCat("Backup: ", ShowParty(board.backup().backup()), " until ",
                      FormatLocalTime(ToTime(board.backup().ends_at()), now));
}

std::string ShowOpenCall(const v1::OpenCall& c) {
  const std::string who =
      c.citizen_ref().empty()
          ? absl::StrCat("(", WordFor(kCallerKinds, c.caller_kind()),
                         ", no citizen)")
          : c.citizen_ref();
  const std::string risk = c.latest_risk() == v1::RISK_LEVEL_UNSPECIFIED
                               ? "not assessed"
                               : WordFor(kRiskLevels, c.latest_risk());
  return absl::StrCat("  ", c.call_id(), "  age ", ShowAge(c.age_seconds()),
                      "  risk ", risk, "  ", who);
}

std::string ShowEscalation(const v1::RunningEscalation& e, absl::Time now) {
  std::string line = absl::StrCat(
      "  ", e.escalation_id(), "  ", WordFor(kEscalationLevels, e.level()), " ",
      ShowParty(e.target()), "  ", WordFor(kEscalationStatuses, e.status()));
  if (e.has_ack_deadline()) {
    absl::StrAppend(&line, "  ack by ",
                    FormatLocalTime(ToTime(e.ack_deadline()), now));
  }
  if (e.deadline_passed()) absl::StrAppend(&line, "  DEADLINE PASSED");
  if (!e.citizen_ref().empty()) absl::StrAppend(&line, "  ", e.citizen_ref());
  absl::StrAppend(&line, "  (call ", e.call_id(), ")");
  return line;
}

// The items of a handover note, then how many the reader may not see.
void AppendItems(const Items& items, uint32_t withheld,
                 std::vector<std::string>& lines) {
  for (const v1::HandoverItem& item : items) {
    std::string line =
        absl::StrCat("  - ", WordFor(kHandoverItemKinds, item.kind()));
    if (!item.call_id().empty()) absl::StrAppend(&line, " ", item.call_id());
    if (!item.escalation_id().empty()) {
      absl::StrAppend(&line, " ", item.escalation_id());
    }
    if (!item.citizen_ref().empty()) {
      absl::StrAppend(&line, " ", item.citizen_ref());
    }
    if (item.risk_level() != v1::RISK_LEVEL_UNSPECIFIED) {
      absl::StrAppend(&line, " risk ", WordFor(kRiskLevels, item.risk_level()));
    }
    absl::StrAppend(&line, item.shared_with_recipient()
                               ? ", shared"
                               : ", not shared with the recipient");
    lines.push_back(std::move(line));
  }
  if (withheld > 0) {
    lines.push_back(
        absl::StrCat("  (", Count(static_cast<int>(withheld), "item", "items"),
                     " withheld: not shared with you)"));
  }
}

}  // namespace

std::string ShowAge(int64_t seconds) {
  if (seconds < 60) return absl::StrCat(seconds, "s");
  const int64_t minutes = seconds / 60;
  if (minutes < 60) return absl::StrCat(minutes, "m");
  const int64_t hours = minutes / 60;
  if (hours < 24) return absl::StrFormat("%dh%02dm", hours, minutes % 60);
  return absl::StrFormat("%dd%02dh", hours / 24, hours % 24);
}

std::string BoardText(const v1::Board& board, absl::Time now) {
  std::vector<std::string> lines;
  if (board.nobody_responsible()) {
    lines.push_back(absl::StrCat("!!! NOBODY IS RESPONSIBLE FOR LINE ",
                                 board.line_id(), " !!!"));
  }
  for (const std::string& alert : board.alerts()) {
    lines.push_back(absl::StrCat("! ", alert));
  }

  lines.push_back(absl::StrCat(
      "Line ", board.line_id(), ": ", WordFor(kLineStates, board.state()),
      " (as of ", FormatLocalTime(ToTime(board.as_of()), now), ")"));
  if (board.has_holder()) {
    lines.push_back(
        absl::StrCat("Responsible: ", ShowParty(board.holder()), " since ",
                     FormatLocalTime(ToTime(board.holder_since()), now)));
  } else {
    lines.push_back("Responsible: NOBODY");
  }
  if (board.has_planned()) {
    const v1::PlannedCoverage& p = board.planned();
    std::string line = absl::StrCat(
        "Planned: duty ", p.has_duty() ? ShowParty(p.duty()) : "nobody");
    if (!p.duty_override_id().empty()) {
      absl::StrAppend(&line, " (override ", p.duty_override_id(), ")");
    }
    if (p.has_backup())
      absl::StrAppend(&line, ", backup ", ShowParty(p.backup()));
    if (p.holder_differs()) absl::StrAppend(&line, "  NOT THE HOLDER");
    lines.push_back(std::move(line));
  }
  lines.push_back(ShowBackup(board, now));

  lines.push_back(absl::StrCat("Open calls: ",
                               board.open_calls().empty()
                                   ? "none"
                                   : absl::StrCat(board.open_calls_size())));
  for (const v1::OpenCall& c : board.open_calls()) {
    lines.push_back(ShowOpenCall(c));
  }
  lines.push_back(
      absl::StrCat("Running escalations: ",
                   board.running_escalations().empty()
                       ? "none"
                       : absl::StrCat(board.running_escalations_size())));
  for (const v1::RunningEscalation& e : board.running_escalations()) {
    lines.push_back(ShowEscalation(e, now));
  }

  if (board.has_pending_handover()) {
    const v1::PendingHandover& h = board.pending_handover();
    std::string line = absl::StrCat(
        "Pending handover ", h.handover_id(), " to ", ShowParty(h.offered_to()),
        ", offered ", FormatLocalTime(ToTime(h.offered_at()), now));
    if (h.has_respond_by()) {
      absl::StrAppend(&line, ", respond by ",
                      FormatLocalTime(ToTime(h.respond_by()), now));
    }
    if (h.overdue()) absl::StrAppend(&line, "  OVERDUE");
    lines.push_back(std::move(line));
    AppendItems(h.items(), h.items_withheld(), lines);
  }
  if (board.has_last_handover_note()) {
    const v1::HandoverNote& n = board.last_handover_note();
    lines.push_back(absl::StrCat(
        "Last handover ", n.handover_id(), " (",
        WordFor(kHandoverKinds, n.kind()), "): ", ShowParty(n.from()), " to ",
        ShowParty(n.to()), " at ", FormatLocalTime(ToTime(n.at()), now)));
    if (n.items().empty() && n.items_withheld() == 0) {
      lines.push_back("  (no items)");
    }
    AppendItems(n.items(), n.items_withheld(), lines);
  }
  return absl::StrJoin(lines, "\n");
}

}  // namespace vagt::vagtctl
