#include "services/vagtctl/credentials.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "domain/private_file.h"

namespace vagt::vagtctl {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

absl::Status Errno(const std::string& what) {
  return absl::FailedPreconditionError(
      absl::StrCat(what, ": ", std::strerror(errno)));
}

// The file's lines other than the one for `server` (all of them when
// absent); NOT_FOUND when the file does not exist.
absl::StatusOr<std::vector<std::string>> OtherLines(const std::string& path,
                                                    const std::string& server,
                                                    std::string* token) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return absl::NotFoundError("no credentials file");
    return Errno(path);
  }
  if ((st.st_mode & 077) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, " is readable by others: chmod 600 it, then log in again"));
  }
  std::ifstream in(path);
  if (!in) return Errno(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> words =
        absl::StrSplit(line, ' ', absl::SkipWhitespace());
    if (words.size() == 2 && words[0] == server) {
      if (token != nullptr) *token = words[1];
      continue;
    }
    lines.push_back(line);
  }
  return lines;
}

absl::Status MakeDirectories(const std::string& dir) {
  if (dir.empty()) return absl::OkStatus();
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) return absl::OkStatus();
  const size_t slash = dir.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    if (absl::Status s = MakeDirectories(dir.substr(0, slash)); !s.ok()) {
      return s;
    }
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return Errno(dir);
  return absl::OkStatus();
}

absl::Status WriteLines(const std::string& path,
                        const std::vector<std::string>& lines) {
  if (absl::Status s = MakeDirectories(path.substr(0, path.rfind('/')));
      !s.ok()) {
    return s;
  }
  std::string text = "# vagtctl credentials: server token\n";
  for (const std::string& line : lines) {
    if (!absl::StartsWith(line, "#")) absl::StrAppend(&text, line, "\n");
  }
  return WritePrivateFile(path, text);
}

}  // namespace

absl::StatusOr<std::string> CredentialsPath() {
  if (std::string explicit_path = Env("VAGT_CREDENTIALS");
      !explicit_path.empty()) {
    return explicit_path;
  }
  if (std::string config = Env("XDG_CONFIG_HOME"); !config.empty()) {
    return config + "/vagt/credentials";
  }
  if (std::string home = Env("HOME"); !home.empty()) {
    return home + "/.config/vagt/credentials";
  }
  return absl::FailedPreconditionError(
      "no place for credentials: set HOME, XDG_CONFIG_HOME or "
      "VAGT_CREDENTIALS");
}

absl::StatusOr<std::string> StoredToken(const std::string& server) {
  if (std::string token = Env("VAGT_TOKEN"); !token.empty()) return token;
  absl::StatusOr<std::string> path = CredentialsPath();
  if (!path.ok()) return path.status();
  std::string token;
  absl::StatusOr<std::vector<std::string>> lines =
      OtherLines(*path, server, &token);
  if (!lines.ok() && !absl::IsNotFound(lines.status())) return lines.status();
  if (token.empty()) {
    return absl::NotFoundError(absl::StrCat("not logged in to ", server));
  }
  return token;
}

absl::Status SaveToken(const std::string& server, const std::string& token) {
  absl::StatusOr<std::string> path = CredentialsPath();
  if (!path.ok()) return path.status();
  absl::StatusOr<std::vector<std::string>> lines =
      OtherLines(*path, server, nullptr);
  if (!lines.ok() && !absl::IsNotFound(lines.status())) return lines.status();
  std::vector<std::string> out =
      lines.ok() ? *lines : std::vector<std::string>{};
  out.push_back(absl::StrCat(server, " ", token));
  return WriteLines(*path, out);
}

absl::Status ForgetToken(const std::string& server) {
  absl::StatusOr<std::string> path = CredentialsPath();
  if (!path.ok()) return path.status();
  absl::StatusOr<std::vector<std::string>> lines =
      OtherLines(*path, server, nullptr);
  if (absl::IsNotFound(lines.status())) return absl::OkStatus();
  if (!lines.ok()) return lines.status();
  return WriteLines(*path, *lines);
}

absl::StatusOr<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Errno(absl::StrCat("cannot read ", path));
  std::string line;
  std::getline(in, line);
  std::string token(absl::StripAsciiWhitespace(line));
  if (token.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": holds no token"));
  }
  return token;
}

}  // namespace vagt::vagtctl
