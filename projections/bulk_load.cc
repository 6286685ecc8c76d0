#include "projections/bulk_load.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "eventstore/rocks_status.h"
#include "eventstore/status_macros.h"
#include "projections/keys.h"

namespace vagt::projections {
namespace {

// Batches queued for the loader's thread at most.
constexpr size_t kMaxQueued = 4;

void AppendField(std::string& out, std::string_view field) {
  const auto n = static_cast<uint32_t>(field.size());
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  out.append(field);
}

std::string_view TakeField(std::string_view& in) {
  uint32_t n = 0;
  std::memcpy(&n, in.data(), sizeof n);
  const std::string_view field = in.substr(sizeof n, n);
  in.remove_prefix(sizeof n + n);
  return field;
}

struct Record {
  std::string_view suffix;
  std::string_view value;
};

// A run's records in key order, each key once (the last write of it).
std::vector<Record> Sorted(std::string_view records, bool ascending) {
  std::vector<Record> out;
  while (!records.empty()) {
    const std::string_view suffix = TakeField(records);
    out.push_back({suffix, TakeField(records)});
  }
  if (ascending) return out;
  std::stable_sort(
      out.begin(), out.end(),
      [](const Record& a, const Record& b) { return a.suffix < b.suffix; });
  std::vector<Record> last;
  for (size_t i = 0; i < out.size(); ++i) {
    if (i + 1 < out.size() && out[i + 1].suffix == out[i].suffix) continue;
    last.push_back(out[i]);
  }
  return last;
}

}  // namespace

// Hands a WriteBatch's records to the loader; anything but a Put in the
// default column family is refused.
class BulkLoader::Taker final : public rocksdb::WriteBatch::Handler {
 public:
  explicit Taker(BulkLoader& loader) : loader_(loader) {}
  absl::Status status() const { return status_; }

  rocksdb::Status PutCF(uint32_t cf, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    if (cf != 0) return Refuse("a Put outside the default column family");
    status_ = loader_.Put(key.ToStringView(), value.ToStringView());
    return status_.ok() ? rocksdb::Status::OK()
                        : rocksdb::Status::Aborted("bulk load");
  }
  rocksdb::Status DeleteCF(uint32_t, const rocksdb::Slice&) override {
    return Refuse("a Delete");
  }
  rocksdb::Status SingleDeleteCF(uint32_t, const rocksdb::Slice&) override {
    return Refuse("a SingleDelete");
  }
  rocksdb::Status DeleteRangeCF(uint32_t, const rocksdb::Slice&,
                                const rocksdb::Slice&) override {
    return Refuse("a DeleteRange");
  }
  rocksdb::Status MergeCF(uint32_t, const rocksdb::Slice&,
                          const rocksdb::Slice&) override {
    return Refuse("a Merge");
  }
  rocksdb::Status PutBlobIndexCF(uint32_t, const rocksdb::Slice&,
                                 const rocksdb::Slice&) override {
    return Refuse("a blob index");
  }

 private:
  rocksdb::Status Refuse(std::string_view what) {
    status_ = absl::InvalidArgumentError(
        absl::StrCat("projections: bulk load takes Puts only, the batch has ",
                     std::string(what)));
    return rocksdb::Status::InvalidArgument("bulk load");
  }

  BulkLoader& loader_;
  absl::Status status_;
};

BulkLoader::BulkLoader(rocksdb::DB* db, std::string dir,
                       std::vector<std::string> streamed_groups)
    : db_(db),
      options_(db->GetOptions()),
      dir_(std::move(dir)),
      streamed_groups_(std::move(streamed_groups)) {
  for (size_t i = 0; i < streamed_groups_.size(); ++i) {
    streams_.emplace(
        streamed_groups_[i],
        Stream{.files =
                   SstFiles(db_, options_, absl::StrCat(dir_, "/s", i, "-"))});
  }
  Reset();
  thread_ = std::thread([this] { Work(); });
}

BulkLoader::~BulkLoader() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
  Reset();
}

absl::Status BulkLoader::Add(rocksdb::WriteBatch batch) {
  if (batch.Count() > 0) empty_ = false;
  absl::MutexLock lock(&mu_);
  // A few batches wait at most: the caller is held back rather than the
  // memory growing.
  auto room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return queue_.size() < kMaxQueued || !status_.ok();
  };
  mu_.Await(absl::Condition(&room));
  if (!status_.ok()) return status_;
  queue_.push_back(std::move(batch));
  return absl::OkStatus();
}

size_t BulkLoader::held_bytes() const {
  absl::MutexLock lock(&mu_);
  return held_bytes_;
}

void BulkLoader::Work() {
  absl::MutexLock lock(&mu_);
  auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !queue_.empty() || stopping_;
  };
  while (true) {
    mu_.Await(absl::Condition(&ready));
    if (stopping_) return;
    rocksdb::WriteBatch batch = std::move(queue_.front());
    queue_.pop_front();
    taking_ = true;
    mu_.Unlock();
    absl::Status status = Take(batch);
    batch.Clear();  // freed here, not in the caller's thread
    mu_.Lock();
    taking_ = false;
    held_bytes_ = taken_bytes_;
    if (!status.ok() && status_.ok()) status_ = status;
    // After an error the rest is dropped: Discard() follows.
    if (!status_.ok()) queue_.clear();
  }
}

absl::Status BulkLoader::Drain() {
  absl::MutexLock lock(&mu_);
  auto drained = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return queue_.empty() && !taking_;
  };
  mu_.Await(absl::Condition(&drained));
  return status_;
}

absl::Status BulkLoader::Take(const rocksdb::WriteBatch& batch) {
  Taker taker(*this);
  rocksdb::Status s = batch.Iterate(&taker);
  RETURN_IF_ERROR(taker.status());
  if (!s.ok())
    return eventstore::FromRocks(s, "projections: bulk load: reading a batch");
  return absl::OkStatus();
}

absl::Status BulkLoader::Put(std::string_view key, std::string_view value) {
  const std::string_view group = keys::InsertHintPrefix(key);
  const absl::string_view lookup(group.data(), group.size());
  if (auto it = streams_.find(lookup); it != streams_.end()) {
    return PutStreamed(it->second, key, value);
  }
  auto it = runs_.find(lookup);
  if (it == runs_.end()) {
    it = runs_.emplace(std::string(group), Run{}).first;
    taken_bytes_ += group.size() + sizeof(Run);
  }
  Run& run = it->second;
  if (run.ascending && !run.records.empty() && key <= run.last_key) {
    run.ascending = false;
  }
  if (run.ascending) run.last_key.assign(key);
  const size_t before = run.records.size();
  AppendField(run.records, key.substr(group.size()));
  AppendField(run.records, value);
  taken_bytes_ += run.records.size() - before;
  return absl::OkStatus();
}

absl::Status BulkLoader::PutStreamed(Stream& stream, std::string_view key,
                                     std::string_view value) {
  if (!stream.last_key.empty() && key <= stream.last_key) {
    return absl::FailedPreconditionError(absl::StrCat(
        "projections: bulk load: the keys under '",
        std::string(keys::InsertHintPrefix(key)),
        "' do not ascend (the feed's record times or positions went back)"));
  }
  RETURN_IF_ERROR(stream.files.Put(key, value));
  stream.last_key.assign(key);
  return absl::OkStatus();
}

absl::Status BulkLoader::WriteGroups(std::span<const std::string* const> groups,
                                     std::string prefix,
                                     std::vector<std::string>* paths) const {
  SstFiles files(db_, options_, std::move(prefix));
  size_t streamed_below = 0;  // of the streamed groups, those before `group`
  std::string key;
  for (const std::string* group : groups) {
    const size_t below = static_cast<size_t>(
        std::count_if(streamed_groups_.begin(), streamed_groups_.end(),
                      [&](const std::string& s) { return s < *group; }));
    // A streamed group's files lie between the last group and this one.
    if (below != streamed_below) RETURN_IF_ERROR(files.Close());
    streamed_below = below;
    const Run& run = runs_.at(*group);
    for (const Record& r : Sorted(run.records, run.ascending)) {
      key.assign(*group);
      key.append(r.suffix);
      RETURN_IF_ERROR(files.Put(key, r.value));
    }
  }
  RETURN_IF_ERROR(files.Close());
  for (std::string& path : files.TakeFinished()) {
    paths->push_back(std::move(path));
  }
  return absl::OkStatus();
}

absl::Status BulkLoader::WriteHeld(std::vector<std::string>* paths) {
  std::vector<const std::string*> groups;
  groups.reserve(runs_.size());
  size_t total = 0;
  for (const auto& [group, run] : runs_) {
    groups.push_back(&group);
    total += run.records.size();
  }
  std::sort(groups.begin(), groups.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  // Two halves of about the same size, each on a thread of its own.
  size_t split = 0;
  for (size_t lower = 0; split < groups.size() && lower < total / 2; ++split) {
    lower += runs_.at(*groups[split]).records.size();
  }
  const std::span<const std::string* const> all(groups);
  std::vector<std::string> upper_paths;
  absl::Status upper;
  std::thread other([&] {
    upper = WriteGroups(all.subspan(split), dir_ + "/h1-", &upper_paths);
  });
  absl::Status lower = WriteGroups(all.first(split), dir_ + "/h0-", paths);
  other.join();
  RETURN_IF_ERROR(lower);
  RETURN_IF_ERROR(upper);
  paths->insert(paths->end(), upper_paths.begin(), upper_paths.end());
  return absl::OkStatus();
}

absl::Status BulkLoader::Ingest() {
  RETURN_IF_ERROR(Drain());
  std::vector<std::string> paths;
  for (auto& [group, stream] : streams_) {
    RETURN_IF_ERROR(stream.files.Close());
    for (std::string& path : stream.files.TakeFinished()) {
      paths.push_back(std::move(path));
    }
  }
  RETURN_IF_ERROR(WriteHeld(&paths));
  if (!paths.empty()) {
    // IngestExternalFiles records its files in the manifest atomically: after
    // a crash either all of them are in the database or none.
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = db_->DefaultColumnFamily();
    arg.external_files = std::move(paths);
    arg.options.move_files = true;
    rocksdb::Status s = db_->IngestExternalFiles({arg});
    if (!s.ok())
      return eventstore::FromRocks(
          s, "projections: bulk load: ingesting the files");
  }
  Reset();
  return absl::OkStatus();
}

void BulkLoader::Discard() {
  Drain().IgnoreError();  // what is left is forgotten, errors with it
  Reset();
}

void BulkLoader::Reset() {
  for (auto& [group, stream] : streams_) {
    stream.files.Abandon();
    stream.last_key.clear();
  }
  runs_.clear();
  taken_bytes_ = 0;
  empty_ = true;
  {
    absl::MutexLock lock(&mu_);
    held_bytes_ = 0;
    status_ = absl::OkStatus();
  }
  std::error_code ec;  // a file left behind is removed by the next Reset
  std::filesystem::remove_all(dir_, ec);
  std::filesystem::create_directories(dir_, ec);
}

}  // namespace vagt::projections
