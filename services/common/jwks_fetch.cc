#include "services/common/jwks_fetch.h"

#include <curl/curl.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace vagt::services {
namespace {

// Far above any provider's key set; bounds what a fetch may hold.
constexpr size_t kMaxDocumentBytes = 1 << 20;

struct Body {
  std::string text;
  bool too_big = false;
};

size_t Append(char* data, size_t size, size_t count, void* body_ptr) {
  Body& body = *static_cast<Body*>(body_ptr);
  const size_t bytes = size * count;
  if (body.text.size() + bytes > kMaxDocumentBytes) {
    body.too_big = true;
    return 0;  // Aborts the transfer.
  }
  body.text.append(data, bytes);
  return bytes;
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

void InitCurlOnce() {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == 0;
  (void)initialised;
}

// Whether `url` is https, or http to this machine. curl parses it, as it
// will when fetching.
absl::Status CheckScheme(const std::string& url) {
  std::unique_ptr<CURLU, CurlDeleter> parsed(curl_url());
  char* scheme = nullptr;
  char* host = nullptr;
  const bool ok =
      parsed != nullptr &&
      curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
      curl_url_get(parsed.get(), CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
      curl_url_get(parsed.get(), CURLUPART_HOST, &host, 0) == CURLUE_OK;
  const std::string s = ok ? scheme : "";
  const std::string h = ok ? host : "";
  curl_free(scheme);
  curl_free(host);
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrCat("the JWKS URL '", url, "' is not a URL"));
  }
  if (s == "https") return absl::OkStatus();
  if (s == "http" && (h == "127.0.0.1" || h == "localhost" || h == "[::1]")) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("the JWKS URL '", url,
                   "' must be https (http only on loopback, for tests)"));
}

absl::StatusOr<std::string> Get(const std::string& url,
                                const UrlFetchOptions& options) {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (curl == nullptr) return absl::InternalError("libcurl cannot start");
  Body body;
  char error[CURL_ERROR_SIZE] = "";
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(
      c, CURLOPT_TIMEOUT_MS,
      static_cast<long>(absl::ToInt64Milliseconds(options.timeout)));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Append);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  if (!options.ca_file.empty()) {
    curl_easy_setopt(c, CURLOPT_CAINFO, options.ca_file.c_str());
  }
  const CURLcode code = curl_easy_perform(c);
  if (body.too_big) {
    return absl::UnavailableError(absl::StrCat(
        url, ": the document is larger than ", kMaxDocumentBytes, " bytes"));
  }
  if (code != CURLE_OK) {
    return absl::UnavailableError(absl::StrCat(
        url, ": ", error[0] != '\0' ? error : curl_easy_strerror(code)));
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    return absl::UnavailableError(absl::StrCat(url, ": HTTP status ", status));
  }
  return std::move(body.text);
}

}  // namespace

JwksFetch JwksFromFile(std::string path) {
  JwksFetch fetch;
  fetch.source = path;
  fetch.read = [path = std::move(path)]() -> absl::StatusOr<std::string> {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    if (!in || !(text << in.rdbuf())) {
      return absl::UnavailableError(absl::StrCat("cannot read ", path));
    }
    if (text.tellp() > static_cast<std::streamoff>(kMaxDocumentBytes)) {
      return absl::UnavailableError(absl::StrCat(
          path, ": the document is larger than ", kMaxDocumentBytes, " bytes"));
    }
    return std::move(text).str();
  };
  return fetch;
}

absl::StatusOr<JwksFetch> JwksFromUrl(std::string url,
                                      UrlFetchOptions options) {
  InitCurlOnce();
  if (absl::Status s = CheckScheme(url); !s.ok()) return s;
  JwksFetch fetch;
  fetch.source = url;
  fetch.read = [url = std::move(url), options = std::move(options)] {
    return Get(url, options);
  };
  return fetch;
}

}  // namespace vagt::services
