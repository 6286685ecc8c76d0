// BoardProjection: the live board of every line ("b/<line>"), plus a
// snapshot of a line's board every kSnapshotEvery events of that line
// ("s/<line>/<position>"), from which BoardAt replays a bounded number of
// events.
#ifndef VAGT_PROJECTIONS_BOARD_PROJECTION_H_
#define VAGT_PROJECTIONS_BOARD_PROJECTION_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "projections/projection.h"
#include "rocksdb/db.h"
#include "vagt/v1/oncall.pb.h"

namespace vagt::projections {

inline constexpr uint64_t kSnapshotEvery = 64;

class BoardProjection final : public Projection {
 public:
  explicit BoardProjection(rocksdb::DB* db) : db_(db) {}

  absl::Status Apply(const v1::EventEnvelope& event, std::string_view line_id,
                     rocksdb::WriteBatch& batch) override;
  void Flush(rocksdb::WriteBatch& batch) override;
  void Discard() override;

 private:
  absl::StatusOr<v1::Board*> Load(std::string_view line_id);

  rocksdb::DB* const db_;
  absl::flat_hash_map<std::string, v1::Board> boards_;
  absl::flat_hash_set<std::string> dirty_;
};

}  // namespace vagt::projections

#endif  // VAGT_PROJECTIONS_BOARD_PROJECTION_H_
