#include "services/common/edge.h"

#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "domain/access_token.h"
#include "domain/streams.h"
#include "grpcpp/support/server_interceptor.h"
#include "services/common/grpc_status.h"
#include "services/common/ids.h"
#include "services/common/rights.h"

namespace vagt::services {
namespace {

using grpc::experimental::InterceptionHookPoints;

class EdgeFactory;

// What the edge decided for one request, and whether its handler asked.
// Written before it is registered, except `asked`.
struct Verdict {
  absl::StatusOr<Caller> caller = absl::InternalError("not admitted yet");
  bool asked = false;
  // To admit the same request again (StillAdmitted).
  EdgeFactory* edge = nullptr;
  std::string method;
  std::string authorization;
  // The transport's peer, or the forwarded client's (kForwardedPeerKey).
  std::string peer;
};

// The verdicts of the requests being handled, by their server context. An
// entry lives from the request's metadata to the end of its call.
class Verdicts {
 public:
  static Verdicts& Instance() {
    static auto* verdicts = new Verdicts();
    return *verdicts;
  }
  void Put(const grpc::ServerContextBase* call, Verdict* verdict) {
    absl::MutexLock lock(&mu_);
    by_call_[call] = verdict;
  }
  void Remove(const grpc::ServerContextBase* call) {
    absl::MutexLock lock(&mu_);
    by_call_.erase(call);
  }
  // The verdict of `call`, marked as asked; null when no edge saw the call.
  // It lives as long as the call.
  const Verdict* Ask(const grpc::ServerContextBase* call) {
    absl::MutexLock lock(&mu_);
    auto it = by_call_.find(call);
    if (it == by_call_.end()) return nullptr;
    it->second->asked = true;
    return it->second;
  }

 private:
  absl::Mutex mu_;
  absl::flat_hash_map<const grpc::ServerContextBase*, Verdict*> by_call_
      ABSL_GUARDED_BY(mu_);
};

class EdgeInterceptor final : public grpc::experimental::Interceptor {
 public:
  EdgeInterceptor(EdgeFactory& edge, grpc::experimental::ServerRpcInfo& info)
      : edge_(edge), call_(info.server_context()) {
    verdict_.edge = &edge;
    verdict_.method = info.method();
  }
  ~EdgeInterceptor() override {
    if (registered_) Verdicts::Instance().Remove(call_);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override;

 private:
  EdgeFactory& edge_;
  grpc::ServerContextBase* const call_;
  Verdict verdict_;
  bool registered_ = false;
};

class EdgeFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit EdgeFactory(EdgeOptions options)
      : options_(options), throttle_(options.throttle) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new EdgeInterceptor(*this, *info);
  }

  // Admits one request, throttling and recording refusals.
  absl::StatusOr<Caller> Decide(const std::string& method,
                                absl::string_view authorization,
                                const std::string& peer);
  // Admit as this edge does it: with the identity provider's verifier, or
  // as the bench's caller without credentials.
  absl::StatusOr<Caller> AdmitAgainst(
      std::shared_ptr<const DirectoryState> directory,
      const std::string& method, absl::string_view authorization,
      absl::Time now, std::string* refused_party = nullptr) const {
    if (!options_.bench_admit_everyone_as.empty()) {
      return AdmitWithoutCredentials(std::move(directory), method);
    }
    return Admit(std::move(directory), method, authorization, now,
                 options_.oidc, refused_party);
  }
  // The bench's caller (EdgeOptions::bench_admit_everyone_as).
  absl::StatusOr<Caller> AdmitWithoutCredentials(
      std::shared_ptr<const DirectoryState> directory,
      const std::string& method) const {
    const Principal* principal =
        directory->principal(options_.bench_admit_everyone_as);
    const MethodRule* rule = RuleFor(method);
    if (principal == nullptr || rule == nullptr) {
      return absl::PermissionDeniedError("not the bench's principal");
    }
    return Caller{.party_id = principal->party_id,
                  .roles = principal->roles,
                  .directory = std::move(directory),
                  .rule = rule};
  }
  // Records a PERMISSION_DENIED a service answered to an admitted caller.
  void RecordRefusedByService(const std::string& method, const Caller& caller,
                              const std::string& reason,
                              const std::string& peer) {
    Record(method, absl::PermissionDeniedError(reason),
           v1::REFUSAL_KIND_PERMISSION_DENIED,
           {.party_id = caller.party_id, .credential_id = caller.credential_id},
           PeerAddress(peer));
  }
  // Admits credentials again, without throttling or recording.
  absl::StatusOr<Caller> Readmit(const std::string& method,
                                 const std::string& authorization) const {
    absl::StatusOr<std::shared_ptr<const DirectoryState>> directory =
        options_.directory->Current();
    if (!directory.ok()) return directory.status();
    return AdmitAgainst(*directory, method, authorization,
                        options_.clock->Now());
  }

 private:
  // Who a refusal is about, as far as known: the party the credentials
  // named (a PERMISSION_DENIED refusal is recorded as its party's) and the
  // vagt credential presented, if the directory has it.
  struct Refused {
    std::string party_id;
    std::string credential_id;
  };
  void Record(const std::string& method, const absl::Status& refusal,
              v1::RefusalKind kind, const Refused& refused,
              const std::string& address);

  const EdgeOptions options_;
  LoginThrottle throttle_;
};

absl::StatusOr<Caller> EdgeFactory::Decide(const std::string& method,
                                           absl::string_view authorization,
                                           const std::string& peer) {
  const absl::Time now = options_.clock->Now();
  const std::string address = PeerAddress(peer);
  if (absl::Status throttled = throttle_.Check(address, now); !throttled.ok()) {
    return throttled;
  }
  absl::StatusOr<std::shared_ptr<const DirectoryState>> directory =
      options_.directory->Current();
  if (!directory.ok()) {
    return absl::UnavailableError(
        "the directory cannot be read now, so nobody can be admitted; "
        "retry");
  }
  Refused refused;
  absl::StatusOr<Caller> caller =
      AdmitAgainst(*directory, method, authorization, now, &refused.party_id);
  if (caller.ok()) return caller;
  if (auto token =
          ParseAccessToken(absl::StripPrefix(authorization, "Bearer "));
      token.ok()) {
    if (const Credential* presented =
            (*directory)->credential(token->credential_id)) {
      refused.credential_id = presented->credential_id;
    }
  }
  if (!absl::IsUnauthenticated(caller.status())) {
    Record(method, caller.status(), v1::REFUSAL_KIND_PERMISSION_DENIED, refused,
           address);
    return caller;
  }
  const bool throttle_starts = throttle_.Failed(address, now);
  Record(method, caller.status(), v1::REFUSAL_KIND_UNAUTHENTICATED, refused,
         address);
  if (throttle_starts) {
    Record(method, throttle_.Check(address, now), v1::REFUSAL_KIND_THROTTLED,
           refused, address);
  }
  return caller;
}

void EdgeFactory::Record(const std::string& method, const absl::Status& refusal,
                         v1::RefusalKind kind, const Refused& refused,
                         const std::string& address) {
  eventstore::NewEvent event;
  event.actor =
      kind == v1::REFUSAL_KIND_PERMISSION_DENIED && !refused.party_id.empty()
          ? refused.party_id
          : "system:gate";
  v1::AccessRefused& e = *event.payload.mutable_access_refused();
  e.set_refusal_id(NewUuid());
  e.set_method(method);
  e.set_kind(kind);
  if (kind == v1::REFUSAL_KIND_PERMISSION_DENIED) {
    if (const MethodRule* rule = RuleFor(method); rule != nullptr) {
      e.set_right(std::string(RightName(rule->right)));
    }
  }
  if (!refused.credential_id.empty()) {
    e.set_credential_id(refused.credential_id);
  }
  e.set_peer(address);
  e.set_reason(std::string(refusal.message()));
  const std::string stream = AccessStreamId(e.refusal_id());
  if (absl::Status s = options_.refusals->Write(stream, std::move(event));
      !s.ok()) {
    // The request is refused all the same; the operator must learn that the
    // trail misses it. The message names no token.
    std::fprintf(stderr, "vagtd: a refusal of %s could not be recorded: %s\n",
                 method.c_str(), std::string(s.message()).c_str());
  }
}

namespace {

// The forwarded client's address, when the call carries it with the proof.
std::optional<std::string> ForwardedPeer(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
  const auto value = [&metadata](std::string_view key) {
    auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
    return it == metadata.end()
               ? std::optional<absl::string_view>()
               : absl::string_view(it->second.data(), it->second.size());
  };
  const std::optional<absl::string_view> peer = value(kForwardedPeerKey);
  const std::optional<absl::string_view> proof = value(kForwarderProofKey);
  if (!peer.has_value() || !proof.has_value() ||
      !DigestMatches(*proof, ForwarderProof())) {
    return std::nullopt;
  }
  return std::string(*peer);
}

}  // namespace

void EdgeInterceptor::Intercept(
    grpc::experimental::InterceptorBatchMethods* methods) {
  if (methods->QueryInterceptionHookPoint(
          InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
    const auto* metadata = methods->GetRecvInitialMetadata();
    absl::string_view authorization;
    if (auto it = metadata->find("authorization"); it != metadata->end()) {
      authorization = absl::string_view(it->second.data(), it->second.size());
    }
    verdict_.peer = ForwardedPeer(*metadata).value_or(call_->peer());
    verdict_.caller =
        edge_.Decide(verdict_.method, authorization, verdict_.peer);
    verdict_.authorization = std::string(authorization);
    Verdicts::Instance().Put(call_, &verdict_);
    registered_ = true;
  }
  if (methods->QueryInterceptionHookPoint(
          InterceptionHookPoints::PRE_SEND_STATUS) &&
      verdict_.caller.ok()) {
    // A relationship rule (scope.h) refused what the rights table admitted:
    // recorded like the gate's own refusals.
    const grpc::Status sent = methods->GetSendStatus();
    if (sent.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
      edge_.RecordRefusedByService(verdict_.method, *verdict_.caller,
                                   sent.error_message(), verdict_.peer);
    }
  } else if (methods->QueryInterceptionHookPoint(
                 InterceptionHookPoints::PRE_SEND_STATUS)) {
    if (!verdict_.asked) {
      std::fprintf(stderr,
                   "vagtd: BUG: %s ran for a refused request without asking "
                   "the gate\n",
                   verdict_.method.c_str());
      methods->ModifySendStatus(grpc::Status(
          grpc::StatusCode::INTERNAL,
          verdict_.method + " ran without asking the gate; refused"));
    } else {
      methods->ModifySendStatus(ToGrpcStatus(verdict_.caller.status()));
    }
  }
  methods->Proceed();
}

}  // namespace

void InstallEdge(grpc::ServerBuilder& builder, EdgeOptions options) {
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      creators;
  creators.push_back(std::make_unique<EdgeFactory>(options));
  builder.experimental().SetInterceptorCreators(std::move(creators));
}

namespace {

absl::Status NoGate() {
  return absl::InternalError(
      "no gate in front of this service: nobody may call it");
}

}  // namespace

absl::StatusOr<Caller> CallerOf(const grpc::ServerContextBase& call) {
  const Verdict* verdict = Verdicts::Instance().Ask(&call);
  if (verdict == nullptr) return NoGate();
  return verdict->caller;
}

absl::StatusOr<Caller> StillAdmitted(const grpc::ServerContextBase& call) {
  const Verdict* verdict = Verdicts::Instance().Ask(&call);
  if (verdict == nullptr) return NoGate();
  return verdict->edge->Readmit(verdict->method, verdict->authorization);
}

const std::string& ForwarderProof() {
  static const std::string* const proof =
      new std::string(NewAccessToken("").secret);
  return *proof;
}

}  // namespace vagt::services
