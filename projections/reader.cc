#include "projections/reader.h"

#include <limits>
#include <memory>

#include "absl/strings/str_cat.h"
#include "eventstore/status_macros.h"
#include "projections/board_fold.h"
#include "projections/keys.h"
#include "projections/line_router.h"

namespace vagt::projections {
namespace {

constexpr uint64_t kNoPosition = std::numeric_limits<uint64_t>::max();

absl::Status ReadError(const rocksdb::Status& s) {
  return absl::UnavailableError(
      absl::StrCat("projections: read failed: ", s.ToString()));
}

bool StartsWith(const rocksdb::Slice& key, std::string_view prefix) {
  return key.size() >= prefix.size() &&
         std::string_view(key.data(), prefix.size()) == prefix;
}

// A read of one snapshot of the database; released when destroyed.
class Snapshot {
 public:
  explicit Snapshot(rocksdb::DB& db) : db_(db), snapshot_(db.GetSnapshot()) {
    options_.snapshot = snapshot_;
  }
  ~Snapshot() { db_.ReleaseSnapshot(snapshot_); }

  std::unique_ptr<rocksdb::Iterator> Iterator() {
    return std::unique_ptr<rocksdb::Iterator>(db_.NewIterator(options_));
  }

  absl::StatusOr<std::optional<std::string>> Get(const std::string& key) {
    std::string value;
    rocksdb::Status s = db_.Get(options_, key, &value);
    if (s.IsNotFound()) return std::nullopt;
    if (!s.ok()) return ReadError(s);
    return value;
  }

  absl::StatusOr<v1::EventEnvelope> Event(uint64_t position) {
    ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                     Get(keys::Event(position)));
    v1::EventEnvelope event;
    if (!bytes.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("no event at position ", position, " in projections"));
    }
    if (!event.ParseFromString(*bytes)) {
      return absl::DataLossError(absl::StrCat("projections: the copy of event ",
                                              position, " does not parse"));
    }
    return event;
  }

  // Positions of events recorded in [from, to): [first, last], or first >
  // last when there are none.
  std::pair<uint64_t, uint64_t> PositionRange(absl::Time from, absl::Time to) {
    std::unique_ptr<rocksdb::Iterator> it = Iterator();
    uint64_t first = 1, last = kNoPosition;
    if (from != absl::InfinitePast()) {
      it->Seek(keys::Time(from, 0));
      first =
          it->Valid() && StartsWith(it->key(), keys::kTimePrefix)
              ? keys::PositionOfTimeKey(it->key().ToStringView()).value_or(0)
              : kNoPosition;
    }
    if (to != absl::InfiniteFuture()) {
      it->SeekForPrev(keys::Time(to, 0));
      last = it->Valid() && StartsWith(it->key(), keys::kTimePrefix)
                 ? keys::PositionOfTimeKey(it->key().ToStringView()).value_or(0)
                 : 0;
    }
    return {first, last};
  }

  // The last position recorded at or before `at` (0: none).
  uint64_t LastPositionAt(absl::Time at) {
    std::unique_ptr<rocksdb::Iterator> it = Iterator();
    it->SeekForPrev(keys::Time(at, kNoPosition));
    if (!it->Valid() || !StartsWith(it->key(), keys::kTimePrefix)) return 0;
    return keys::PositionOfTimeKey(it->key().ToStringView()).value_or(0);
  }

 private:
  rocksdb::DB& db_;
  const rocksdb::Snapshot* snapshot_;
  rocksdb::ReadOptions options_;
};

absl::StatusOr<v1::Board> ParseBoard(const std::string& bytes,
                                     std::string_view line_id) {
  v1::Board board;
  if (!board.ParseFromString(bytes)) {
    return absl::DataLossError(
        absl::StrCat("projections: a stored board of line ",
                     std::string(line_id), " does not parse"));
  }
  return board;
}

absl::Status LineNotFound(std::string_view line_id) {
  return absl::NotFoundError(absl::StrCat("line_id: no event names line '",
                                          std::string(line_id), "'"));
}

}  // namespace

absl::StatusOr<v1::Board> ProjectionReader::Board(
    std::string_view line_id) const {
  Snapshot snap(db_);
  ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                   snap.Get(keys::Board(line_id)));
  if (!bytes.has_value()) return LineNotFound(line_id);
  return ParseBoard(*bytes, line_id);
}

absl::StatusOr<BoardAtResult> ProjectionReader::BoardAt(
    std::string_view line_id, absl::Time at) const {
  Snapshot snap(db_);
  const std::string line_prefix =
      keys::EntityPrefix(keys::Entity::kLine, line_id);
  std::unique_ptr<rocksdb::Iterator> it = snap.Iterator();
  it->Seek(line_prefix);
  if (!it->Valid() || !StartsWith(it->key(), line_prefix)) {
    RETURN_IF_ERROR(it->status().ok() ? LineNotFound(line_id)
                                      : ReadError(it->status()));
  }

  BoardAtResult result{.board = EmptyBoard(line_id),
                       .position = snap.LastPositionAt(at)};
  if (result.position == 0) return result;
  uint64_t replay_from = 1;
  const std::string snapshot_prefix = keys::BoardSnapshotPrefix(line_id);
  it->SeekForPrev(keys::BoardSnapshot(line_id, result.position));
  if (it->Valid() && StartsWith(it->key(), snapshot_prefix)) {
    ASSIGN_OR_RETURN(result.board, ParseBoard(it->value().ToString(), line_id));
    replay_from =
        keys::TrailingPosition(it->key().ToStringView()).value_or(0) + 1;
  }
  for (it->Seek(keys::EntityKey(keys::Entity::kLine, line_id, replay_from));
       it->Valid() && StartsWith(it->key(), line_prefix); it->Next()) {
    const uint64_t position =
        keys::TrailingPosition(it->key().ToStringView()).value_or(0);
    if (position > result.position) break;
    ASSIGN_OR_RETURN(v1::EventEnvelope event, snap.Event(position));
    ApplyToBoard(event, result.board);
  }
  if (!it->status().ok()) return ReadError(it->status());
  return result;
}

absl::StatusOr<TimelinePage> ProjectionReader::Timeline(
    const TimelineQuery& query) const {
  Snapshot snap(db_);
  auto [first, last] = snap.PositionRange(query.from, query.to);
  first = std::max(first, query.after_position + 1);
  TimelinePage page;
  if (first > last || query.limit == 0) return page;

  std::vector<uint64_t> positions;
  std::unique_ptr<rocksdb::Iterator> it = snap.Iterator();
  const std::string prefix =
      query.subject.has_value()
          ? keys::EntityPrefix(query.subject->first, query.subject->second)
          : std::string(keys::kEventPrefix);
  for (it->Seek(prefix + keys::EncodeBigEndian64(first));
       it->Valid() && StartsWith(it->key(), prefix); it->Next()) {
    const uint64_t position =
        keys::DecodeBigEndian64(it->key().ToStringView().substr(prefix.size()))
            .value_or(kNoPosition);
    if (position > last) break;
    if (positions.size() == query.limit) {
      page.next_after = positions.back();
      break;
    }
    positions.push_back(position);
  }
  if (!it->status().ok()) return ReadError(it->status());
  page.events.reserve(positions.size());
  for (uint64_t position : positions) {
    ASSIGN_OR_RETURN(v1::EventEnvelope event, snap.Event(position));
    page.events.push_back(std::move(event));
  }
  return page;
}

absl::StatusOr<v1::EventEnvelope> ProjectionReader::EventAt(
    uint64_t position) const {
  Snapshot snap(db_);
  return snap.Event(position);
}

absl::StatusOr<std::string> ProjectionReader::LineOf(
    const v1::EventEnvelope& event) const {
  LineSource source = LineSourceOf(event);
  if (source.route_key.empty()) return std::move(source.line);
  return RoutedLine(source.route_key);
}

absl::StatusOr<std::string> ProjectionReader::LineOfSubject(
    const EntityRef& subject) const {
  switch (subject.first) {
    case keys::Entity::kCall:
      return RoutedLine(keys::CallRoute(subject.second));
    case keys::Entity::kEscalation:
      return RoutedLine(keys::EscalationRoute(subject.second));
    default:
      return std::string();
  }
}

absl::StatusOr<std::string> ProjectionReader::RoutedLine(
    const std::string& route_key) const {
  std::string line;
  rocksdb::Status s = db_.Get(rocksdb::ReadOptions(), route_key, &line);
  if (s.IsNotFound()) return std::string();
  if (!s.ok()) {
    return absl::UnavailableError(
        absl::StrCat("projection routes: read failed: ", s.ToString()));
  }
  return line;
}

}  // namespace vagt::projections
