// RETURN_IF_ERROR and ASSIGN_OR_RETURN for absl::Status / absl::StatusOr.
//
// Abseil 20220623 (Debian 12) ships neither; this is the project's one
// definition. Usage:
//
//   RETURN_IF_ERROR(store.Append(...).status());
//   ASSIGN_OR_RETURN(auto events, store.ReadStream("call-1", 1, 100));
#ifndef VAGT_EVENTSTORE_STATUS_MACROS_H_
#define VAGT_EVENTSTORE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define VAGT_STATUS_CONCAT_INNER_(a, b) a##b
#define VAGT_STATUS_CONCAT_(a, b) VAGT_STATUS_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                    \
  do {                                           \
    ::absl::Status vagt_status_ = (expr);        \
    if (!vagt_status_.ok()) return vagt_status_; \
  } while (false)

#define ASSIGN_OR_RETURN(lhs, expr)                                          \
  VAGT_ASSIGN_OR_RETURN_IMPL_(VAGT_STATUS_CONCAT_(vagt_statusor_, __LINE__), \
                              lhs, expr)

#define VAGT_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr)   \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()

#endif  // VAGT_EVENTSTORE_STATUS_MACROS_H_
