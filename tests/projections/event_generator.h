// EventGenerator: random but plausible histories of the on-call phone,
// appended straight to an EventStore, for tests that compare projections
// computed in different ways over many event sequences.
//
//   FakeClock clock(absl::FromUnixSeconds(1'790'000'000));
//   ... open a store stamped by `clock` ...
//   EventGenerator generator(seed, *store, clock);
//   ASSERT_OK(generator.Generate(2000));
//
// A history has a few lines (one of which nobody ever takes, though calls
// come in on it); lines taken, handed over (offered, accepted, declined,
// withdrawn), passed to the night partner and taken back, backups assigned;
// calls received, with notes, risk assessments, crisis plans consulted, and
// closed; escalations raised from open calls, acknowledged, accepted,
// declined and timed out (both climb), resolved and cancelled; citizens'
// crisis plans and consents; reads of sensitive data; roster overrides; and
// corrections of earlier events. Each append holds 1..3 events of one
// stream, with the exact expected version; the clock moves 0..90 s (often
// 0, so that appends share an instant) before each append.
//
// The histories are valid as far as the projections look: a call stream
// starts with CallReceived, an escalation stream with EscalationRaised (on
// the line of its call), and ids are consistent across streams. The same
// seed gives the same history on an empty store.
//
// Thread-compatible: one thread uses a generator at a time, and nothing else
// appends to the store meanwhile.
#ifndef VAGT_TESTS_PROJECTIONS_EVENT_GENERATOR_H_
#define VAGT_TESTS_PROJECTIONS_EVENT_GENERATOR_H_

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "eventstore/clock.h"
#include "eventstore/event_store.h"
#include "vagt/v1/events.pb.h"

namespace vagt::projections::testing {

// Parties, as the services name them.
v1::Party TeamWorker(std::string_view name);  // "worker:<name>"
v1::Party NightPartner();                     // "partner:natteravnen"
// The party escalations go to at `level` (a team worker for BACKUP).
v1::Party EscalationTarget(v1::EscalationLevel level,
                           std::string_view backup_name = "bo");

// A NewEvent with `payload` recorded by `actor`, occurring "now".
eventstore::NewEvent Event(std::string_view actor, v1::EventPayload payload);

class EventGenerator {
 public:
  // `store` and `clock` (the clock that stamps `store`) must outlive the
  // generator.
  EventGenerator(uint32_t seed, eventstore::EventStore& store,
                 FakeClock& clock);
  ~EventGenerator();

  // Appends at least `count` more events.
  absl::Status Generate(uint64_t count);

  // Events appended by this generator so far.
  uint64_t appended() const { return appended_; }

 private:
  struct Line;
  struct Call;
  struct Escalation;
  struct Citizen;

  absl::Status Append(const std::string& stream_id, uint64_t& version,
                      std::vector<eventstore::NewEvent> events);
  absl::Status LineAction();
  absl::Status NewCall();
  absl::Status CallAction();
  absl::Status RaiseEscalation();
  absl::Status EscalationAction();
  absl::Status CitizenAction();
  absl::Status Access();
  absl::Status RosterOverride();
  absl::Status Correction();

  int Uniform(int low, int high);  // in [low, high]
  bool Chance(double p);
  std::string NewId(std::string_view kind);
  v1::Party RandomWorker();
  std::vector<v1::HandoverItem> HandoverItems(const Line& line);

  eventstore::EventStore& store_;
  FakeClock& clock_;
  std::mt19937 random_;
  uint64_t appended_ = 0;
  uint64_t next_id_ = 1;
  std::vector<std::unique_ptr<Line>> lines_;
  std::vector<std::unique_ptr<Call>> calls_;
  std::vector<std::unique_ptr<Escalation>> escalations_;
  std::vector<std::unique_ptr<Citizen>> citizens_;
};

}  // namespace vagt::projections::testing

#endif  // VAGT_TESTS_PROJECTIONS_EVENT_GENERATOR_H_
