#include "services/kafka/topics.h"

#include "domain/streams.h"

namespace vagt::kafka {
std::vector<std::string> Topics::All() const {
  return {lines, calls, escalations, citizens};
}

const std::string& Topics::For(std::string_view stream_id) const {
  if (HasKind(stream_id, kCallKind)) return calls;
  if (HasKind(stream_id, kEscalationKind)) return escalations;
  if (HasKind(stream_id, kCitizenKind) || HasKind(stream_id, kAccessKind)) {
    return citizens;
  }
  return lines;
}

}  // namespace vagt::kafka
