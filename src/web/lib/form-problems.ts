import type { z } from 'zod';
import { isApiError } from '../api/client.ts';

/**
 * What is wrong with a form: a message per field (shown next to the field and linked from the error summary)
 * and messages about the form as a whole (shown in the summary only).
 */
export type FormProblems = { fields: Record<string, string>; general: string[] };

export const noProblems: FormProblems = { fields: {}, general: [] };

export const hasProblems = (problems: FormProblems): boolean =>
  Object.keys(problems.fields).length > 0 || problems.general.length > 0;

/** "must be an email address" becomes "Email address must be an email address"; whole sentences stay as they are. */
export const withLabel = (label: string, message: string): string => (/^[a-z]/.test(message) ? `${label} ${message}` : message);

/** Field labels by field name; a problem on a field without a label is reported for the whole form. */
export type FieldLabels = Record<string, string>;

const addFieldProblem = (problems: FormProblems, field: string | undefined, message: string, labels: FieldLabels): void => {
  const label = field === undefined ? undefined : labels[field];
  if (field !== undefined && label !== undefined) {
    problems.fields[field] ??= withLabel(label, message);
  } else {
    problems.general.push(field ? withLabel(field, message) : message);
  }
};

/** Problems found in the browser by the same Zod schema the server uses. */
export const problemsFromZod = (error: z.ZodError, labels: FieldLabels): FormProblems => {
  const problems: FormProblems = { fields: {}, general: [] };
  for (const issue of error.issues) {
    const field = issue.path[0];
    addFieldProblem(problems, typeof field === 'string' ? field : undefined, issue.message, labels);
  }
  return problems;
};

/** Problems the server found. Its field paths read `body.email` or `query.from`; the form knows them as `email`, `from`. */
export const problemsFromError = (error: unknown, labels: FieldLabels): FormProblems => {
  const problems: FormProblems = { fields: {}, general: [] };
  if (!isApiError(error)) {
    problems.general.push('Something went wrong. Try again later.');
    return problems;
  }
  for (const field of error.fields) {
    const [, name] = field.path.split('.');
    addFieldProblem(problems, name, field.message, labels);
  }
  if (!hasProblems(problems)) problems.general.push(error.message);
  if (error.requestId) problems.general.push(`If this keeps happening, quote reference ${error.requestId}.`);
  return problems;
};

const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

/**
 * Parse a form's values with a shared schema: the parsed body, or the problems to show. A field left empty gets
 * "Enter …" (or the message given in `blank`, e.g. "Select a role") rather than the schema's format message.
 */
export const parseForm = <S extends z.ZodType>(
  schema: S,
  values: Record<string, unknown>,
  labels: FieldLabels,
  blank: Record<string, string> = {},
): { ok: true; data: z.output<S> } | { ok: false; problems: FormProblems } => {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const problems = problemsFromZod(result.error, labels);
  for (const field of Object.keys(problems.fields)) {
    const value = values[field];
    const label = labels[field];
    if (typeof value === 'string' && value.trim() === '' && label) problems.fields[field] = blank[field] ?? `Enter ${lowerFirst(label)}`;
  }
  return { ok: false, problems };
};

/** Empty text boxes mean "not given" for optional fields. */
export const blankToUndefined = (value: string): string | undefined => (value.trim() === '' ? undefined : value);
