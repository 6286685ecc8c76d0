#include "tests/support/connect_stream.h"

#include <cstdint>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace vagt::testing {

absl::StatusOr<int> GatewayPort(ChildProcess& vagtd, absl::Time deadline) {
  constexpr std::string_view kAt = " at http://127.0.0.1:";
  absl::StatusOr<std::string> line =
      vagtd.ReadUntil(std::string(kAt), deadline);
  if (!line.ok()) {
    return absl::UnavailableError(absl::StrCat(
        "vagtd printed no gateway address: ", line.status().message(),
        "; it printed: ", vagtd.transcript()));
  }
  const std::string rest = line->substr(line->find(kAt) + kAt.size());
  int port = 0;
  if (!absl::SimpleAtoi(rest.substr(0, rest.find('/')), &port)) {
    return absl::InternalError(absl::StrCat("no port in: ", *line));
  }
  return port;
}

ConnectStream::ConnectStream(int port, const std::string& path,
                             const std::string& token, const std::string& json,
                             OnMessage on_message)
    : client_("127.0.0.1", port), on_message_(std::move(on_message)) {
  client_.set_read_timeout(120, 0);
  client_.set_tcp_nodelay(true);
  thread_ = std::thread([this, path, token, json] {
    httplib::Request request;
    request.method = "POST";
    request.path = path;
    request.headers = {{"Content-Type", "application/connect+json"},
                       {"Connect-Protocol-Version", "1"}};
    if (!token.empty()) {
      request.headers.emplace("Authorization", "Bearer " + token);
    }
    const auto size = static_cast<uint32_t>(json.size());
    request.body = std::string(1, '\0');
    for (int shift = 24; shift >= 0; shift -= 8) {
      request.body.push_back(static_cast<char>((size >> shift) & 0xff));
    }
    request.body += json;
    request.content_receiver = [this](const char* data, size_t n, uint64_t,
                                      uint64_t) {
      Received(std::string_view(data, n));
      return true;
    };
    httplib::Response response;
    httplib::Error error;
    client_.send(request, response, error);
    absl::MutexLock lock(&mu_);
    status_ = response.status;
    if (error != httplib::Error::Success) error_ = httplib::to_string(error);
    closed_ = true;
  });
}

ConnectStream::~ConnectStream() {
  client_.stop();
  thread_.join();
}

size_t ConnectStream::WaitForMessages(size_t n, absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  const auto arrived = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return messages_.size() >= n || closed_;
  };
  mu_.AwaitWithDeadline(absl::Condition(&arrived), deadline);
  return messages_.size();
}

std::string ConnectStream::WaitForEnd(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithDeadline(absl::Condition(this, &ConnectStream::Ended), deadline);
  return end_;
}

std::vector<std::string> ConnectStream::messages() {
  absl::MutexLock lock(&mu_);
  return messages_;
}

int ConnectStream::status() {
  absl::MutexLock lock(&mu_);
  return status_;
}

std::string ConnectStream::error() {
  absl::MutexLock lock(&mu_);
  return error_;
}

bool ConnectStream::Ended() const { return !end_.empty() || closed_; }

// Splits what arrived into envelopes: a flags byte (0x02: the end of the
// stream), a 4-byte big-endian length, the JSON.
void ConnectStream::Received(std::string_view bytes) {
  std::vector<std::string> complete;
  {
    absl::MutexLock lock(&mu_);
    buffer_.append(bytes);
    while (buffer_.size() >= 5) {
      uint32_t size = 0;
      for (int i = 1; i <= 4; ++i) {
        size = (size << 8) | static_cast<uint8_t>(buffer_[i]);
      }
      if (buffer_.size() < 5 + size) break;
      std::string payload = buffer_.substr(5, size);
      if (buffer_[0] & 0x02) {
        end_ = payload;
      } else {
        messages_.push_back(payload);
        if (on_message_) complete.push_back(std::move(payload));
      }
      buffer_.erase(0, 5 + size);
    }
  }
  for (const std::string& json : complete) on_message_(json);
}

}  // namespace vagt::testing
