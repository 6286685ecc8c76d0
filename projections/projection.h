// Projection: a deterministic fold over the event log into the projection
// database. The runner feeds every event once, in order, and commits what
// the projections wrote together with its cursor in one WriteBatch.
#ifndef VAGT_PROJECTIONS_PROJECTION_H_
#define VAGT_PROJECTIONS_PROJECTION_H_

#include <string_view>

#include "absl/status/status.h"
#include "rocksdb/write_batch.h"
#include "vagt/v1/events.pb.h"

namespace vagt::projections {

class Projection {
 public:
  virtual ~Projection() = default;

  // Folds one event. `line_id` is the line whose board the event changes
  // (see LineRouter), or empty. The projection may write to `batch` directly
  // or keep state to write at Flush().
  virtual absl::Status Apply(const v1::EventEnvelope& event,
                             std::string_view line_id,
                             rocksdb::WriteBatch& batch) = 0;
  // Writes kept state into `batch`, which the runner is about to commit.
  virtual void Flush(rocksdb::WriteBatch& batch) = 0;
  // The batch was not committed: forget kept and cached state.
  virtual void Discard() = 0;
};

}  // namespace vagt::projections

#endif  // VAGT_PROJECTIONS_PROJECTION_H_
