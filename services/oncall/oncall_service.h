// OnCallService: the live board of a line (GetBoard, WatchBoard), read from
// the board projection. See proto/vagt/v1/oncall.proto.
#ifndef VAGT_SERVICES_ONCALL_ONCALL_SERVICE_H_
#define VAGT_SERVICES_ONCALL_ONCALL_SERVICE_H_

#include <string>

#include "absl/status/statusor.h"
#include "eventstore/clock.h"
#include "services/common/projection_view.h"
#include "vagt/v1/oncall.grpc.pb.h"

namespace vagt::services {

class OnCallService final : public v1::OnCallService::Service {
 public:
  // Both must outlive the service.
  OnCallService(const ProjectionView& view, const Clock& clock)
      : view_(view), clock_(clock) {}

  grpc::Status GetBoard(grpc::ServerContext* context,
                        const v1::GetBoardRequest* request,
                        v1::Board* response) override;
  grpc::Status WatchBoard(grpc::ServerContext* context,
                          const v1::WatchBoardRequest* request,
                          grpc::ServerWriter<v1::Board>* writer) override;

 private:
  absl::StatusOr<v1::Board> StoredBoard(const std::string& line_id) const;

  const ProjectionView& view_;
  const Clock& clock_;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_ONCALL_ONCALL_SERVICE_H_
