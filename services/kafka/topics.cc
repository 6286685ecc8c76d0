#include "services/kafka/topics.h"

namespace vagt::kafka {
namespace {

bool HasKind(std::string_view stream_id, std::string_view kind) {
  return stream_id.size() > kind.size() &&
         stream_id.substr(0, kind.size()) == kind &&
         stream_id[kind.size()] == '-';
}

}  // namespace

std::vector<std::string> Topics::All() const {
  return {lines, calls, escalations, citizens};
}

const std::string& Topics::For(std::string_view stream_id) const {
  if (HasKind(stream_id, "call")) return calls;
  if (HasKind(stream_id, "escalation")) return escalations;
  if (HasKind(stream_id, "citizen") || HasKind(stream_id, "access")) {
    return citizens;
  }
  return lines;
}

}  // namespace vagt::kafka
