import { useEffect, useState } from 'react';
import { isApiError } from '../../api/client.ts';
import { ImportantBanner, LoadFailed, Loading, SuccessBanner } from '../../components/feedback.tsx';
import { Button, ErrorSummary, Form } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { formatDay } from '../../lib/format.ts';
import { hasProblems, noProblems, problemsFromError, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import { groupsApi, type Register } from './groups-api.ts';

/**
 * The attendance register, built for the door on a tablet: every participant on one screen with large radio
 * buttons (keyboard and touch), the crèche below, and one Save for the lot.
 */
export const RegisterPage = ({ sessionId }: { sessionId: string }) => {
  const [loaded, reload] = useLoad(() => groupsApi.register(sessionId), [sessionId]);
  const [marks, setMarks] = useState<Record<string, string>>({});
  const [creche, setCreche] = useState<Record<string, boolean>>({});
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const [saved, setSaved] = useState<string | null>(null);
  const [followUps, setFollowUps] = useState<string[]>([]);

  useEffect(() => {
    if (loaded.status !== 'done') return;
    setMarks(Object.fromEntries(loaded.data.participants.flatMap((p) => (p.status ? [[p.personId, p.status]] : []))));
    setCreche(Object.fromEntries(loaded.data.children.flatMap((c) => (c.present === null ? [] : [[c.personId, c.present]]))));
  }, [loaded]);

  if (loaded.status === 'loading') return <Loading what="the register" />;
  if (loaded.status === 'failed') return <LoadFailed message={isApiError(loaded.error) ? loaded.error.message : 'The register could not be loaded.'} />;
  const register: Register = loaded.data;

  const submit = async () => {
    try {
      const result = await groupsApi.saveRegister(sessionId, {
        marks: Object.entries(marks).map(([personId, status]) => ({ personId, status })),
        creche: register.creche ? Object.entries(creche).map(([personId, present]) => ({ personId, present })) : [],
        version: register.version,
      });
      setProblems(noProblems);
      setSaved(`Register saved: ${Object.keys(marks).length} of ${register.participants.length} marked`);
      setFollowUps(result.followUps.map((f) => `${f.name} has missed ${f.consecutiveAbsences} sessions in a row; their case worker has been told.`));
      reload();
    } catch (error) {
      setSaved(null);
      const found = problemsFromError(error, {});
      if (isApiError(error) && error.status === 409) found.general = ['Someone else saved this register since you opened it. Reload it to see their marks, then mark again.'];
      setProblems(found);
    }
  };

  return (
    <Page title={`Register: session ${register.number}`} caption={register.groupName} width="full" hasErrors={hasProblems(problems)}>
      {saved ? <SuccessBanner heading={saved} /> : null}
      {followUps.length > 0 ? (
        <ImportantBanner title="Follow-up">
          {followUps.map((f) => (
            <p className="govuk-notification-banner__heading" key={f}>
              {f}
            </p>
          ))}
        </ImportantBanner>
      ) : null}
      <ErrorSummary problems={problems} fieldOrder={[]} />
      <p className="govuk-body">
        {formatDay(register.onDate)} at {register.startTime}
        {register.topic ? `: ${register.topic}` : ''}
        {register.splitByGender ? ". Mothers' and fathers' groups meet separately" : ''}
        {register.childrenJoin ? '; the children join their fathers from the crèche' : ''}.
      </p>
      <p className="govuk-body">
        <Link className="govuk-link" href={`/groups/${register.groupId}`}>
          Back to the group
        </Link>
      </p>
      <Form onSubmit={submit}>
        {register.participants.length === 0 ? <p className="govuk-body">No family is placed in this group yet.</p> : null}
        {register.participants.map((p, index) => (
          <div className="govuk-form-group" key={p.personId}>
            <fieldset className="govuk-fieldset">
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
                {p.name} <span className="govuk-body-s tandem-secondary-text">({p.familyLabel})</span>
              </legend>
              <div className="govuk-radios govuk-radios--inline">
                {register.statuses.map((s, i) => {
                  const id = `mark-${index}-${i}`;
                  return (
                    <div className="govuk-radios__item" key={s.code}>
                      <input
                        className="govuk-radios__input"
                        id={id}
                        name={`mark-${p.personId}`}
                        type="radio"
                        value={s.code}
                        checked={marks[p.personId] === s.code}
                        onChange={() => setMarks({ ...marks, [p.personId]: s.code })}
                      />
                      <label className="govuk-label govuk-radios__label" htmlFor={id}>
                        {s.label}
                      </label>
                    </div>
                  );
                })}
              </div>
            </fieldset>
          </div>
        ))}
        {register.creche && register.children.length > 0 ? (
          <div className="govuk-form-group">
            <fieldset className="govuk-fieldset">
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Crèche</legend>
              <div className="govuk-checkboxes govuk-checkboxes--small">
                {register.children.map((c, i) => (
                  <div className="govuk-checkboxes__item" key={c.personId}>
                    <input
                      className="govuk-checkboxes__input"
                      id={`creche-${i}`}
                      type="checkbox"
                      checked={creche[c.personId] ?? false}
                      onChange={(event) => setCreche({ ...creche, [c.personId]: event.target.checked })}
                    />
                    <label className="govuk-label govuk-checkboxes__label" htmlFor={`creche-${i}`}>
                      {c.name}
                      {c.ageYears === null ? '' : `, ${c.ageYears}`} ({c.familyLabel})
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
        ) : null}
        <Button>Save the register</Button>
      </Form>
    </Page>
  );
};
