import { useRef, useState } from 'react';
import { importResult, type ImportResult } from '../../../shared/contracts/measures.ts';
import { isApiError, upload } from '../../api/client.ts';
import { SuccessBanner } from '../../components/feedback.tsx';
import { Button, Form } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';

/*
 * The CSV import in the web app (issue 4 item 8): choose a file, see every problem (line, column, reason) and what
 * would happen, then confirm. The check is the server's own dry run, so the preview is exactly what the import does.
 */

type Problem = { line: number; column: string; message: string };
type Checked = { fileName: string; content: string; skipInvalid: boolean; preview: ImportResult | null; problems: Problem[]; refused: string | null };

const send = (checked: Pick<Checked, 'fileName' | 'content' | 'skipInvalid'>, dryRun: boolean): Promise<ImportResult> =>
  upload('/measures/imports', new Blob([checked.content], { type: 'text/csv' }), {
    query: { dryRun: String(dryRun), skipInvalid: String(checked.skipInvalid), fileName: checked.fileName },
    schema: importResult,
    contentType: 'text/csv',
  });

/** "line 7, item_6" from a refused file's field path, back into its parts. */
const problemOf = (field: { path: string; message: string }): Problem => {
  const match = /^line (\d+), (.*)$/.exec(field.path);
  const message = field.message.replace(/^line \d+, [^:]+: /, '');
  return match ? { line: Number(match[1]), column: match[2] ?? '', message } : { line: 1, column: '(file)', message };
};

const ProblemsTable = ({ problems }: { problems: Problem[] }) => (
  <table className="govuk-table">
    <caption className="govuk-table__caption govuk-table__caption--m">{`${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}`}</caption>
    <thead className="govuk-table__head">
      <tr className="govuk-table__row">
        <th scope="col" className="govuk-table__header govuk-table__header--numeric">
          Line
        </th>
        <th scope="col" className="govuk-table__header">
          Column
        </th>
        <th scope="col" className="govuk-table__header">
          Problem
        </th>
      </tr>
    </thead>
    <tbody className="govuk-table__body">
      {problems.slice(0, 500).map((p, i) => (
        <tr className="govuk-table__row" key={`${p.line}-${p.column}-${i}`}>
          <td className="govuk-table__cell govuk-table__cell--numeric">{p.line}</td>
          <td className="govuk-table__cell">{p.column}</td>
          <td className="govuk-table__cell">{p.message}</td>
        </tr>
      ))}
    </tbody>
  </table>
);

export const ImportPage = () => {
  const input = useRef<HTMLInputElement>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [done, setDone] = useState<ImportResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const check = async () => {
    setDone(null);
    setFailure(null);
    const file = input.current?.files?.[0];
    if (!file) {
      setFileError('Choose a CSV file to check');
      return;
    }
    setFileError(null);
    const base = { fileName: file.name, content: await file.text(), skipInvalid };
    try {
      const preview = await send(base, true);
      // A dry run reports every problem; without "leave out", any bad row would refuse the whole file.
      if (preview.rejected > 0 && !skipInvalid) {
        const lines = new Set(preview.problems.map((p) => p.line)).size;
        const refused = `Nothing would be imported: ${lines === 1 ? '1 line has' : `${lines} lines have`} problems. Correct them, or choose to leave out rows with problems.`;
        setChecked({ ...base, preview: null, problems: preview.problems, refused });
      } else setChecked({ ...base, preview, problems: preview.problems, refused: null });
    } catch (error) {
      if (isApiError(error) && error.status === 400 && error.fields.length > 0) {
        setChecked({ ...base, preview: null, problems: error.fields.map(problemOf), refused: error.message });
      } else setFailure(isApiError(error) ? error.message : 'The file could not be checked. Try again.');
    }
  };

  const confirm = async () => {
    if (!checked?.preview) return;
    try {
      setDone(await send(checked, false));
      setChecked(null);
      if (input.current) input.current.value = '';
    } catch (error) {
      setFailure(isApiError(error) ? error.message : 'The import failed; nothing was imported. Try again.');
    }
  };

  const hasErrors = Boolean(fileError || checked?.refused || failure);
  const preview = checked?.preview;
  const toImport = preview ? preview.inserted + preview.updated : 0;

  return (
    <Page title="Import questionnaires" hasErrors={hasErrors}>
      {done ? (
        <SuccessBanner heading="Questionnaires imported">
          <p className="govuk-body">{`${done.inserted} new, ${done.updated} updated, ${done.unchanged} unchanged, ${done.rejected} left out.`}</p>
        </SuccessBanner>
      ) : null}
      {hasErrors ? (
        <div className="govuk-error-summary" tabIndex={-1}>
          <div role="alert">
            <h2 className="govuk-error-summary__title">There is a problem</h2>
            <div className="govuk-error-summary__body">
              <ul className="govuk-list govuk-error-summary__list">
                {fileError ? (
                  <li>
                    <a href="#import-file">{fileError}</a>
                  </li>
                ) : null}
                {checked?.refused ? <li>{checked.refused}</li> : null}
                {failure ? <li>{failure}</li> : null}
              </ul>
            </div>
          </div>
        </div>
      ) : null}
      <p className="govuk-body">
        Load questionnaires collected elsewhere or before Tandem: one questionnaire per row, as described in the guide to the CSV format. The whole file is checked first
        and nothing is written until you confirm.
      </p>
      <Form onSubmit={check}>
        <div className={`govuk-form-group${fileError ? ' govuk-form-group--error' : ''}`}>
          <label className="govuk-label govuk-label--s" htmlFor="import-file">
            CSV file
          </label>
          <div id="import-file-hint" className="govuk-hint">
            Saved as CSV UTF-8, with a header row. Up to 20 MB.
          </div>
          {fileError ? (
            <p id="import-file-error" className="govuk-error-message">
              <span className="govuk-visually-hidden">Error:</span> {fileError}
            </p>
          ) : null}
          <input
            ref={input}
            className={`govuk-file-upload${fileError ? ' govuk-file-upload--error' : ''}`}
            id="import-file"
            name="import-file"
            type="file"
            accept=".csv,text/csv"
            aria-describedby={fileError ? 'import-file-hint import-file-error' : 'import-file-hint'}
            aria-invalid={fileError ? true : undefined}
          />
        </div>
        <div className="govuk-form-group">
          <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
            <div className="govuk-checkboxes__item">
              <input className="govuk-checkboxes__input" id="skip-invalid" type="checkbox" checked={skipInvalid} onChange={(event) => setSkipInvalid(event.target.checked)} />
              <label className="govuk-label govuk-checkboxes__label" htmlFor="skip-invalid">
                Import the good rows and leave out rows with problems
              </label>
            </div>
          </div>
        </div>
        <Button variant="secondary">Check the file</Button>
      </Form>

      {checked ? (
        <section aria-labelledby="preview-heading">
          <h2 className="govuk-heading-m" id="preview-heading">
            {preview ? `What importing ${checked.fileName} would do` : `${checked.fileName} cannot be imported as it is`}
          </h2>
          {preview ? (
            <dl className="govuk-summary-list">
              {(
                [
                  ['Rows', preview.rowsTotal],
                  ['New questionnaires', preview.inserted],
                  ['Updated questionnaires', preview.updated],
                  ['Unchanged', preview.unchanged],
                  ['Left out (problems)', preview.rejected],
                ] as const
              ).map(([label, value]) => (
                <div className="govuk-summary-list__row" key={label}>
                  <dt className="govuk-summary-list__key">{label}</dt>
                  <dd className="govuk-summary-list__value">{value}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p className="govuk-body">Correct these rows and check the file again, or choose to leave out rows with problems.</p>
          )}
          {checked.problems.length > 0 ? <ProblemsTable problems={checked.problems} /> : null}
          {preview ? (
            <Form onSubmit={confirm}>
              <Button>{toImport === 0 ? 'Record this import' : `Import ${toImport} ${toImport === 1 ? 'questionnaire' : 'questionnaires'}`}</Button>
            </Form>
          ) : null}
        </section>
      ) : null}
    </Page>
  );
};
