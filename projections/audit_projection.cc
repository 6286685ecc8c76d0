#include "projections/audit_projection.h"

#include "eventstore/timestamps.h"
#include "projections/entities.h"
#include "projections/keys.h"

namespace vagt::projections {

absl::Status AuditProjection::Apply(const v1::EventEnvelope& event,
                                    std::string_view line_id,
                                    rocksdb::WriteBatch& batch) {
  const uint64_t position = event.global_position();
  batch.Put(keys::Event(position), event.SerializeAsString())
      .PermitUncheckedError();
  batch.Put(keys::Time(ToTime(event.recorded_at()), position), "")
      .PermitUncheckedError();
  for (const auto& [kind, id] : EntitiesOf(event, line_id)) {
    batch.Put(keys::EntityKey(kind, id, position), "").PermitUncheckedError();
  }
  return absl::OkStatus();
}

}  // namespace vagt::projections
