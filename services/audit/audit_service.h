// AuditService: timelines, the board at a past instant, chain verification
// and the review export, read from the audit projection. Every read that
// returns citizens' data is recorded first (services/common/access_log.h).
// See proto/vagt/v1/audit.proto.
#ifndef VAGT_SERVICES_AUDIT_AUDIT_SERVICE_H_
#define VAGT_SERVICES_AUDIT_AUDIT_SERVICE_H_

#include "eventstore/clock.h"
#include "eventstore/event_store.h"
#include "services/common/access_log.h"
#include "services/common/projection_view.h"
#include "vagt/v1/audit.grpc.pb.h"

namespace vagt::services {

// Timeline pages hold at most this many events (bounding the access record,
// which names every citizen in the page).
inline constexpr uint32_t kMaxTimelinePage = 250;
inline constexpr uint32_t kDefaultTimelinePage = 100;

class AuditService final : public v1::AuditService::Service {
 public:
  // All must outlive the service. `store` is what Verify walks; null where
  // the store lives in another process (the queries role).
  AuditService(const ProjectionView& view, AccessSink& access,
               const eventstore::EventStore* store, const Clock& clock)
      : view_(view), access_(access), store_(store), clock_(clock) {}

  grpc::Status Timeline(grpc::ServerContext* context,
                        const v1::TimelineRequest* request,
                        v1::TimelineResponse* response) override;
  grpc::Status BoardAt(grpc::ServerContext* context,
                       const v1::BoardAtRequest* request,
                       v1::Board* response) override;
  grpc::Status Verify(grpc::ServerContext* context,
                      const v1::VerifyRequest* request,
                      v1::VerifyResponse* response) override;
  grpc::Status ExportReview(grpc::ServerContext* context,
                            const v1::ExportReviewRequest* request,
                            v1::ExportReviewResponse* response) override;

 private:
  const ProjectionView& view_;
  AccessSink& access_;
  const eventstore::EventStore* const store_;
  const Clock& clock_;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_AUDIT_AUDIT_SERVICE_H_
