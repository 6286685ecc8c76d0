#include "projections/entities.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "absl/container/flat_hash_map.h"
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

// Which fields of a message type can name an entity, found once per type
// from its descriptor: entity-named string fields, Party fields, and
// message fields whose own type can name one. Walking this plan instead of
// every set field (Reflection::ListFields) skips timestamps, sensitive
// texts and everything else that never names an entity.
struct FieldPlan;
struct MessagePlan {
  std::vector<FieldPlan> fields;
  bool complete = false;  // false only while the type is being planned
};
struct FieldPlan {
  enum class Kind { kEntityString, kParty, kMessage };
  const FieldDescriptor* field;
  Kind kind;
  Entity entity = Entity::kCitizen;   // kEntityString
  const MessagePlan* plan = nullptr;  // kMessage
};

class Plans {
 public:
  Plans() : payload_(PlanOf(v1::EventPayload::descriptor())) {}
  const MessagePlan& payload() const { return *payload_; }

 private:
  const MessagePlan* PlanOf(const google::protobuf::Descriptor* type) {
    std::unique_ptr<MessagePlan>& slot = plans_[type];
    if (slot != nullptr) return slot.get();
    slot = std::make_unique<MessagePlan>();
    MessagePlan* plan = slot.get();
    for (int i = 0; i < type->field_count(); ++i) {
      const FieldDescriptor* f = type->field(i);
      if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
        if (f->message_type() == v1::Party::descriptor()) {
          plan->fields.push_back({.field = f, .kind = FieldPlan::Kind::kParty});
          continue;
        }
        const MessagePlan* sub = PlanOf(f->message_type());
        // A type still being planned (a cycle) is kept: walking it is only
        // slower, never wrong.
        if (sub->complete && sub->fields.empty()) continue;
        plan->fields.push_back(
            {.field = f, .kind = FieldPlan::Kind::kMessage, .plan = sub});
      } else if (f->type() == FieldDescriptor::TYPE_STRING) {
        if (std::optional<Entity> kind = EntityOfField(f->name())) {
          plan->fields.push_back({.field = f,
                                  .kind = FieldPlan::Kind::kEntityString,
                                  .entity = *kind});
        }
      }
    }
    plan->complete = true;
    return plan;
  }

  absl::flat_hash_map<const google::protobuf::Descriptor*,
                      std::unique_ptr<MessagePlan>>
      plans_;
  const MessagePlan* payload_;
};

void Walk(const Message& m, const MessagePlan& plan,
          std::vector<EntityRef>& out);

void WalkOne(const Message& m, const FieldPlan& p,
             std::vector<EntityRef>& out) {
  switch (p.kind) {
    case FieldPlan::Kind::kParty:
      Add(out, Entity::kWorker, static_cast<const v1::Party&>(m).id());
      return;
    case FieldPlan::Kind::kMessage:
      Walk(m, *p.plan, out);
      return;
    case FieldPlan::Kind::kEntityString:
      return;  // strings are read by the caller
  }
}

void Walk(const Message& m, const MessagePlan& plan,
          std::vector<EntityRef>& out) {
  const google::protobuf::Reflection* r = m.GetReflection();
  for (const FieldPlan& p : plan.fields) {
    const FieldDescriptor* f = p.field;
    if (p.kind == FieldPlan::Kind::kEntityString) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(m, f); ++i) {
          Add(out, p.entity, r->GetRepeatedString(m, f, i));
        }
      } else {
        Add(out, p.entity, r->GetString(m, f));
      }
    } else if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        WalkOne(r->GetRepeatedMessage(m, f, i), p, out);
      }
    } else if (r->HasField(m, f)) {
      WalkOne(r->GetMessage(m, f), p, out);
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
  } else if (kind == "directory") {
    Add(out, Entity::kDirectory, std::move(id));
  }
}

}  // namespace

std::vector<EntityRef> EntitiesOf(const v1::EventEnvelope& event,
                                  std::string_view routed_line_id) {
  std::vector<EntityRef> out;
  AddStream(event.stream_id(), out);
  Add(out, Entity::kWorker, event.actor());
  Add(out, Entity::kLine, std::string(routed_line_id));
  static const Plans* const plans = new Plans();
  Walk(event.payload(), plans->payload(), out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace vagt::projections
