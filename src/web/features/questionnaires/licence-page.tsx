import { useEffect, useState } from 'react';
import { instrumentLicenceResult, instrumentLicenceState, instrumentList, type InstrumentLicenceState } from '../../../shared/contracts/measures.ts';
import { isApiError, request } from '../../api/client.ts';
import { LoadFailed, Loading, SuccessBanner } from '../../components/feedback.tsx';
import { Button, ErrorSummary, Form, SelectField, TextArea, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { hasProblems, noProblems, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { useSignedIn } from '../../session.tsx';

/*
 * Licensed wording and the BCAP key (issue 4 item 2). SDQ, BCAP and SWEMWBS ship without wording; an organisation
 * that holds a licence pastes it here, one item per line, and for BCAP the key from its licensed manual. The server
 * checks the whole upload and names each problem; nothing half-right is stored.
 */

const id = encodeURIComponent;
const labels = { licenceReference: 'Licence', stem: 'Instructions', wording: 'Item wording', scoringKey: 'Scoring key' };

/** "12 I am often upset" → item 12; the first word is the item number as printed. */
const wordingText = (loaded: InstrumentLicenceState['loaded']): string =>
  Object.entries(loaded?.wording?.items ?? {})
    .sort(([a], [b]) => Number.parseInt(a, 10) - Number.parseInt(b, 10) || a.localeCompare(b))
    .map(([item, text]) => `${item} ${text}`)
    .join('\n');
const keyText = (loaded: InstrumentLicenceState['loaded']): string => (loaded?.scoringKey ?? []).map((e) => `${e.formItem}, ${e.role ?? '-'}, ${e.keyedAnswer}`).join('\n');

const lines = (text: string): { line: number; text: string }[] =>
  text
    .split(/\r?\n/)
    .map((t, i) => ({ line: i + 1, text: t.trim() }))
    .filter((l) => l.text !== '');

const parseWording = (text: string): { items: Record<string, string>; problem: string | null } => {
  const items: Record<string, string> = {};
  for (const { line, text: t } of lines(text)) {
    const match = /^(\w{1,20})[.)]?\s+(.+)$/.exec(t);
    if (!match?.[1] || !match[2]) return { items, problem: `Item wording, line ${line}: start with the item number, then the text` };
    if (items[match[1]]) return { items, problem: `Item wording, line ${line}: item ${match[1]} is given twice` };
    items[match[1]] = match[2];
  }
  return { items, problem: null };
};

type KeyEntry = { formItem: string; role: string | null; keyedAnswer: 'agree' | 'disagree' };
const parseKey = (text: string): { key: KeyEntry[]; rows: number[]; problem: string | null } => {
  const key: KeyEntry[] = [];
  const rows: number[] = [];
  for (const { line, text: t } of lines(text)) {
    const [formItem = '', role = '', answer = '', ...rest] = t.split(/\s*[,\t]\s*/);
    const keyedAnswer = answer.toLowerCase();
    if (rest.length > 0 || !formItem || !role || (keyedAnswer !== 'agree' && keyedAnswer !== 'disagree')) {
      return { key, rows, problem: `Scoring key, line ${line}: write the form item, its role (or - for an unscored item) and agree or disagree, separated by commas` };
    }
    key.push({ formItem, role: role === '-' ? null : role.toUpperCase(), keyedAnswer });
    rows.push(line);
  }
  return { key, rows, problem: null };
};

const Editor = ({ instrumentId, reportProblems }: { instrumentId: string; reportProblems: (has: boolean) => void }) => {
  const [state, reload] = useLoad(() => request('GET', `/measures/licences/${id(instrumentId)}`, { schema: instrumentLicenceState }), [instrumentId]);
  const [reference, setReference] = useState('');
  const [stem, setStem] = useState('');
  const [wording, setWording] = useState('');
  const [key, setKey] = useState('');
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => reportProblems(hasProblems(problems)), [problems, reportProblems]);
  useEffect(() => {
    if (state.status !== 'done') return;
    setReference(state.data.loaded?.licenceReference ?? '');
    setStem(state.data.loaded?.wording?.stem ?? '');
    setWording(wordingText(state.data.loaded));
    setKey(keyText(state.data.loaded));
  }, [state]);
  if (state.status === 'loading') return <Loading what="the licence" />;
  if (state.status === 'failed') return <LoadFailed message={isApiError(state.error) ? state.error.message : 'The licence could not be loaded.'} />;
  const current = state.data;

  const save = async () => {
    setSaved(null);
    const fields: Record<string, string> = {};
    if (!reference.trim()) fields.licenceReference = 'Enter who granted the licence, and its reference';
    const parsedWording = parseWording(wording);
    if (parsedWording.problem) fields.wording = parsedWording.problem;
    const parsedKey = current.takesKey ? parseKey(key) : { key: [], rows: [], problem: null };
    if (parsedKey.problem) fields.scoringKey = parsedKey.problem;
    const hasWording = Object.keys(parsedWording.items).length > 0;
    if (!hasWording && parsedKey.key.length === 0 && !fields.wording && !fields.scoringKey) {
      fields.wording = current.takesKey ? 'Paste the item wording, the scoring key, or both' : 'Paste the item wording';
    }
    if (Object.keys(fields).length > 0) return setProblems({ fields, general: [] });
    const body = {
      licenceReference: reference,
      ...(hasWording || stem.trim() ? { wording: { ...(stem.trim() ? { stem } : {}), items: parsedWording.items } } : {}),
      ...(parsedKey.key.length > 0 ? { scoringKey: parsedKey.key } : {}),
      ...(current.loaded ? { version: current.loaded.version } : {}),
    };
    try {
      const result = await request('PUT', `/measures/licences/${id(instrumentId)}`, { body, schema: instrumentLicenceResult });
      setProblems(noProblems);
      setSaved(`${current.title}: ${result.wordingItems} ${result.wordingItems === 1 ? 'item' : 'items'} of wording${current.takesKey ? ` and ${result.keyEntries} key entries` : ''} loaded`);
      reload();
    } catch (error) {
      if (isApiError(error) && error.status === 409) {
        setProblems({ fields: {}, general: ['Someone else loaded a licence for this questionnaire while you had the page open. The page now shows theirs: check it and save again.'] });
        reload();
        return;
      }
      if (!isApiError(error)) return setProblems({ fields: {}, general: ['The licence could not be saved. Try again.'] });
      // body.wording.items.99, body.scoringKey.3.role, body.licenceReference …: back to the box that holds each.
      const found: Record<string, string[]> = {};
      const general: string[] = [];
      for (const f of error.fields) {
        const [, part, index, leaf] = f.path.split('.');
        if (part === 'licenceReference') (found.licenceReference ??= []).push(`${labels.licenceReference} ${f.message}`);
        else if (part === 'wording' && index === 'items' && leaf) (found.wording ??= []).push(`Item wording, item ${leaf}: ${f.message}`);
        else if (part === 'wording') (found.stem ??= []).push(`${labels.stem} ${f.message}`);
        else if (part === 'scoringKey' && index !== undefined) (found.scoringKey ??= []).push(`Scoring key, line ${parsedKey.rows[Number(index)] ?? Number(index) + 1}: ${f.message}`);
        else if (part === 'scoringKey') (found.scoringKey ??= []).push(`Scoring key: ${f.message}`);
        else general.push(f.message);
      }
      if (Object.keys(found).length === 0 && general.length === 0) general.push(error.message);
      setProblems({ fields: Object.fromEntries(Object.entries(found).map(([k, v]) => [k, v.join('. ')])), general });
    }
  };

  return (
    <>
      {saved ? <SuccessBanner heading={saved} /> : null}
      <ErrorSummary
        problems={problems}
        fieldOrder={[
          { name: 'licenceReference', id: 'licence-reference' },
          { name: 'stem', id: 'licence-stem' },
          { name: 'wording', id: 'licence-wording' },
          { name: 'scoringKey', id: 'licence-key' },
        ]}
      />
      <p className="govuk-body" id="licence-status">
        {current.loaded ? `Loaded under: ${current.loaded.licenceReference}. Saving replaces it.` : 'Nothing is loaded: staff key this questionnaire by item number.'}
      </p>
      <Form onSubmit={save}>
        <TextField id="licence-reference" label={labels.licenceReference} hint="Who granted it, and its reference" value={reference} onChange={setReference} error={problems.fields.licenceReference} width="full" />
        <TextArea id="licence-stem" label={`${labels.stem} (optional)`} rows={3} value={stem} onChange={setStem} error={problems.fields.stem} />
        <TextArea
          id="licence-wording"
          label={labels.wording}
          hint={
            current.takesKey
              ? 'One item per line: the item number as printed on your form, then its text. With a scoring key, the numbers are the printed form items.'
              : `One item per line: the item number, then its text. Items: ${current.itemKeys.join(', ')}.`
          }
          rows={12}
          value={wording}
          onChange={setWording}
          error={problems.fields.wording}
        />
        {current.takesKey ? (
          <TextArea
            id="licence-key"
            label={labels.scoringKey}
            hint="One line per printed form item: its number, its role (R1–R24, L1–L6, RR1–RR3, or - for an unscored item) and the keyed answer (agree or disagree), separated by commas. For example: 12, R7, agree"
            rows={12}
            value={key}
            onChange={setKey}
            error={problems.fields.scoringKey}
          />
        ) : null}
        <Button>Save the licence</Button>
      </Form>
    </>
  );
};

/** `/questionnaires/licences`: choose a questionnaire that ships without wording, then load the licensed content. */
export const LicencePage = () => {
  const session = useSignedIn();
  const [instruments] = useLoad(() => request('GET', '/measures/instruments', { schema: instrumentList }), [session.currentOrganisation?.id]);
  const [instrumentId, setInstrumentId] = useState('');
  const [hasErrors, setHasErrors] = useState(false);
  if (instruments.status === 'loading') return <Loading what="questionnaires" />;
  if (instruments.status === 'failed') return <LoadFailed message="The questionnaires could not be loaded." />;
  const licensable = instruments.data.instruments.filter((i) => i.origin === 'built_in' && !i.wordingAllowed);
  return (
    <Page title="Licensed wording" caption={session.currentOrganisation?.name} hasErrors={hasErrors}>
      <p className="govuk-body">
        Some questionnaires cannot ship their wording. If your organisation holds a licence, load the wording here (and for BCAP the scoring key) so staff and parents see it. It
        is shown only to your organisation and never exported.
      </p>
      <SelectField
        id="licence-instrument"
        label="Questionnaire"
        options={[
          { value: '', label: 'Select a questionnaire' },
          ...licensable.map((i) => ({ value: i.instrumentId, label: `${i.title}${i.licensedWording || i.licensedKey ? ' (loaded)' : ''}` })),
        ]}
        value={instrumentId}
        onChange={setInstrumentId}
      />
      {instrumentId ? <Editor key={instrumentId} instrumentId={instrumentId} reportProblems={setHasErrors} /> : null}
    </Page>
  );
};
