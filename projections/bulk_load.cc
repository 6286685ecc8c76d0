#include "projections/bulk_load.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "eventstore/status_macros.h"
#include "projections/keys.h"

namespace vagt::projections {
namespace {

absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  return absl::UnavailableError(absl::StrCat(
      "projections: bulk load: ", std::string(what), ": ", s.ToString()));
}

void AppendLength(std::string& out, size_t n) {
  const auto v = static_cast<uint32_t>(n);
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
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
  for (const std::string& group : streamed_groups_) streams_[group];
  Reset();
}

BulkLoader::~BulkLoader() { Discard(); }

absl::Status BulkLoader::Add(const rocksdb::WriteBatch& batch) {
  Taker taker(*this);
  rocksdb::Status s = batch.Iterate(&taker);
  RETURN_IF_ERROR(taker.status());
  if (!s.ok()) return FromRocks(s, "reading a batch");
  if (batch.Count() > 0) empty_ = false;
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
    held_bytes_ += group.size() + sizeof(Run);
  }
  Run& run = it->second;
  const std::string_view suffix = key.substr(group.size());
  if (run.ascending && !run.records.empty() && key <= run.last_key) {
    run.ascending = false;
  }
  if (run.ascending) run.last_key.assign(key);
  const size_t before = run.records.size();
  AppendLength(run.records, suffix.size());
  run.records.append(suffix);
  AppendLength(run.records, value.size());
  run.records.append(value);
  held_bytes_ += run.records.size() - before;
  return absl::OkStatus();
}

absl::Status BulkLoader::PutStreamed(Stream& stream, std::string_view key,
                                     std::string_view value) {
  if (stream.any && key <= stream.last_key) {
    return absl::FailedPreconditionError(absl::StrCat(
        "projections: bulk load: the keys under '",
        std::string(keys::InsertHintPrefix(key)),
        "' do not ascend (the feed's record times or positions went back)"));
  }
  if (stream.writer != nullptr &&
      stream.writer->FileSize() >= options_.target_file_size_base) {
    RETURN_IF_ERROR(FinishFile(*stream.writer));
    stream.writer.reset();
  }
  if (stream.writer == nullptr) {
    stream.writer = std::make_unique<rocksdb::SstFileWriter>(
        rocksdb::EnvOptions(), options_, db_->DefaultColumnFamily());
    RETURN_IF_ERROR(OpenFile(*stream.writer));
  }
  rocksdb::Status s = stream.writer->Put(key, value);
  if (!s.ok()) return FromRocks(s, "writing a file");
  stream.last_key.assign(key);
  stream.any = true;
  return absl::OkStatus();
}

absl::Status BulkLoader::OpenFile(rocksdb::SstFileWriter& writer) {
  const std::string path = absl::StrCat(dir_, "/", next_file_++, ".sst");
  rocksdb::Status s = writer.Open(path);
  if (!s.ok()) return FromRocks(s, "opening a file");
  files_.push_back(path);
  return absl::OkStatus();
}

absl::Status BulkLoader::FinishFile(rocksdb::SstFileWriter& writer) {
  rocksdb::Status s = writer.Finish();
  if (!s.ok()) return FromRocks(s, "finishing a file");
  return absl::OkStatus();
}

absl::Status BulkLoader::WriteHeld() {
  std::vector<const std::string*> groups;
  groups.reserve(runs_.size());
  for (const auto& [group, run] : runs_) groups.push_back(&group);
  std::sort(groups.begin(), groups.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  std::unique_ptr<rocksdb::SstFileWriter> writer;
  size_t streamed_below = 0;  // of the streamed groups, those before `group`
  std::string key;
  for (const std::string* group : groups) {
    const size_t below = static_cast<size_t>(
        std::count_if(streamed_groups_.begin(), streamed_groups_.end(),
                      [&](const std::string& s) { return s < *group; }));
    // A streamed group's files lie between the last group and this one, or
    // the file is full: start another.
    if (writer != nullptr &&
        (below != streamed_below ||
         writer->FileSize() >= options_.target_file_size_base)) {
      RETURN_IF_ERROR(FinishFile(*writer));
      writer.reset();
    }
    streamed_below = below;
    if (writer == nullptr) {
      writer = std::make_unique<rocksdb::SstFileWriter>(
          rocksdb::EnvOptions(), options_, db_->DefaultColumnFamily());
      RETURN_IF_ERROR(OpenFile(*writer));
    }
    const Run& run = runs_.at(*group);
    for (const Record& r : Sorted(run.records, run.ascending)) {
      key.assign(*group);
      key.append(r.suffix);
      rocksdb::Status s = writer->Put(key, r.value);
      if (!s.ok()) return FromRocks(s, "writing a file");
    }
  }
  if (writer != nullptr) RETURN_IF_ERROR(FinishFile(*writer));
  return absl::OkStatus();
}

absl::Status BulkLoader::Ingest() {
  for (auto& [group, stream] : streams_) {
    if (stream.writer == nullptr) continue;
    RETURN_IF_ERROR(FinishFile(*stream.writer));
    stream.writer.reset();
  }
  RETURN_IF_ERROR(WriteHeld());
  if (!files_.empty()) {
    rocksdb::IngestExternalFileOptions options;
    options.move_files = true;
    rocksdb::Status s = db_->IngestExternalFile(files_, options);
    if (!s.ok()) return FromRocks(s, "ingesting the files");
  }
  Reset();
  return absl::OkStatus();
}

void BulkLoader::Discard() { Reset(); }

void BulkLoader::Reset() {
  for (auto& [group, stream] : streams_) stream = Stream{};
  runs_.clear();
  files_.clear();
  held_bytes_ = 0;
  empty_ = true;
  std::error_code ec;  // a file left behind is removed by the next Reset
  std::filesystem::remove_all(dir_, ec);
  std::filesystem::create_directories(dir_, ec);
}

}  // namespace vagt::projections
