import { useState } from 'react';
import { outcomeMeasureLabels, outcomeMeasures, type OutcomeMeasure } from '../../../shared/contracts/evaluation.ts';
import { funderKindLabels, funderKinds, purchaseKindLabels, purchaseKinds } from '../../../shared/contracts/funding.ts';
import { Button, Checkboxes, ErrorSummary, Form, Radios, SelectField, TextField } from '../../components/form.tsx';
import { LoadFailed, Loading } from '../../components/feedback.tsx';
import { Page } from '../../components/page.tsx';
import { hasProblems, noProblems, problemsFromError, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { useRouter } from '../../router.tsx';
import { api } from '../../api/endpoints.ts';
import { fundingApi, toPence } from './funding-api.ts';

const labels = {
  funderId: 'Funder',
  funderName: 'New funder’s name',
  reference: 'Reference',
  title: 'Title',
  purchaseKind: 'What the contract buys',
  periodStart: 'Period start',
  periodEnd: 'Period end',
  valuePence: 'Value',
  pricePence: 'Price',
  programmeId: 'Programme funded',
  instalments: 'Instalments',
  targetFamilies: 'Families to reach',
  targetCompleters: 'Families completing',
  outcomeTargets: 'Outcome target',
  refundableBeforeSession: 'Refundable before session',
  refillBeforeSession: 'Re-fillable before session',
  lateChargePercent: 'Charged after the refund point',
  leadOrganisationId: 'Lead commissioner',
  partnerOrganisationIds: 'Partner agencies',
};
const order = Object.keys(labels).map((name) => ({ name, id: `contract-${name}` }));

/** Record a contract or grant: funder, period, value, what it buys at what price, targets, terms, agencies. */
export const NewContractPage = () => {
  const { navigate } = useRouter();
  const [funders] = useLoad(() => fundingApi.funders(), []);
  const [orgs] = useLoad(() => fundingApi.organisations(), []);
  const [programmes] = useLoad(() => api.listProgrammes(), []);
  const [v, setV] = useState<Record<string, string>>({
    funderId: '',
    funderName: '',
    funderKind: 'adoption_support_fund',
    reference: '',
    title: '',
    purchaseKind: 'block',
    periodStart: '',
    periodEnd: '',
    valuePence: '',
    pricePence: '',
    targetFamilies: '0',
    targetCompleters: '0',
    refundableBeforeSession: '2',
    refillBeforeSession: '3',
    lateChargePercent: '100',
    leadOrganisationId: '',
    programmeId: '',
    instalments: '1',
    outcomeInstrument: '',
    outcomeMeasure: 'recovered_pct',
    outcomeTarget: '',
    outcomeDescription: '',
  });
  const [partners, setPartners] = useState<string[]>([]);
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const set = (key: string) => (value: string) => setV((old) => ({ ...old, [key]: value }));
  if (funders.status !== 'done' || orgs.status !== 'done') {
    return <Page title="Record a contract">{funders.status === 'failed' || orgs.status === 'failed' ? <LoadFailed message="The form could not be loaded." /> : <Loading what="the form" />}</Page>;
  }
  const submit = async () => {
    const found: FormProblems = { fields: {}, general: [] };
    const value = toPence(v.valuePence ?? '');
    const price = v.purchaseKind === 'grant' ? 0 : toPence(v.pricePence ?? '');
    if (value === null) found.fields.valuePence = 'Enter the value in pounds, like 10000 or 10,000.00';
    if (price === null) found.fields.pricePence = 'Enter the price in pounds, like 500 or 500.00';
    if (!v.funderId && !v.funderName?.trim()) found.fields.funderId = 'Select a funder or enter a new funder’s name';
    if (!v.leadOrganisationId) found.fields.leadOrganisationId = 'Select the lead commissioner';
    const wantsOutcome = Boolean(v.outcomeInstrument?.trim());
    if (wantsOutcome && (!/^\d+(\.\d+)?$/.test(v.outcomeTarget ?? '') || !v.outcomeDescription?.trim())) found.fields.outcomeTargets = 'Enter the outcome target as a number and say what it is';
    if (hasProblems(found)) return setProblems(found);
    try {
      const funderId = v.funderId || (await fundingApi.createFunder({ name: v.funderName ?? '', kind: v.funderKind ?? 'other' })).id;
      const created = await fundingApi.createContract({
        funderId,
        reference: v.reference ?? '',
        title: v.title ?? '',
        purchaseKind: v.purchaseKind as 'block',
        periodStart: v.periodStart ?? '',
        periodEnd: v.periodEnd ?? '',
        valuePence: value ?? 0,
        pricePence: price ?? 0,
        ...(v.purchaseKind === 'grant' ? { programmeId: v.programmeId || null, instalments: Number(v.instalments) } : {}),
        targetFamilies: Number(v.targetFamilies),
        targetCompleters: Number(v.targetCompleters),
        outcomeTargets: wantsOutcome
          ? [{ instrument: (v.outcomeInstrument ?? '').trim(), measure: v.outcomeMeasure as OutcomeMeasure, target: Number(v.outcomeTarget), description: (v.outcomeDescription ?? '').trim() }]
          : [],
        refundableBeforeSession: Number(v.refundableBeforeSession),
        refillBeforeSession: Number(v.refillBeforeSession),
        lateChargePercent: Number(v.lateChargePercent),
        leadOrganisationId: v.leadOrganisationId ?? '',
        partnerOrganisationIds: partners,
      });
      navigate(`/funding/contracts/${created.id}`, { flash: { heading: `Contract ${created.reference} recorded` } });
    } catch (error) {
      setProblems(problemsFromError(error, labels));
    }
  };
  const orgOptions = orgs.data.map((o) => ({ value: o.id, label: o.name }));
  return (
    <Page title="Record a contract" hasErrors={hasProblems(problems)}>
      <Form onSubmit={submit}>
        <ErrorSummary problems={problems} fieldOrder={order} />
        <SelectField
          id="contract-funderId"
          label="Funder"
          value={v.funderId ?? ''}
          onChange={set('funderId')}
          error={problems.fields.funderId}
          options={[{ value: '', label: 'A new funder' }, ...funders.data.filter((f) => f.active).map((f) => ({ value: f.id, label: f.name }))]}
        />
        {v.funderId ? null : (
          <>
            <TextField id="contract-funderName" label="New funder’s name" value={v.funderName ?? ''} onChange={set('funderName')} error={problems.fields.funderName} />
            <SelectField id="contract-funderKind" label="Kind of funder" value={v.funderKind ?? ''} onChange={set('funderKind')} options={funderKinds.map((k) => ({ value: k, label: funderKindLabels[k] }))} />
          </>
        )}
        <TextField id="contract-reference" label="Reference" hint="Letters, digits and -; it starts each invoice number" width="20" value={v.reference ?? ''} onChange={set('reference')} error={problems.fields.reference} />
        <TextField id="contract-title" label="Title" value={v.title ?? ''} onChange={set('title')} error={problems.fields.title} />
        <Radios id="contract-purchaseKind" name="purchaseKind" legend="What the contract buys" value={v.purchaseKind ?? 'block'} onChange={set('purchaseKind')} options={purchaseKinds.map((k) => ({ value: k, label: purchaseKindLabels[k] }))} error={problems.fields.purchaseKind} />
        <TextField id="contract-periodStart" label="Period start" hint="YYYY-MM-DD" width="10" value={v.periodStart ?? ''} onChange={set('periodStart')} error={problems.fields.periodStart} />
        <TextField id="contract-periodEnd" label="Period end" hint="YYYY-MM-DD" width="10" value={v.periodEnd ?? ''} onChange={set('periodEnd')} error={problems.fields.periodEnd} />
        <TextField id="contract-valuePence" label="Value" hint="In pounds" width="10" value={v.valuePence ?? ''} onChange={set('valuePence')} error={problems.fields.valuePence} />
        {v.purchaseKind === 'grant' ? (
          <>
            <SelectField
              id="contract-programmeId"
              label="Programme funded"
              hint="The families placed on its groups during the period are the grant's reach"
              value={v.programmeId ?? ''}
              onChange={set('programmeId')}
              error={problems.fields.programmeId}
              options={[{ value: '', label: 'Choose a programme' }, ...(programmes.status === 'done' ? programmes.data : []).map((p) => ({ value: p.id, label: p.name }))]}
            />
            <TextField id="contract-instalments" label="Instalments" hint="The value is invoiced in this many equal instalments over the period (4: quarterly for a year)" inputMode="numeric" width="2" value={v.instalments ?? ''} onChange={set('instalments')} error={problems.fields.instalments} />
          </>
        ) : null}
        {v.purchaseKind === 'grant' ? null : (
          <TextField id="contract-pricePence" label="Price" hint={v.purchaseKind === 'spot' ? 'In pounds, per family' : 'In pounds, per place'} width="10" value={v.pricePence ?? ''} onChange={set('pricePence')} error={problems.fields.pricePence} />
        )}
        <TextField id="contract-targetFamilies" label="Families to reach" inputMode="numeric" width="4" value={v.targetFamilies ?? ''} onChange={set('targetFamilies')} error={problems.fields.targetFamilies} />
        <TextField id="contract-targetCompleters" label="Families completing" inputMode="numeric" width="4" value={v.targetCompleters ?? ''} onChange={set('targetCompleters')} error={problems.fields.targetCompleters} />
        <fieldset className="govuk-fieldset">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Outcome target (optional)</legend>
          <p className="govuk-hint">Reported in each quarterly return from the questionnaires of this contract’s families. More targets can be set later.</p>
          <TextField id="contract-outcomeTargets" label="Questionnaire" hint="Its id, for example core-10 or sdq-p4-17" width="10" value={v.outcomeInstrument ?? ''} onChange={set('outcomeInstrument')} error={problems.fields.outcomeTargets} />
          <SelectField id="contract-outcomeMeasure" label="Measure" value={v.outcomeMeasure ?? ''} onChange={set('outcomeMeasure')} options={outcomeMeasures.map((m) => ({ value: m, label: outcomeMeasureLabels[m] }))} />
          <TextField id="contract-outcomeTarget" label="Target" hint="A percentage, or points of mean improvement" inputMode="decimal" width="4" value={v.outcomeTarget ?? ''} onChange={set('outcomeTarget')} />
          <TextField id="contract-outcomeDescription" label="What the target is" hint="For example: 60% of parents in the clinical range before are not after" value={v.outcomeDescription ?? ''} onChange={set('outcomeDescription')} />
        </fieldset>
        <TextField id="contract-refundableBeforeSession" label="Refundable before session" hint="A family withdrawing before this session is refunded" inputMode="numeric" width="2" value={v.refundableBeforeSession ?? ''} onChange={set('refundableBeforeSession')} error={problems.fields.refundableBeforeSession} />
        <TextField id="contract-refillBeforeSession" label="Re-fillable before session" hint="A place freed before this session can be offered to the waiting list or a partner agency until its date" inputMode="numeric" width="2" value={v.refillBeforeSession ?? ''} onChange={set('refillBeforeSession')} error={problems.fields.refillBeforeSession} />
        <TextField id="contract-lateChargePercent" label="Charged after the refund point" hint="Per cent of the price, for a family bought separately who withdraws later" inputMode="numeric" width="3" value={v.lateChargePercent ?? ''} onChange={set('lateChargePercent')} error={problems.fields.lateChargePercent} />
        <SelectField id="contract-leadOrganisationId" label="Lead commissioner" value={v.leadOrganisationId ?? ''} onChange={set('leadOrganisationId')} error={problems.fields.leadOrganisationId} options={[{ value: '', label: 'Choose an agency' }, ...orgOptions]} />
        <Checkboxes
          id="contract-partnerOrganisationIds"
          legend="Partner agencies"
          hint="Agencies commissioning jointly: they see and can claim each other's vacant places"
          legendSize="s"
          small
          error={problems.fields.partnerOrganisationIds}
          items={orgOptions
            .filter((o) => o.value !== v.leadOrganisationId)
            .map((o) => ({ id: `partner-${o.value}`, label: o.label, checked: partners.includes(o.value), onChange: (checked: boolean) => setPartners((old) => (checked ? [...old, o.value] : old.filter((x) => x !== o.value))) }))}
        />
        <Button>Record contract</Button>
      </Form>
    </Page>
  );
};
