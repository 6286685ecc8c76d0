// SstFiles: SST files for ingestion into a database's default column family,
// written one after another (<prefix>0.sst, <prefix>1.sst, ...), each up to
// the database's target file size.
//
//   SstFiles files(db, options, dir + "/e-");
//   RETURN_IF_ERROR(files.Put(key, value));   // keys ascending
//   RETURN_IF_ERROR(files.Close());
//   std::vector<std::string> paths = files.TakeFinished();
#ifndef VAGT_PROJECTIONS_SST_FILES_H_
#define VAGT_PROJECTIONS_SST_FILES_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "rocksdb/db.h"
#include "rocksdb/sst_file_writer.h"

namespace vagt::projections {

class SstFiles {
 public:
  // `db` and `options` (the database's) must outlive the files.
  SstFiles(rocksdb::DB* db, const rocksdb::Options& options,
           std::string prefix);

  // Adds a key, greater than the one before in the same file. Opens a file
  // if none is open, and starts the next one when it is full.
  absl::Status Put(std::string_view key, std::string_view value);
  // Finishes the open file, if any: the next Put opens another.
  absl::Status Close();
  // The paths of the files finished since the last call.
  std::vector<std::string> TakeFinished();
  // Drops the open file; forgets the finished ones (the caller deletes).
  void Abandon();

 private:
  rocksdb::DB* const db_;
  const rocksdb::Options& options_;
  const std::string prefix_;
  int next_ = 0;
  std::unique_ptr<rocksdb::SstFileWriter> writer_;
  std::string path_;  // the open file's
  std::vector<std::string> finished_;
};

}  // namespace vagt::projections

#endif  // VAGT_PROJECTIONS_SST_FILES_H_
