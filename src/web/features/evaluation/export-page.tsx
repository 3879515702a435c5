import { useState } from 'react';
import { DateInput, emptyDate, SelectField, TextField, type DateParts } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { useSignedIn } from '../../session.tsx';
import { queryString } from './evaluation-api.ts';
import { INSTRUMENTS } from './instruments.ts';

const isoOf = (parts: DateParts): string | null => {
  const { day, month, year } = parts;
  if (!day.trim() && !month.trim() && !year.trim()) return '';
  if (!/^\d{1,2}$/.test(day.trim()) || !/^\d{1,2}$/.test(month.trim()) || !/^\d{4}$/.test(year.trim())) return null;
  const iso = `${year.trim()}-${month.trim().padStart(2, '0')}-${day.trim().padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? null : iso;
};

/**
 * The pseudonymised export for evaluators (issue 6 item 5): what is in it, what is not, and a download link that
 * follows the filters. The file is made (and audited) on the server when the link is followed.
 */
export const PseudonymisedExportPage = () => {
  const session = useSignedIn();
  const [programme, setProgramme] = useState('');
  const [site, setSite] = useState('');
  const [instrument, setInstrument] = useState('');
  const [from, setFrom] = useState<DateParts>(emptyDate);
  const [to, setTo] = useState<DateParts>(emptyDate);
  const fromIso = isoOf(from);
  const toIso = isoOf(to);
  const ready = fromIso !== null && toIso !== null && !(fromIso && toIso && fromIso > toIso);
  const href = `/api/evaluation/pseudonymised.csv${queryString({ programme: programme.trim(), site: site.trim(), instrument, from: fromIso ?? '', to: toIso ?? '' })}`;
  return (
    <Page title="Pseudonymised export" caption={session.currentOrganisation?.name}>
      <p className="govuk-body">One row per questionnaire, for evaluators (for example a randomised controlled trial): every item answer and every score.</p>
      <ul className="govuk-list govuk-list--bullet">
        <li>People, children and families are replaced by keys made for this export only. The same person has the same key throughout one file, but keys differ in every new export, so files cannot be joined with each other or traced back.</li>
        <li>Dates are reduced to the month (for example 2026-03), which keeps quarters and financial years for comparisons.</li>
        <li>No names, references, free text, contact details or private disclosures are included.</li>
        <li>Every export is recorded in the audit trail, with each person whose answers are in it.</li>
      </ul>
      <TextField id="programme" label="Programme (optional)" hint="Exactly as recorded, for example Parents as Partners" value={programme} onChange={setProgramme} />
      <TextField id="site" label="Site (optional)" value={site} onChange={setSite} />
      <SelectField id="instrument" label="Questionnaire" value={instrument} onChange={setInstrument} options={[{ value: '', label: 'All questionnaires' }, ...INSTRUMENTS.map(([value, label]) => ({ value, label }))]} />
      <DateInput id="from" legend="Completed from (optional)" value={from} onChange={setFrom} error={fromIso === null ? 'Enter a real date, for example 1 4 2026' : undefined} />
      <DateInput
        id="to"
        legend="Completed up to (optional)"
        value={to}
        onChange={setTo}
        error={toIso === null ? 'Enter a real date, for example 30 6 2026' : fromIso && toIso && fromIso > toIso ? 'The "up to" date must be the same as or after the "from" date' : undefined}
      />
      {ready ? (
        <a className="govuk-button" href={href} download>
          Download the pseudonymised CSV
        </a>
      ) : (
        <p className="govuk-body">Correct the dates to download the file.</p>
      )}
    </Page>
  );
};
