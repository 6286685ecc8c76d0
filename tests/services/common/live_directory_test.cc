// LiveDirectory over a real store: it starts empty, sees each directory
// change by the next Current(), keeps a snapshot handed out unchanged, and
// is not disturbed by appends to other streams.
#include "services/common/live_directory.h"

#include <memory>
#include <string>

#include "domain/streams.h"
#include "gtest/gtest.h"
#include "tests/eventstore/test_store.h"

namespace vagt::services {
namespace {

using eventstore::ExpectedVersion;
using eventstore::NewEvent;
using eventstore::testing::AppendTo;
using eventstore::testing::MakeCallReceived;
using eventstore::testing::OpenStoreAt;
using eventstore::testing::ScratchDir;

NewEvent Registered(const std::string& party_id) {
  NewEvent e;
  auto* r = e.payload.mutable_principal_registered();
  r->set_party_id(party_id);
  r->set_kind(v1::PRINCIPAL_KIND_PERSON);
  r->set_display_name(party_id);
  e.actor = "worker:admin";
  return e;
}

TEST(LiveDirectoryTest, EveryChangeIsSeenByTheNextRequest) {
  ScratchDir dir;
  auto store = OpenStoreAt(dir.Child("store"));
  ASSERT_TRUE(store.ok()) << store.status();
  LiveDirectory live(**store);

  auto empty = live.Current();
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE((*empty)->principals().empty());

  ASSERT_TRUE(
      (*store)
          ->Append(AppendTo(kDirectoryStream, ExpectedVersion::NoStream(),
                            {Registered("worker:anna")}))
          .ok());
  auto one = live.Current();
  ASSERT_TRUE(one.ok());
  EXPECT_NE((*one)->principal("worker:anna"), nullptr);

  // Other streams grow; the snapshot stays the same object.
  ASSERT_TRUE((*store)
                  ->Append(AppendTo("call-1", ExpectedVersion::Any(),
                                    {MakeCallReceived("1")}))
                  .ok());
  auto same = live.Current();
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->get(), one->get());

  ASSERT_TRUE((*store)
                  ->Append(AppendTo(kDirectoryStream, ExpectedVersion::Exact(1),
                                    {Registered("worker:bo")}))
                  .ok());
  auto two = live.Current();
  ASSERT_TRUE(two.ok());
  EXPECT_NE((*two)->principal("worker:bo"), nullptr);
  EXPECT_EQ((*two)->version(), 2u);
  // The snapshot handed out before is unchanged.
  EXPECT_EQ((*one)->principal("worker:bo"), nullptr);
  EXPECT_EQ((*one)->version(), 1u);
}

}  // namespace
}  // namespace vagt::services
