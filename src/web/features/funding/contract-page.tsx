import { useState } from 'react';
import { outcomeMeasureLabels } from '../../../shared/contracts/evaluation.ts';
import { purchaseKindLabels } from '../../../shared/contracts/funding.ts';
import { ErrorSummary, Form, SelectField, TextField, Button } from '../../components/form.tsx';
import { LoadFailed, Loading, SuccessBanner, Tag } from '../../components/feedback.tsx';
import { Page } from '../../components/page.tsx';
import { hasProblems, noProblems, problemsFromError, type FormProblems } from '../../lib/form-problems.ts';
import { formatDay } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link, useRouter } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { fundingApi, pounds, type ContractDetail, type FundingReturn } from './funding-api.ts';
import { RiskSummary } from './risk-table.tsx';

const placeStatus = (p: ContractDetail['blocks'][number]['placeList'][number]) => {
  if (p.status === 'filled') return <Tag colour={p.atRisk ? 'yellow' : 'green'}>{p.atRisk ? 'Filled, at risk' : 'Filled'}</Tag>;
  if (p.status === 'freed') return <Tag colour={p.freedLate ? 'red' : 'yellow'}>{p.freedLate ? `Freed late ${formatDay(p.freedOn)}` : `Freed ${formatDay(p.freedOn)}${p.refundable ? ', refundable' : ''}`}</Tag>;
  return <Tag colour="grey">Empty</Tag>;
};

const BuyPlaces = ({ contract, onBought }: { contract: ContractDetail; onBought: (c: ContractDetail) => void }) => {
  const [groups] = useLoad(() => fundingApi.offeredGroups(contract.id), [contract.id]);
  const [groupId, setGroupId] = useState('');
  const [places, setPlaces] = useState('');
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const labels = { groupId: 'Group', places: 'Number of places' };
  const submit = async () => {
    const n = Number(places);
    const found: FormProblems = { fields: {}, general: [] };
    if (!groupId) found.fields.groupId = 'Select a group';
    if (!Number.isInteger(n) || n < 1) found.fields.places = 'Enter the number of places as a whole number, 1 or more';
    if (hasProblems(found)) return setProblems(found);
    try {
      onBought(await fundingApi.buy(contract.id, { groupId, places: n }));
      setProblems(noProblems);
      setPlaces('');
    } catch (error) {
      setProblems(problemsFromError(error, labels));
    }
  };
  if (groups.status !== 'done') return groups.status === 'failed' ? <LoadFailed message="The groups could not be loaded." /> : <Loading what="groups" />;
  return (
    <Form onSubmit={submit}>
      <h2 className="govuk-heading-m">Buy places</h2>
      <ErrorSummary problems={problems} fieldOrder={[{ name: 'groupId', id: 'buy-group' }, { name: 'places', id: 'buy-places' }]} />
      <SelectField
        id="buy-group"
        label="Group"
        value={groupId}
        onChange={setGroupId}
        error={problems.fields.groupId}
        options={[{ value: '', label: 'Choose a group' }, ...groups.data.map((g) => ({ value: g.groupId, label: `${g.label}, from ${formatDay(g.startDate)} (${g.placesAvailable} of ${g.capacity} places available)` }))]}
      />
      <TextField id="buy-places" label="Number of places" inputMode="numeric" width="3" value={places} onChange={setPlaces} error={problems.fields.places} hint={`${pounds(contract.pricePence)} a place`} />
      <Button>Buy places</Button>
    </Form>
  );
};

const DraftInvoice = ({ contract }: { contract: ContractDetail }) => {
  const { navigate } = useRouter();
  const [periodStart, setStart] = useState(contract.periodStart);
  const [periodEnd, setEnd] = useState(contract.periodEnd);
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const labels = { periodStart: 'Period start', periodEnd: 'Period end' };
  const submit = async () => {
    try {
      const inv = await fundingApi.draftInvoice(contract.id, { periodStart, periodEnd });
      navigate(`/funding/invoices/${inv.id}`, { flash: { heading: `Invoice ${inv.number} drafted` } });
    } catch (error) {
      setProblems(problemsFromError(error, labels));
    }
  };
  return (
    <Form onSubmit={submit}>
      <h3 className="govuk-heading-s">Draft an invoice</h3>
      <ErrorSummary problems={problems} fieldOrder={[{ name: 'periodStart', id: 'invoice-start' }, { name: 'periodEnd', id: 'invoice-end' }]} />
      <TextField id="invoice-start" label="Period start" hint={contract.purchaseKind === 'grant' ? 'YYYY-MM-DD; instalments starting in the period are invoiced' : 'YYYY-MM-DD; groups starting in the period are invoiced'} width="10" value={periodStart} onChange={setStart} error={problems.fields.periodStart} />
      <TextField id="invoice-end" label="Period end" hint="YYYY-MM-DD" width="10" value={periodEnd} onChange={setEnd} error={problems.fields.periodEnd} />
      <Button>Draft invoice</Button>
    </Form>
  );
};

/**
 * Moves the family in a place to another place on its group (another contract's, or an unfunded one). The place
 * left is freed as by a withdrawal on the day given, so the date decides whether it is refundable.
 */
const MoveFamily = ({ placementId, placeNumber, targets, onMoved }: { placementId: string; placeNumber: number; targets: ContractDetail['blocks'][number]['moveTargets']; onMoved: () => void }) => {
  const today = new Date().toISOString().slice(0, 10);
  const [to, setTo] = useState('');
  const [on, setOn] = useState(today);
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const labels = { toPlaceId: 'Move to', on: 'Leaving on' };
  const submit = async () => {
    if (!to) return setProblems({ fields: { toPlaceId: 'Select where the family moves to' }, general: [] });
    try {
      await fundingApi.moveFamily(placementId, { toPlaceId: to === 'unfunded' ? null : to, on });
      setProblems(noProblems);
      onMoved();
    } catch (error) {
      setProblems(problemsFromError(error, labels));
    }
  };
  return (
    <Form onSubmit={submit}>
      <SelectField
        id={`move-${placeNumber}`}
        label={`Move the family in place ${placeNumber} to`}
        value={to}
        onChange={setTo}
        error={problems.fields.toPlaceId ?? problems.general[0]}
        options={[{ value: '', label: 'Choose a place' }, ...targets.map((t) => ({ value: t.placeId, label: t.label })), { value: 'unfunded', label: 'An unfunded place' }]}
      />
      <TextField id={`move-on-${placeNumber}`} label="Leaving this place on" hint="YYYY-MM-DD" width="10" value={on} onChange={setOn} error={problems.fields.on} />
      <Button>Move family</Button>
    </Form>
  );
};

/** One contract: its terms and agencies, the places bought and their state, money at risk, invoices and return. */
export const ContractPage = ({ contractId }: { contractId: string }) => {
  const session = useSignedIn();
  const [loaded, reload] = useLoad(() => fundingApi.contract(contractId), [contractId, session.currentOrganisation?.id]);
  const [bought, setBought] = useState<ContractDetail | null>(null);
  if (loaded.status === 'loading') return <Page title="Contract"><Loading what="the contract" /></Page>;
  if (loaded.status === 'failed') return <Page title="Contract"><LoadFailed message="The contract could not be loaded." /></Page>;
  const c = bought ?? loaded.data;
  const canMove = session.can('manage:funding') && c.myRole === 'provider';
  const quarter = `${new Date().getFullYear()}-Q${Math.floor(new Date().getMonth() / 3) + 1}`;
  return (
    <Page title={`${c.reference}: ${c.title}`} caption={`${c.funderName} · ${c.providerName}`} width="full">
      {bought ? <SuccessBanner heading="Places bought" /> : null}
      <dl className="govuk-summary-list" aria-label="Terms">
        {[
          ['Kind', purchaseKindLabels[c.purchaseKind]],
          ['Period', `${formatDay(c.periodStart)} to ${formatDay(c.periodEnd)}`],
          ['Value', pounds(c.valuePence)],
          ['Price', c.purchaseKind === 'grant' ? 'Not applicable' : `${pounds(c.pricePence)} a ${c.priceUnit}`],
          ['Refundable', `withdrawals dated before session ${c.refundableBeforeSession}`],
          ['Re-fillable', `places freed before session ${c.refillBeforeSession}, up to its date`],
          ['Charged after the refund point', `${c.lateChargePercent}% (per-family purchases)`],
          ['Targets', `${c.targetFamilies} families reached, ${c.targetCompleters} completing`],
          ...(c.purchaseKind === 'grant'
            ? [
                ['Programme funded', c.programmeName ?? 'None named: no families are counted as reached'],
                ['Instalments', `${c.instalmentList.length}`],
              ]
            : [['Applications per participant', c.requiresParticipantApplications ? 'Required' : 'Not required']]),
          ['Commissioning agencies', c.parties.map((p) => `${p.name} (${p.role})`).join(', ')],
        ].map(([k, v]) => (
          <div className="govuk-summary-list__row" key={k}>
            <dt className="govuk-summary-list__key">{k}</dt>
            <dd className="govuk-summary-list__value">{v}</dd>
          </div>
        ))}
      </dl>
      {c.purchaseKind === 'grant' ? (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m">Instalments</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              {['Instalment', 'Period', 'Amount', 'Invoiced'].map((h) => (
                <th scope="col" className="govuk-table__header" key={h}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {c.instalmentList.map((i) => (
              <tr className="govuk-table__row" key={i.number}>
                <td className="govuk-table__cell">{i.number}</td>
                <td className="govuk-table__cell">{`${formatDay(i.periodStart)} to ${formatDay(i.periodEnd)}`}</td>
                <td className="govuk-table__cell">{pounds(i.amountPence)}</td>
                <td className="govuk-table__cell">{i.invoiceNumber ?? 'Not yet'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <h2 className="govuk-heading-m">Money at risk</h2>
      <RiskSummary risk={c.risk} label="Money at risk on this contract" />
      <h2 className="govuk-heading-m">Places</h2>
      {c.blocks.length === 0 ? <p className="govuk-body">No places have been bought yet.</p> : null}
      {c.blocks.map((b) => (
        <table className="govuk-table" key={b.id}>
          <caption className="govuk-table__caption govuk-table__caption--s">{`${b.groupLabel}, from ${formatDay(b.groupStartDate)}: ${b.places} places at ${pounds(b.pricePence)}, bought by ${b.boughtByName}. Refundable before ${formatDay(b.refundDeadline)}; re-fillable until ${formatDay(b.refillDeadline)}.`}</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              {['Place', 'State', 'Paid by', ...(canMove ? ['Move the family'] : [])].map((h) => (
                <th scope="col" className="govuk-table__header" key={h}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {b.placeList.map((p) => (
              <tr className="govuk-table__row" key={p.id}>
                <td className="govuk-table__cell">{p.number}</td>
                <td className="govuk-table__cell">{placeStatus(p)}</td>
                <td className="govuk-table__cell">{p.payerName}</td>
                {canMove ? <td className="govuk-table__cell">{p.placementId ? <MoveFamily placementId={p.placementId} placeNumber={p.number} targets={b.moveTargets} onMoved={reload} /> : null}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      {session.can('buy:places') && c.status === 'active' && c.purchaseKind !== 'grant' ? (
        <BuyPlaces
          contract={c}
          onBought={(next) => {
            setBought(next);
            reload();
          }}
        />
      ) : null}
      <h2 className="govuk-heading-m">Invoices</h2>
      {c.invoices.length === 0 ? <p className="govuk-body">No invoices yet.</p> : null}
      <ul className="govuk-list">
        {c.invoices.map((i) => (
          <li key={i.id}>
            <Link className="govuk-link" href={`/funding/invoices/${i.id}`}>{`${i.number} (${i.status === 'draft' ? 'draft' : 'issued'}), ${pounds(i.totalPence)}`}</Link>
            {i.creditedPence > 0 ? ` · credited ${pounds(i.creditedPence)}` : ''}
          </li>
        ))}
      </ul>
      {session.can('manage:funding') ? <DraftInvoice contract={c} /> : null}
      <h2 className="govuk-heading-m">Quarterly return</h2>
      <QuarterReturn contractId={c.id} quarter={quarter} />
    </Page>
  );
};

const outcomeFigure = (o: FundingReturn['outcomes'][number]): string => {
  if (o.suppressed) return 'withheld (too few people)';
  if (o.figure === null) return o.reason === 'unknown_measure' ? 'not measured: the target names no figure' : 'no questionnaires yet';
  return o.measure === 'mean_improvement' ? `${o.figure.toFixed(1)} points` : `${o.figure.toFixed(1)}%`;
};
const outcomeBasis = (o: FundingReturn['outcomes'][number]): string => {
  if (o.n === null) return o.suppressed ? 'fewer than the minimum' : '—';
  if (o.measure === 'recovered_pct') return `${o.numerator ?? 0} of ${o.n} in the clinical range before`;
  if (o.measure === 'reliable_improvement_pct') return `${o.numerator ?? 0} of ${o.n} with both questionnaires`;
  return `${o.n} with both questionnaires`;
};

const QuarterReturn = ({ contractId, quarter }: { contractId: string; quarter: string }) => {
  const [r] = useLoad(() => fundingApi.fundingReturn(contractId, quarter), [contractId, quarter]);
  if (r.status !== 'done') return r.status === 'failed' ? <LoadFailed message="The return could not be loaded." /> : <Loading what="the return" />;
  const n = (v: number | null) => (v === null ? `fewer than ${r.data.minCellSize ?? 5}` : String(v));
  return (
    <>
      <dl className="govuk-summary-list" aria-label={`Return for ${quarter}`}>
        {[
          ['Quarter', `${quarter} (${formatDay(r.data.from)} to ${formatDay(r.data.to)})`],
          ['Families reached', `${n(r.data.familiesReached)} this quarter, ${n(r.data.familiesReachedToDate)} to date, against a target of ${r.data.targetFamilies}`],
          ['Completers', `${n(r.data.completers)} this quarter, ${n(r.data.completersToDate)} to date, against a target of ${r.data.targetCompleters}`],
          ['Places', `${r.data.placesFilled} filled of ${r.data.placesBought} bought`],
          ['Invoiced and credited', `${pounds(r.data.invoicedPence)} invoiced, ${pounds(r.data.creditedPence)} credited`],
        ].map(([k, v]) => (
          <div className="govuk-summary-list__row" key={k}>
            <dt className="govuk-summary-list__key">{k}</dt>
            <dd className="govuk-summary-list__value">{v}</dd>
          </div>
        ))}
      </dl>
      {r.data.outcomes.length === 0 ? (
        <p className="govuk-body">No outcome targets are set on this contract.</p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--s">{`Outcomes to date: questionnaires of this contract's families completed ${formatDay(r.data.outcomesFrom)} to ${formatDay(r.data.to)}, pre to post${r.data.minCellSize === null ? '' : `; figures on fewer than ${r.data.minCellSize} people are withheld`}`}</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              {['Target', 'Measure', 'Aim', 'Result', 'Based on', 'Met'].map((h) => (
                <th scope="col" className="govuk-table__header" key={h}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {r.data.outcomes.map((o, i) => (
              <tr className="govuk-table__row" key={i}>
                <td className="govuk-table__cell">{o.description}</td>
                <td className="govuk-table__cell">{`${o.instrumentTitle}${o.scaleLabel ? ` ${o.scaleLabel.toLowerCase()}` : ''}: ${o.measure ? outcomeMeasureLabels[o.measure] : 'no measure named'}`}</td>
                <td className="govuk-table__cell">{o.measure === 'mean_improvement' ? `${o.target} points` : `${o.target}%`}</td>
                <td className="govuk-table__cell">{outcomeFigure(o)}</td>
                <td className="govuk-table__cell">{outcomeBasis(o)}</td>
                <td className="govuk-table__cell">{o.met === null ? '—' : o.met ? <Tag colour="green">Met</Tag> : <Tag colour="red">Not met</Tag>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
};
