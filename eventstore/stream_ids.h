// Stream ids name what a stream is about: "<kind>-<id>" ("call-7f3a",
// "line-ishoj-bos", "roster-ishoj-bos"). The store does not read them; the
// projections and services that route events by their stream do, here.
#ifndef VAGT_EVENTSTORE_STREAM_IDS_H_
#define VAGT_EVENTSTORE_STREAM_IDS_H_

#include <string_view>

namespace vagt {

// The id after "<kind>-" when `stream_id` is a stream of that kind; empty
// otherwise (and for "<kind>-" with nothing after it).
inline std::string_view IdInStream(std::string_view stream_id,
                                   std::string_view kind) {
  if (stream_id.size() <= kind.size() + 1 ||
      stream_id.substr(0, kind.size()) != kind ||
      stream_id[kind.size()] != '-') {
    return {};
  }
  return stream_id.substr(kind.size() + 1);
}

}  // namespace vagt

#endif  // VAGT_EVENTSTORE_STREAM_IDS_H_
