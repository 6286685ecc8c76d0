// AuditProjection: the audit trail's storage. For every event: a copy of the
// envelope ("e/<position>", hash included, so that queries and the review
// never need the event store), a time index entry ("t/") and one entity
// index entry per entity it is about ("x/", see entities.h). All keys are
// written once and never changed.
#ifndef VAGT_PROJECTIONS_AUDIT_PROJECTION_H_
#define VAGT_PROJECTIONS_AUDIT_PROJECTION_H_

#include "projections/projection.h"

namespace vagt::projections {

class AuditProjection final : public Projection {
 public:
  absl::Status Apply(const v1::EventEnvelope& event, std::string_view line_id,
                     rocksdb::WriteBatch& batch) override;
  void Flush(rocksdb::WriteBatch&) override {}
  void Discard() override {}
};

}  // namespace vagt::projections

#endif  // VAGT_PROJECTIONS_AUDIT_PROJECTION_H_
