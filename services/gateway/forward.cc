#include "services/gateway/forward.h"

#include <vector>

#include "absl/synchronization/notification.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "services/common/edge.h"

namespace vagt::gateway {
namespace {

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  for (const grpc::Slice& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return bytes;
}

// One operation of a stream is outstanding at a time, so the completion
// queue answers with that operation's tag or times out.
class StreamSteps {
 public:
  explicit StreamSteps(grpc::CompletionQueue& queue) : queue_(queue) {}

  // Waits for the outstanding operation; while it has not completed, calls
  // `idle` every `every` and cancels the call when it returns false (the
  // operation then completes, not ok).
  bool Await(grpc::ClientContext& context, absl::Duration every,
             const std::function<bool()>& idle) {
    for (;;) {
      void* tag = nullptr;
      bool ok = false;
      const auto deadline = absl::ToChronoTime(absl::Now() + every);
      switch (queue_.AsyncNext(&tag, &ok, deadline)) {
        case grpc::CompletionQueue::GOT_EVENT:
          return ok;
        case grpc::CompletionQueue::TIMEOUT:
          if (idle && !idle()) context.TryCancel();
          break;
        case grpc::CompletionQueue::SHUTDOWN:
          return false;
      }
    }
  }

 private:
  grpc::CompletionQueue& queue_;
};

}  // namespace

void Prepare(const Forwarded& call, grpc::ClientContext& context) {
  if (!call.authorization.empty()) {
    context.AddMetadata("authorization", call.authorization);
  }
  context.AddMetadata(std::string(services::kForwardedPeerKey),
                      call.client_peer);
  context.AddMetadata(std::string(services::kForwarderProofKey),
                      services::ForwarderProof());
  if (call.timeout.has_value()) {
    context.set_deadline(absl::ToChronoTime(absl::Now() + *call.timeout));
  }
}

UnaryResult ForwardUnary(const std::shared_ptr<grpc::Channel>& channel,
                         const Forwarded& call) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  Prepare(call, context);
  const grpc::ByteBuffer request = ToBuffer(call.request);
  grpc::ByteBuffer response;
  UnaryResult result;
  absl::Notification done;
  stub.UnaryCall(&context, call.method, grpc::StubOptions(), &request,
                 &response, [&](grpc::Status status) {
                   result.status = std::move(status);
                   done.Notify();
                 });
  done.WaitForNotification();
  if (result.status.ok()) result.response = FromBuffer(response);
  return result;
}

grpc::Status ForwardServerStream(
    const std::shared_ptr<grpc::Channel>& channel, const Forwarded& call,
    grpc::ClientContext& context, absl::Duration idle_every,
    const std::function<bool(const std::string&)>& deliver,
    const std::function<bool()>& idle) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue queue;
  StreamSteps steps(queue);
  grpc::Status status;
  {
    auto stream = stub.PrepareCall(&context, call.method, &queue);
    stream->StartCall(nullptr);
    if (steps.Await(context, idle_every, nullptr)) {
      stream->Write(ToBuffer(call.request), nullptr);
      if (steps.Await(context, idle_every, nullptr)) {
        stream->WritesDone(nullptr);
        steps.Await(context, idle_every, nullptr);
      }
      grpc::ByteBuffer message;
      for (;;) {
        stream->Read(&message, nullptr);
        if (!steps.Await(context, idle_every, idle)) break;
        if (!deliver(FromBuffer(message))) context.TryCancel();
      }
    }
    stream->Finish(&status, nullptr);
    steps.Await(context, idle_every, nullptr);
  }
  queue.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (queue.Next(&tag, &ok)) {
  }
  return status;
}

}  // namespace vagt::gateway
