import { useState } from 'react';
import { resolveFlagBody } from '../../../shared/contracts/assessment.ts';
import { api, type SafeguardingFlag } from '../../api/endpoints.ts';
import { Tag } from '../../components/feedback.tsx';
import { Button, ErrorSummary, Form, TextArea } from '../../components/form.tsx';
import { formatWhen } from '../../lib/format.ts';
import { parseForm } from '../../lib/form-problems.ts';
import { useSignedIn } from '../../session.tsx';
import { useSectionForm, type SectionProps } from './case-section.ts';
import { flagKindLabels } from './safeguarding-tag.tsx';

const labels = { decision: 'Decision', version: 'Safeguarding flag' };

const DecisionForm = (props: SectionProps & { flag: SafeguardingFlag }) => {
  const { flag, saved } = props;
  const id = `flag-${flag.id}-decision`;
  const { problems, setProblems, failed } = useSectionForm(`flag-${flag.id}`, props, labels);
  const [decision, setDecision] = useState('');

  const submit = async () => {
    const parsed = parseForm(resolveFlagBody, { decision, version: flag.version }, labels, { decision: 'Record the decision' });
    if (!parsed.ok) return setProblems(parsed.problems);
    try {
      await api.resolveSafeguardingFlag(flag.id, parsed.data);
      await saved('Safeguarding decision recorded');
    } catch (error) {
      await failed(error);
    }
  };

  return (
    <>
      <ErrorSummary problems={problems} fieldOrder={[{ name: 'decision', id }]} />
      <Form onSubmit={submit}>
        <TextArea
          id={id}
          label="Decision"
          labelSize="s"
          hint="What you decided and what happens next, for example a referral to children’s social care or continuing with a safety plan. It is kept with your name."
          rows={4}
          value={decision}
          onChange={setDecision}
          error={problems.fields.decision}
          maxLength={4000}
        />
        <Button>Record decision</Button>
      </Form>
    </>
  );
};

export const FlagStatus = ({ flag }: { flag: SafeguardingFlag }) =>
  flag.status === 'open' ? <Tag colour="red">Open</Tag> : <Tag colour="green">Resolved</Tag>;

/** The family's safeguarding flags on the case page; service managers record a decision on each open one. */
export const SafeguardingSection = (props: SectionProps) => {
  const { item } = props;
  const session = useSignedIn();
  const mayResolve = session.can('resolve:safeguarding');
  const flags = item.safeguardingFlags;
  return (
    <section className="tandem-two-thirds" aria-labelledby="safeguarding-heading">
      <h2 className="govuk-heading-m" id="safeguarding-heading" tabIndex={-1}>
        Safeguarding
      </h2>
      {flags.length === 0 ? (
        <p className="govuk-body">No safeguarding flag has been raised for this family.</p>
      ) : (
        flags.map((flag) => (
          <div className="govuk-summary-card" key={flag.id}>
            <div className="govuk-summary-card__title-wrapper">
              <h3 className="govuk-summary-card__title">
                {flagKindLabels[flag.kind]} <FlagStatus flag={flag} />
              </h3>
            </div>
            <div className="govuk-summary-card__content">
              <dl className="govuk-summary-list">
                <div className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">Reason</dt>
                  <dd className="govuk-summary-list__value">{flag.reason}</dd>
                </div>
                <div className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">Raised</dt>
                  <dd className="govuk-summary-list__value">
                    <time dateTime={flag.raisedAt}>{formatWhen(flag.raisedAt)}</time> by {flag.raisedByName ?? 'Tandem'}
                    {flag.caseReference && flag.caseId !== item.id ? ` on case ${flag.caseReference}` : ''}
                  </dd>
                </div>
                {flag.status === 'resolved' ? (
                  <div className="govuk-summary-list__row">
                    <dt className="govuk-summary-list__key">Decision</dt>
                    <dd className="govuk-summary-list__value">
                      <span className="tandem-pre-wrap">{flag.decision}</span>
                      <span className="govuk-body-s tandem-secondary-text tandem-block">
                        {flag.resolvedByName ?? 'A service manager'}
                        {flag.resolvedAt ? (
                          <>
                            , <time dateTime={flag.resolvedAt}>{formatWhen(flag.resolvedAt)}</time>
                          </>
                        ) : null}
                      </span>
                    </dd>
                  </div>
                ) : null}
              </dl>
              {flag.status === 'open' ? (
                mayResolve ? (
                  <DecisionForm {...props} flag={flag} />
                ) : (
                  <p className="govuk-body">A service manager must record a decision on this flag.</p>
                )
              ) : null}
            </div>
          </div>
        ))
      )}
    </section>
  );
};
