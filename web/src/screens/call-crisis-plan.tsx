// The citizen's crisis plan during a call. The worker must say why it is
// read (the reason is recorded with the read: GetCrisisPlan's `access`,
// purpose ONGOING_CALL); the plan's lookup is then recorded on the call
// (CallService.RecordCrisisPlanConsulted), as the protos keep the two apart.
import { useState } from "preact/hooks";
import { clients } from "../api";
import { AccessPurpose, CrisisPlanLookupResult } from "../gen/vagt/v1/events_pb";
import type { GetCrisisPlanResponse } from "../gen/vagt/v1/citizens_pb";
import { useCommand, useQuery } from "../hooks";
import { useI18n } from "../i18n";
import { ErrorAlert, TextField, When } from "../ui";

function List({ title, items }: { title: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <>
      <h4>{title}</h4>
      <ul>
        {items.map((x, i) => (
          <li key={i}>{x}</li>
        ))}
      </ul>
    </>
  );
}

function Text({ title, text }: { title: string; text: string }) {
  if (!text) return null;
  return (
    <>
      <h4>{title}</h4>
      <p>{text}</p>
    </>
  );
}

function PlanView({ r }: { r: GetCrisisPlanResponse }) {
  const { t } = useI18n();
  const c = t.crisisPlan;
  if (r.result !== CrisisPlanLookupResult.CONSULTED) {
    return (
      <div data-testid="crisis-plan" data-result="none">
        <p>{t.lookupResult[r.result]}</p>
      </div>
    );
  }
  const p = r.plan;
  return (
    <div data-testid="crisis-plan" data-result="consulted" class="crisis-plan">
      <h3>{c.revision(r.revision)}</h3>
      <p class="hint">
        {c.updated} <When ts={r.updatedAt} />
        {" · "}
        {r.agreedWithCitizen ? c.agreed : c.notAgreed}
        {r.nextReviewAt && (
          <>
            {" · "}
            {c.nextReview} <When ts={r.nextReviewAt} />
          </>
        )}
      </p>
      {p && (
        <>
          <List title={c.whatHelps} items={p.whatHelps} />
          <List title={c.whatOthersCanDo} items={p.whatOthersCanDo} />
          <List title={c.whatToAvoid} items={p.whatToAvoid} />
          <List title={c.warningSigns} items={p.warningSigns} />
          <List title={c.triggers} items={p.triggers} />
          {p.contacts.length > 0 && (
            <>
              <h4>{c.contacts}</h4>
              <ul>
                {p.contacts.map((k, i) => (
                  <li key={i}>
                    {k.name}
                    {k.relation && ` (${k.relation})`}
                    {k.phone && (
                      <>
                        {" "}
                        <a href={`tel:${k.phone}`}>{k.phone}</a>
                      </>
                    )}
                    {k.whenToContact && ` – ${k.whenToContact}`}
                  </li>
                ))}
              </ul>
            </>
          )}
          <Text title={c.preferredPlace} text={p.preferredPlace} />
          <Text title={c.wishesForHelp} text={p.wishesForHelp} />
          <Text title={c.practical} text={p.practicalArrangements} />
          <Text title={c.other} text={p.other} />
        </>
      )}
    </div>
  );
}

export function CrisisPlanPanel(props: {
  callId: string;
  citizenRef: string;
  callOpen: boolean;
}) {
  const { t } = useI18n();
  const [purpose, setPurpose] = useState("");
  const [citizen, setCitizen] = useState("");
  const citizenRef = props.citizenRef || citizen.trim();
  const read = useQuery(() =>
    clients.citizens.getCrisisPlan({
      citizenRef,
      access: { purpose: AccessPurpose.ONGOING_CALL, reason: purpose.trim() },
    }),
  );
  const record = useCommand(
    (requestId, r: GetCrisisPlanResponse) =>
      clients.calls.recordCrisisPlanConsulted({
        requestId,
        callId: props.callId,
        result: r.result,
        crisisPlanRevision: r.revision,
        crisisPlanEventId: r.eventId,
      }),
    t.crisisPlan.recorded,
  );

  return (
    <section class="card" aria-labelledby="plan-title">
      <h2 id="plan-title">{t.crisisPlan.title}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void read.run().then((r) => {
            if (r && props.callOpen) void record.run(r);
          });
        }}
      >
        {!props.citizenRef && (
          <TextField
            id="crisis-plan-citizen"
            label={t.crisisPlan.citizen}
            value={citizen}
            onInput={setCitizen}
          />
        )}
        <TextField
          id="crisis-plan-purpose"
          label={t.crisisPlan.purpose}
          value={purpose}
          hint={t.crisisPlan.purposeHint}
          onInput={setPurpose}
        />
        <ErrorAlert error={read.error ?? record.error} />
        <button
          type="submit"
          data-testid="crisis-plan-open"
          disabled={read.busy || !purpose.trim() || !citizenRef}
        >
          {t.crisisPlan.open}
        </button>
      </form>
      {read.result && <PlanView r={read.result} />}
    </section>
  );
}
