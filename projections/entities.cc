#include "projections/entities.h"

#include <algorithm>
#include <optional>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"

namespace vagt::projections {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using keys::Entity;

std::optional<Entity> EntityOfField(const std::string& name) {
  if (name == "citizen_ref" || name == "citizen_refs") return Entity::kCitizen;
  if (name == "call_id" || name == "related_call_ids") return Entity::kCall;
  if (name == "escalation_id" || name == "escalation_ids" ||
      name == "related_escalation_ids") {
    return Entity::kEscalation;
  }
  return std::nullopt;
}

void Add(std::vector<EntityRef>& out, Entity kind, std::string id) {
  if (!id.empty()) out.emplace_back(kind, std::move(id));
}

void Walk(const Message& m, std::vector<EntityRef>& out) {
  const google::protobuf::Reflection* r = m.GetReflection();
  if (m.GetDescriptor() == v1::Party::descriptor()) {
    Add(out, Entity::kWorker, static_cast<const v1::Party&>(m).id());
    return;
  }
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(m, f); ++i) {
          Walk(r->GetRepeatedMessage(m, f, i), out);
        }
      } else {
        Walk(r->GetMessage(m, f), out);
      }
    } else if (f->type() == FieldDescriptor::TYPE_STRING) {
      std::optional<Entity> kind = EntityOfField(f->name());
      if (!kind.has_value()) continue;
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(m, f); ++i) {
          Add(out, *kind, r->GetRepeatedString(m, f, i));
        }
      } else {
        Add(out, *kind, r->GetString(m, f));
      }
    }
  }
}

// The entity a stream is, by its "<kind>-<id>" name.
void AddStream(const std::string& stream, std::vector<EntityRef>& out) {
  const size_t dash = stream.find('-');
  if (dash == std::string::npos) return;
  const std::string_view kind(stream.data(), dash);
  std::string id = stream.substr(dash + 1);
  if (kind == "citizen") {
    Add(out, Entity::kCitizen, stream);  // a citizen_ref is the stream id
  } else if (kind == "call") {
    Add(out, Entity::kCall, std::move(id));
  } else if (kind == "escalation") {
    Add(out, Entity::kEscalation, std::move(id));
  }
}

}  // namespace

std::vector<EntityRef> EntitiesOf(const v1::EventEnvelope& event,
                                  std::string_view routed_line_id) {
  std::vector<EntityRef> out;
  AddStream(event.stream_id(), out);
  Add(out, Entity::kWorker, event.actor());
  Add(out, Entity::kLine, std::string(routed_line_id));
  Walk(event.payload(), out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace vagt::projections
