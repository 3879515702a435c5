import { useCallback, useEffect, useRef, useState } from 'react';
import type { Answers } from '../../../shared/contracts/questionnaires.ts';
import { isApiError } from '../../api/client.ts';
import { Loading } from '../../components/feedback.tsx';
import { Button, ErrorSummary, Radios } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { formatDay } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { questionnaireApi, type PublicQuestionnaire } from './questionnaires-api.ts';

/*
 * The parent's questionnaire at /q/<token>: on a phone, one question per screen, no account and no staff navigation.
 * Each answer is saved as it is given; on a poor connection answers wait in this tab (sessionStorage, so a reload
 * keeps them but closing the tab on a shared phone does not leave them behind) and are sent again until they arrive.
 */

type SaveState = 'saved' | 'saving' | 'not_saved';

const storageKey = (token: string): string => `tandem-questionnaire-${token.slice(0, 12)}`;

const readPending = (token: string): Answers => {
  try {
    const raw = window.sessionStorage.getItem(storageKey(token));
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, number | null] => entry[1] === null || typeof entry[1] === 'number'));
  } catch {
    return {};
  }
};

const writePending = (token: string, pending: Answers): void => {
  try {
    if (Object.keys(pending).length === 0) window.sessionStorage.removeItem(storageKey(token));
    else window.sessionStorage.setItem(storageKey(token), JSON.stringify(pending));
  } catch {
    // Private browsing may refuse storage; the answers still wait in memory and are retried.
  }
};

const LinkDoesNotWork = () => (
  <Page title="This link does not work">
    <p className="govuk-body">It may have been used already, or it may have expired.</p>
    <p className="govuk-body">Ask the person who sent it to you for a new link.</p>
  </Page>
);

const Thanks = () => (
  <Page title="Thank you">
    <div className="govuk-panel govuk-panel--confirmation">
      <h2 className="govuk-panel__title">Your answers have been sent</h2>
    </div>
    <p className="govuk-body">You can close this page. The link will not work again.</p>
  </Page>
);

const Questionnaire = ({ token, data }: { token: string; data: PublicQuestionnaire }) => {
  const { form } = data;
  const items = form.items;
  const pendingRef = useRef<Answers>(readPending(token));
  const [answers, setAnswers] = useState<Answers>(() => ({ ...data.answers, ...pendingRef.current }));
  const [saveState, setSaveState] = useState<SaveState>(Object.keys(pendingRef.current).length > 0 ? 'not_saved' : 'saved');
  const [step, setStep] = useState(() => {
    // Pick up where they left off: the first question without an answer.
    const first = items.findIndex((item) => answers[item.key] === undefined || answers[item.key] === null);
    return first === -1 ? items.length : first;
  });
  const [gone, setGone] = useState(false);
  const [sent, setSent] = useState(false);
  const [sendProblem, setSendProblem] = useState<string | null>(null);
  const inFlight = useRef(false);
  const attempts = useRef(0);
  const retryTimer = useRef<number | undefined>(undefined);
  const questionHeading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);

  const flush = useCallback(async (): Promise<void> => {
    if (inFlight.current) return;
    const batch = { ...pendingRef.current };
    if (Object.keys(batch).length === 0) {
      setSaveState('saved');
      return;
    }
    inFlight.current = true;
    setSaveState('saving');
    try {
      await questionnaireApi.save(token, batch);
      // Only what was sent and not changed since is settled; a newer answer to the same question goes next.
      for (const [key, value] of Object.entries(batch)) if (pendingRef.current[key] === value) delete pendingRef.current[key];
      writePending(token, pendingRef.current);
      attempts.current = 0;
      inFlight.current = false;
      if (Object.keys(pendingRef.current).length > 0) return flush();
      setSaveState('saved');
    } catch (error) {
      inFlight.current = false;
      if (isApiError(error) && error.status === 404) {
        setGone(true);
        return;
      }
      setSaveState('not_saved');
      // Back off (2, 4, 8 … up to 30 seconds) so a phone with no signal is not kept busy.
      attempts.current += 1;
      window.clearTimeout(retryTimer.current);
      retryTimer.current = window.setTimeout(() => void flush(), Math.min(30_000, 1000 * 2 ** attempts.current));
    }
  }, [token]);

  useEffect(() => {
    const online = () => void flush();
    window.addEventListener('online', online);
    if (Object.keys(pendingRef.current).length > 0) void flush();
    return () => {
      window.removeEventListener('online', online);
      window.clearTimeout(retryTimer.current);
    };
  }, [flush]);

  useEffect(() => {
    // Screen readers start at the new question after Next or Previous (not on the first screen).
    if (moved.current) questionHeading.current?.focus();
  }, [step]);

  const answer = (key: string, value: number) => {
    setAnswers((previous) => ({ ...previous, [key]: value }));
    pendingRef.current = { ...pendingRef.current, [key]: value };
    writePending(token, pendingRef.current);
    setSendProblem(null);
    void flush();
  };
  const go = (to: number) => {
    moved.current = true;
    setStep(Math.max(0, Math.min(items.length, to)));
  };

  const send = async () => {
    setSendProblem(null);
    try {
      await questionnaireApi.submit(token, answers);
      pendingRef.current = {};
      writePending(token, {});
      window.clearTimeout(retryTimer.current);
      setSent(true);
    } catch (error) {
      if (isApiError(error) && error.status === 404) return setGone(true);
      if (isApiError(error) && error.status === 409) return setSent(true);
      setSendProblem(
        isApiError(error) && error.code === 'network'
          ? 'Your answers have not been sent yet: there is no connection. They are kept on this phone. Try again when you have a signal.'
          : 'Your answers could not be sent. Try again in a moment.',
      );
    }
  };

  if (gone) return <LinkDoesNotWork />;
  if (sent) return <Thanks />;

  const answeredCount = items.filter((item) => typeof answers[item.key] === 'number').length;
  const status = (
    <p className="govuk-body-s" aria-live="polite" role="status">
      {saveState === 'saved' ? 'Saved' : saveState === 'saving' ? 'Saving…' : 'Not saved yet — we will keep trying'}
    </p>
  );
  const notice = form.copyrightNotice ? <p className="govuk-body-s tandem-secondary-text tandem-break-anywhere">{form.copyrightNotice}</p> : null;
  const labelOf = (key: string): string => {
    const item = items.find((i) => i.key === key);
    const value = answers[key];
    return item?.options.find((o) => o.value === value)?.label ?? 'Not answered';
  };

  if (step >= items.length) {
    const missing = items.length - answeredCount;
    return (
      <Page title="Check your answers" hasErrors={sendProblem !== null}>
        {sendProblem ? <ErrorSummary problems={{ fields: {}, general: [sendProblem] }} fieldOrder={[]} /> : null}
        <p className="govuk-body">{form.title}</p>
        {status}
        <dl className="govuk-summary-list">
          {items.map((item, index) => (
            <div className="govuk-summary-list__row" key={item.key}>
              <dt className="govuk-summary-list__key">{item.text ?? `Question ${index + 1}`}</dt>
              <dd className="govuk-summary-list__value">{labelOf(item.key)}</dd>
              <dd className="govuk-summary-list__actions">
                <button type="button" className="tandem-link-button govuk-link" onClick={() => go(index)}>
                  Change<span className="govuk-visually-hidden"> question {index + 1}</span>
                </button>
              </dd>
            </div>
          ))}
        </dl>
        {missing > 0 ? (
          <div className="govuk-inset-text">
            You have not answered {missing === 1 ? '1 question' : `${missing} questions`}. You can go back, or send your answers as they are.
          </div>
        ) : null}
        <Button type="button" onClick={() => void send()}>
          Send my answers
        </Button>
        {notice}
      </Page>
    );
  }

  const item = items[step];
  if (!item) return null;
  const value = answers[item.key];
  return (
    <Page title={form.title}>
      {step === 0 && (form.instructions || form.recallPeriod) ? (
        <div className="govuk-inset-text">
          {form.instructions ? <p className="govuk-body">{form.instructions}</p> : null}
          {form.recallPeriod ? <p className="govuk-body">Think about {form.recallPeriod}.</p> : null}
        </div>
      ) : null}
      {!form.wordingShown ? (
        <p className="govuk-body">The wording of these questions cannot be shown here. Use the paper copy you were given and answer each question by its number.</p>
      ) : null}
      <h2 className="govuk-heading-s" ref={questionHeading} tabIndex={-1}>
        Question {step + 1} of {items.length}
      </h2>
      <progress className="govuk-!-width-full" max={items.length} value={answeredCount} aria-label={`${answeredCount} of ${items.length} questions answered`} />
      {status}
      <Radios
        id={`answer-${item.key}`}
        name={`answer-${item.key}`}
        legend={item.text ?? `Question ${step + 1}`}
        options={item.options.map((option) => ({ value: String(option.value), label: option.label }))}
        value={typeof value === 'number' ? String(value) : ''}
        onChange={(chosen) => answer(item.key, Number(chosen))}
      />
      <div className="govuk-button-group">
        <Button type="button" onClick={() => go(step + 1)}>
          {step === items.length - 1 ? 'Check your answers' : 'Next question'}
        </Button>
        {step > 0 ? (
          <Button type="button" variant="secondary" onClick={() => go(step - 1)}>
            Previous question
          </Button>
        ) : null}
      </div>
      <p className="govuk-body-s">Please answer by {formatDay(data.completeBy)}.</p>
      {notice}
    </Page>
  );
};

/** The page at /q/:token. */
export const QuestionnairePage = ({ token }: { token: string }) => {
  const [loaded, reload] = useLoad(() => questionnaireApi.open(token), [token]);
  if (loaded.status === 'loading') return <Loading what="your questionnaire" />;
  if (loaded.status === 'failed') {
    if (isApiError(loaded.error) && loaded.error.status === 404) return <LinkDoesNotWork />;
    return (
      <Page title="The questionnaire could not be loaded">
        <p className="govuk-body">Check your connection and try again. Any answers you gave are kept.</p>
        <Button type="button" onClick={reload}>
          Try again
        </Button>
      </Page>
    );
  }
  return <Questionnaire token={token} data={loaded.data} />;
};
