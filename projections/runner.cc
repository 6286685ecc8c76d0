#include "projections/runner.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "eventstore/rocks_status.h"
#include "eventstore/status_macros.h"
#include "projections/audit_projection.h"
#include "projections/board_projection.h"
#include "projections/keys.h"
#include "rocksdb/convenience.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/table.h"

namespace vagt::projections {
namespace {

// Keys written in a batch hop between the event copies, the time index and
// many entities' indexes; each of those runs ascends (see InsertHintPrefix),
// so a hint per prefix spares the memtable most of its skiplist search.
class InsertHint final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "vagt.projections.InsertHint"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    const std::string_view prefix = keys::InsertHintPrefix(key.ToStringView());
    return rocksdb::Slice(prefix.data(), prefix.size());
  }
  bool InDomain(const rocksdb::Slice&) const override { return true; }
};

rocksdb::Options DbOptions(rocksdb::Env* env) {
  rocksdb::Options options;
  if (env != nullptr) options.env = env;
  options.create_if_missing = true;
  options.max_background_jobs = 2;
  options.write_buffer_size = 64 << 20;
  options.compression = rocksdb::kLZ4Compression;
  options.memtable_insert_with_hint_prefix_extractor =
      std::make_shared<InsertHint>();
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.checksum = rocksdb::kXXH3;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

// Everything in the database; keys are printable prefixes, all below 0xff.
const std::string& EndOfKeys() {
  static const auto* end = new std::string(8, '\xff');
  return *end;
}

std::string FormatText() { return absl::StrCat(keys::kFormatVersion); }

// Where a bulk load writes its files before ingesting them.
std::string BulkDir(const std::string& path) { return path + "/bulk-load"; }

}  // namespace

ProjectionRunner::ProjectionRunner(std::string path,
                                   std::unique_ptr<rocksdb::DB> db,
                                   std::unique_ptr<EventFeed> feed,
                                   RunnerOptions options)
    : path_(std::move(path)),
      db_(std::move(db)),
      feed_(std::move(feed)),
      options_(options),
      router_(db_.get()),
      heads_(db_.get()) {
  projections_.push_back(std::make_unique<BoardProjection>(db_.get()));
  projections_.push_back(std::make_unique<AuditProjection>());
}

absl::StatusOr<std::unique_ptr<ProjectionRunner>> ProjectionRunner::Open(
    const std::string& path, std::unique_ptr<EventFeed> feed,
    RunnerOptions options) {
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(DbOptions(options.env), path, &raw);
  if (!s.ok())
    return eventstore::FromRocks(
        s, absl::StrCat("projections: cannot open ", path));
  std::unique_ptr<ProjectionRunner> runner(new ProjectionRunner(
      path, std::unique_ptr<rocksdb::DB>(raw), std::move(feed), options));
  std::string format;
  s = raw->Get(rocksdb::ReadOptions(), keys::kFormat, &format);
  if (!s.ok() && !s.IsNotFound())
    return eventstore::FromRocks(s, "projections: reading the format");
  if (options.rebuild || format != FormatText()) {
    RETURN_IF_ERROR(runner->Rebuild());
  } else {
    RETURN_IF_ERROR(runner->LoadProgress());
    runner->MaybeStartBulk();
  }
  if (!runner->bulk_.has_value()) {
    // A bulk load's files that a crash left behind, never ingested.
    std::error_code ignored;
    std::filesystem::remove_all(BulkDir(path), ignored);
  }
  return runner;
}

ProjectionRunner::~ProjectionRunner() {
  Stop();
  // What a bulk load gathered is committed, not thrown away with the runner
  // (a restart would otherwise start that chunk over).
  if (bulk_.has_value()) EndBulk().IgnoreError();
}

absl::Status ProjectionRunner::LoadProgress() {
  std::string position;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), keys::kCursor, &cursor_);
  if (s.IsNotFound()) cursor_.clear();
  if (!s.ok() && !s.IsNotFound())
    return eventstore::FromRocks(s, "projections: reading the cursor");
  s = db_->Get(rocksdb::ReadOptions(), keys::kPosition, &position);
  if (!s.ok() && !s.IsNotFound())
    return eventstore::FromRocks(s, "projections: reading the position");
  absl::MutexLock lock(&mu_);
  applied_position_ = keys::DecodeBigEndian64(position).value_or(0);
  return absl::OkStatus();
}

absl::Status ProjectionRunner::Rebuild() {
  const bool was_running = thread_.joinable();
  Stop();
  Discard();
  bulk_.reset();
  RETURN_IF_ERROR(Wipe());
  RETURN_IF_ERROR(LoadProgress());
  MaybeStartBulk();
  if (was_running) Start();
  return absl::OkStatus();
}

absl::Status ProjectionRunner::Wipe() {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions()));
  it->SeekToFirst();
  const bool empty = !it->Valid() ||
                     (it->key() == keys::kFormat && (it->Next(), !it->Valid()));
  if (!it->status().ok())
    return eventstore::FromRocks(it->status(),
                                 "projections: reading for a wipe");
  it.reset();
  rocksdb::WriteBatch batch;
  if (!empty) batch.DeleteRange("", EndOfKeys()).PermitUncheckedError();
  batch.Put(keys::kFormat, FormatText()).PermitUncheckedError();
  rocksdb::WriteOptions synced;
  synced.sync = true;
  rocksdb::Status s = db_->Write(synced, &batch);
  if (!s.ok())
    return eventstore::FromRocks(s, "projections: wiping for a rebuild");
  if (!empty) GiveBackFiles();
  return absl::OkStatus();
}

void ProjectionRunner::GiveBackFiles() {
  // Best effort: the old state is already deleted for good. Without its
  // files gone, the bulk load's files land above the deletion instead of on
  // the bottom level, and a compaction merges them later.
  const rocksdb::Slice end(EndOfKeys());
  rocksdb::DeleteFilesInRange(db_.get(), db_->DefaultColumnFamily(), nullptr,
                              &end)
      .PermitUncheckedError();
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction =
      rocksdb::BottommostLevelCompaction::kForce;
  db_->CompactRange(compact, nullptr, nullptr).PermitUncheckedError();
  // The format may have been flushed into a file DeleteFilesInRange took.
  rocksdb::WriteOptions synced;
  synced.sync = true;
  db_->Put(synced, keys::kFormat, FormatText()).PermitUncheckedError();
}

void ProjectionRunner::MaybeStartBulk() {
  if (options_.bulk_chunk_bytes == 0 || !cursor_.empty() ||
      AppliedPosition() != 0) {
    return;
  }
  bulk_ =
      Bulk{.loader = std::make_unique<BulkLoader>(
               db_.get(), BulkDir(path_),
               std::vector<std::string>{keys::kEventPrefix, keys::kTimePrefix}),
           .cursor = cursor_,
           .position = 0};
}

void ProjectionRunner::Discard() {
  router_.Discard();
  heads_.Discard();
  for (auto& p : projections_) p->Discard();
  if (bulk_.has_value()) {
    bulk_->loader->Discard();
    bulk_->cursor = cursor_;
    bulk_->position = AppliedPosition();
  }
}

absl::StatusOr<uint64_t> ProjectionRunner::Step(absl::Time deadline) {
  ASSIGN_OR_RETURN(BatchOutcome outcome, ApplyBatch(deadline));
  return outcome.delivered;
}

absl::StatusOr<ProjectionRunner::BatchOutcome> ProjectionRunner::ApplyBatch(
    absl::Time deadline) {
  const std::string& after = bulk_.has_value() ? bulk_->cursor : cursor_;
  ASSIGN_OR_RETURN(FeedBatch fed,
                   feed_->Next(after, options_.batch_events, deadline));
  const bool caught_up =
      fed.events.size() < options_.batch_events && !fed.behind;
  if (fed.events.empty() && fed.cursor == after) {
    if (bulk_.has_value() && caught_up) RETURN_IF_ERROR(EndBulk());
    return BatchOutcome{};
  }
  rocksdb::WriteBatch batch;
  uint64_t position = bulk_.has_value() ? bulk_->position : AppliedPosition();
  uint64_t applied = 0;
  absl::Status status;
  for (const v1::EventEnvelope& event : fed.events) {
    const std::string head_key = keys::StreamHead(event.stream_id());
    absl::StatusOr<std::optional<std::string>> head = heads_.Get(head_key);
    if (!head.ok()) {
      status = head.status();
      break;
    }
    const uint64_t done =
        head->has_value() ? keys::DecodeBigEndian64(**head).value_or(0) : 0;
    if (event.stream_version() <= done) continue;  // redelivered
    if (event.stream_version() != done + 1) {
      status = absl::DataLossError(absl::StrCat(
          "projections: stream ", event.stream_id(), " jumps from version ",
          done, " to ", event.stream_version()));
      break;
    }
    absl::StatusOr<std::string> line = router_.LineOf(event);
    if (!line.ok()) {
      status = line.status();
      break;
    }
    for (auto& p : projections_) {
      status = p->Apply(event, *line, batch);
      if (!status.ok()) break;
    }
    if (!status.ok()) break;
    heads_.Put(head_key, keys::EncodeBigEndian64(event.stream_version()));
    position = std::max(position, event.global_position());
    ++applied;
  }
  if (!status.ok()) {
    Discard();
    return status;
  }
  if (bulk_.has_value()) {
    RETURN_IF_ERROR(
        AddToBulk(batch, std::move(fed.cursor), position, caught_up));
  } else {
    RETURN_IF_ERROR(Commit(batch, fed.cursor, position));
  }
  return BatchOutcome{
      .delivered = fed.events.size(), .applied = applied, .progressed = true};
}

void ProjectionRunner::FlushState(rocksdb::WriteBatch& batch,
                                  const std::string& cursor,
                                  uint64_t position) {
  router_.Flush(batch);
  heads_.Flush(batch);
  for (auto& p : projections_) p->Flush(batch);
  batch.Put(keys::kCursor, cursor).PermitUncheckedError();
  batch.Put(keys::kPosition, keys::EncodeBigEndian64(position))
      .PermitUncheckedError();
}

absl::Status ProjectionRunner::Commit(rocksdb::WriteBatch& batch,
                                      const std::string& cursor,
                                      uint64_t position) {
  FlushState(batch, cursor, position);
  rocksdb::Status s = db_->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) {
    Discard();
    return eventstore::FromRocks(s, "projections: writing a batch");
  }
  cursor_ = cursor;
  absl::MutexLock lock(&mu_);
  applied_position_ = position;
  return absl::OkStatus();
}

absl::Status ProjectionRunner::AddToBulk(rocksdb::WriteBatch& batch,
                                         std::string cursor, uint64_t position,
                                         bool caught_up) {
  if (absl::Status s = bulk_->loader->Add(std::move(batch)); !s.ok()) {
    return AbandonChunk(std::move(s));
  }
  bulk_->cursor = std::move(cursor);
  bulk_->position = position;
  if (caught_up) return EndBulk();
  // The loader's own count, and the kept state it will be given at the end.
  const size_t held = bulk_->loader->held_bytes() + heads_.pending_bytes() +
                      router_.pending_bytes();
  if (held >= options_.bulk_chunk_bytes) {
    return AbandonChunk(IngestBulk());
  }
  return absl::OkStatus();
}

absl::Status ProjectionRunner::EndBulk() {
  if (!bulk_->loader->empty() || bulk_->cursor != cursor_) {
    RETURN_IF_ERROR(AbandonChunk(IngestBulk()));
    if (!bulk_.has_value()) return absl::OkStatus();
  }
  bulk_.reset();
  return absl::OkStatus();
}

absl::Status ProjectionRunner::IngestBulk() {
  // The chunk's kept state and cursor go into its last file set, so that
  // ingesting it commits it whole.
  rocksdb::WriteBatch state;
  FlushState(state, bulk_->cursor, bulk_->position);
  RETURN_IF_ERROR(bulk_->loader->Add(std::move(state)));
  RETURN_IF_ERROR(bulk_->loader->Ingest());
  cursor_ = bulk_->cursor;
  absl::MutexLock lock(&mu_);
  applied_position_ = bulk_->position;
  return absl::OkStatus();
}

absl::Status ProjectionRunner::AbandonChunk(absl::Status status) {
  if (status.ok()) return status;
  Discard();
  // Keys that do not ascend where the layout expects them to (record times
  // going back): this feed cannot be bulk loaded, so it is followed batch by
  // batch from the last commit instead.
  if (absl::IsFailedPrecondition(status)) {
    bulk_.reset();
    return absl::OkStatus();
  }
  return status;
}

absl::StatusOr<uint64_t> ProjectionRunner::CatchUp() {
  uint64_t total = 0;
  while (true) {
    // A batch of redelivered events applies nothing, yet more may follow.
    ASSIGN_OR_RETURN(BatchOutcome outcome, ApplyBatch(absl::InfinitePast()));
    if (!outcome.progressed) return total;
    total += outcome.applied;
  }
}

void ProjectionRunner::Start() {
  if (thread_.joinable()) return;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = false;
    status_ = absl::OkStatus();
  }
  thread_ = std::thread([this] { Loop(); });
}

void ProjectionRunner::Stop() {
  if (!thread_.joinable()) return;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  feed_->Interrupt();
  thread_.join();
}

void ProjectionRunner::Loop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    absl::StatusOr<uint64_t> n = Step(absl::Now() + absl::Milliseconds(500));
    if (n.ok()) continue;
    absl::MutexLock lock(&mu_);
    status_ = n.status();
    if (!absl::IsUnavailable(n.status())) return;
    // A storage error: try again in a second (or stop when asked).
    const bool* stopping = &stopping_;
    mu_.AwaitWithTimeout(absl::Condition(stopping), absl::Seconds(1));
  }
}

uint64_t ProjectionRunner::AppliedPosition() const {
  absl::MutexLock lock(&mu_);
  return applied_position_;
}

bool ProjectionRunner::WaitUntilApplied(uint64_t position,
                                        absl::Time deadline) const {
  absl::MutexLock lock(&mu_);
  auto reached = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return applied_position_ >= position;
  };
  mu_.AwaitWithDeadline(absl::Condition(&reached), deadline);
  return applied_position_ >= position;
}

uint64_t ProjectionRunner::WaitForChange(uint64_t position,
                                         absl::Time deadline) const {
  absl::MutexLock lock(&mu_);
  auto moved = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return applied_position_ > position;
  };
  mu_.AwaitWithDeadline(absl::Condition(&moved), deadline);
  return applied_position_;
}

absl::Status ProjectionRunner::status() const {
  absl::MutexLock lock(&mu_);
  return status_;
}

}  // namespace vagt::projections
