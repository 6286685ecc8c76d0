#include "tests/eventstore/test_store.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace vagt::eventstore::testing {

ScratchDir::ScratchDir() {
  std::string tmpl = ::testing::TempDir();
  if (tmpl.empty() || tmpl.back() != '/') tmpl.push_back('/');
  tmpl += "vagt-eventstore-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp(" << tmpl << "): " << std::strerror(errno);
  }
  path_ = tmpl;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string ScratchDir::Child(std::string_view name) const {
  return path_ + "/" + std::string(name);
}

NewEvent MakeCallReceived(std::string_view call_id, std::string_view reason) {
  NewEvent e;
  e.actor = "worker:anna";
  v1::CallReceived* call = e.payload.mutable_call_received();
  call->set_call_id(std::string(call_id));
  call->set_line_id("line-bos");
  call->set_citizen_ref("citizen-7f3a");
  call->mutable_sensitive()->set_reason(std::string(reason));
  return e;
}

NewEvent MakeCallNoteAdded(std::string_view call_id, std::string_view text) {
  NewEvent e;
  e.actor = "worker:anna";
  v1::CallNoteAdded* note = e.payload.mutable_call_note_added();
  note->set_call_id(std::string(call_id));
  note->mutable_sensitive()->set_text(std::string(text));
  return e;
}

AppendRequest AppendTo(std::string_view stream_id, ExpectedVersion expected,
                       std::vector<NewEvent> events,
                       std::string_view request_id) {
  AppendRequest request;
  request.stream_id = std::string(stream_id);
  request.expected = expected;
  request.request_id = std::string(request_id);
  request.events = std::move(events);
  return request;
}

std::string CallIdOf(const v1::EventEnvelope& event) {
  switch (event.payload().event_case()) {
    case v1::EventPayload::kCallReceived:
      return event.payload().call_received().call_id();
    case v1::EventPayload::kCallNoteAdded:
      return event.payload().call_note_added().call_id();
    default:
      return "";
  }
}

absl::StatusOr<std::vector<v1::EventEnvelope>> ReadAllEvents(
    const EventStore& store) {
  constexpr size_t kPage = 256;
  std::vector<v1::EventEnvelope> all;
  while (true) {
    // Continues after the last event seen, so a gap cannot cause a re-read.
    const uint64_t from = all.empty() ? 1 : all.back().global_position() + 1;
    absl::StatusOr<std::vector<v1::EventEnvelope>> page =
        store.ReadAll(from, kPage);
    if (!page.ok()) return page.status();
    if (page->empty()) return all;
    for (v1::EventEnvelope& e : *page) all.push_back(std::move(e));
  }
}

absl::StatusOr<std::unique_ptr<EventStore>> OpenStoreAt(
    const std::string& path) {
  return EventStore::Open({.path = path});
}

void EventStoreTest::SetUp() { ASSERT_NO_FATAL_FAILURE(Reopen()); }

void EventStoreTest::Reopen() {
  store_.reset();
  ASSERT_OK_AND_ASSIGN(store_, OpenStoreAt(store_path_));
}

AppendResult EventStoreTest::MustAppend(std::string_view stream_id,
                                        std::vector<NewEvent> events) {
  absl::StatusOr<AppendResult> r = store_->Append(
      AppendTo(stream_id, ExpectedVersion::Any(), std::move(events)));
  if (!r.ok()) {
    ADD_FAILURE() << "Append to " << stream_id << ": " << r.status();
    return AppendResult{};
  }
  return *r;
}

}  // namespace vagt::eventstore::testing
