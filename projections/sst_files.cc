#include "projections/sst_files.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "eventstore/rocks_status.h"

namespace vagt::projections {

SstFiles::SstFiles(rocksdb::DB* db, const rocksdb::Options& options,
                   std::string prefix)
    : db_(db), options_(options), prefix_(std::move(prefix)) {}

absl::Status SstFiles::Put(std::string_view key, std::string_view value) {
  if (writer_ != nullptr &&
      writer_->FileSize() >= options_.target_file_size_base) {
    if (absl::Status s = Close(); !s.ok()) return s;
  }
  if (writer_ == nullptr) {
    writer_ = std::make_unique<rocksdb::SstFileWriter>(
        rocksdb::EnvOptions(), options_, db_->DefaultColumnFamily());
    path_ = absl::StrCat(prefix_, next_++, ".sst");
    rocksdb::Status s = writer_->Open(path_);
    if (!s.ok()) {
      writer_.reset();
      return eventstore::FromRocks(s, "projections: bulk load: opening a file");
    }
  }
  rocksdb::Status s = writer_->Put(key, value);
  if (!s.ok())
    return eventstore::FromRocks(s, "projections: bulk load: writing a file");
  return absl::OkStatus();
}

absl::Status SstFiles::Close() {
  if (writer_ == nullptr) return absl::OkStatus();
  rocksdb::Status s = writer_->Finish();
  writer_.reset();
  if (!s.ok())
    return eventstore::FromRocks(s, "projections: bulk load: finishing a file");
  finished_.push_back(std::move(path_));
  return absl::OkStatus();
}

std::vector<std::string> SstFiles::TakeFinished() {
  return std::exchange(finished_, {});
}

void SstFiles::Abandon() {
  writer_.reset();
  finished_.clear();
}

}  // namespace vagt::projections
