#include "projections/kafka_order.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace vagt::projections {
namespace {

constexpr absl::string_view kVersion = "v1";
constexpr absl::string_view kNext = "next=";

absl::Status Malformed(absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("kafka feed: malformed cursor: ", what));
}

}  // namespace

absl::StatusOr<KafkaCursor> KafkaCursor::Parse(const std::string& text) {
  KafkaCursor cursor;
  if (text.empty()) return cursor;
  const std::vector<absl::string_view> parts = absl::StrSplit(text, ';');
  if (parts[0] != kVersion) {
    return Malformed(absl::StrCat("it does not start with '", kVersion, "'"));
  }
  if (parts.size() < 2 || !absl::StartsWith(parts[1], kNext)) {
    return Malformed("it has no next position");
  }
  if (!absl::SimpleAtoi(parts[1].substr(kNext.size()), &cursor.next_position) ||
      cursor.next_position < 1) {
    return Malformed(absl::StrCat("next position '",
                                  parts[1].substr(kNext.size()),
                                  "' is not a number >= 1"));
  }
  for (size_t i = 2; i < parts.size(); ++i) {
    const absl::string_view entry = parts[i];
    const size_t equals = entry.rfind('=');
    const size_t slash =
        equals == absl::string_view::npos ? equals : entry.rfind('/', equals);
    TopicPartition partition;
    int64_t offset = 0;
    if (slash == absl::string_view::npos || slash == 0 ||
        !absl::SimpleAtoi(entry.substr(slash + 1, equals - slash - 1),
                          &partition.partition) ||
        !absl::SimpleAtoi(entry.substr(equals + 1), &offset)) {
      return Malformed(
          absl::StrCat("'", entry, "' is not <topic>/<partition>=<offset>"));
    }
    if (partition.partition < 0 || offset < 0) {
      return Malformed(
          absl::StrCat("'", entry, "' has a negative partition or offset"));
    }
    partition.topic = std::string(entry.substr(0, slash));
    if (!cursor.offsets.emplace(std::move(partition), offset).second) {
      return Malformed(absl::StrCat("'", entry.substr(0, equals),
                                    "' appears more than once"));
    }
  }
  return cursor;
}

std::string KafkaCursor::Format() const {
  std::string text = absl::StrCat(kVersion, ";", kNext, next_position);
  for (const auto& [partition, offset] : offsets) {
    absl::StrAppend(&text, ";", partition.topic, "/", partition.partition, "=",
                    offset);
  }
  return text;
}

GlobalOrderBuffer::GlobalOrderBuffer(const KafkaCursor& start)
    : next_position_(start.next_position),
      contiguous_end_(start.next_position - 1) {
  for (const auto& [partition, offset] : start.offsets) {
    partitions_[partition].fetch_offset = offset;
  }
}

std::optional<int64_t> GlobalOrderBuffer::FetchOffset(
    const TopicPartition& partition) const {
  auto it = partitions_.find(partition);
  if (it == partitions_.end()) return std::nullopt;
  return it->second.fetch_offset;
}

bool GlobalOrderBuffer::Add(const TopicPartition& partition, int64_t offset,
                            v1::EventEnvelope event) {
  PartitionState& state = partitions_[partition];
  if (state.fetch_offset.has_value() && offset < *state.fetch_offset) {
    return false;  // consumed already (a stale or repeated fetch)
  }
  state.fetch_offset = offset + 1;
  const uint64_t position = event.global_position();
  if (position < next_position_ || pending_.contains(position)) return false;
  pending_.emplace(position, Pending{.event = std::move(event),
                                     .partition = &state,
                                     .offset = offset});
  state.buffered.insert(offset);
  while (pending_.contains(contiguous_end_ + 1)) ++contiguous_end_;
  return true;
}

std::vector<v1::EventEnvelope> GlobalOrderBuffer::Release(size_t max_events) {
  std::vector<v1::EventEnvelope> events;
  while (events.size() < max_events && !pending_.empty() &&
         pending_.begin()->first == next_position_) {
    auto node = pending_.extract(pending_.begin());
    Pending& pending = node.mapped();
    pending.partition->buffered.erase(pending.offset);
    events.push_back(std::move(pending.event));
    ++next_position_;
  }
  return events;
}

uint64_t GlobalOrderBuffer::releasable() const {
  return contiguous_end_ + 1 - next_position_;
}

size_t GlobalOrderBuffer::BufferedFrom(const TopicPartition& partition) const {
  auto it = partitions_.find(partition);
  return it == partitions_.end() ? 0 : it->second.buffered.size();
}

KafkaCursor GlobalOrderBuffer::Cursor() const {
  KafkaCursor cursor;
  cursor.next_position = next_position_;
  for (const auto& [partition, state] : partitions_) {
    if (!state.buffered.empty()) {
      cursor.offsets[partition] = *state.buffered.begin();
    } else if (state.fetch_offset.has_value()) {
      cursor.offsets[partition] = *state.fetch_offset;
    }
  }
  return cursor;
}

}  // namespace vagt::projections
