import { Fragment, useEffect, useRef, type FormEvent, type InputHTMLAttributes, type MouseEvent, type ReactNode } from 'react';
import type { FormProblems } from '../lib/form-problems.ts';

const describedBy = (...ids: (string | false | undefined)[]): string | undefined => {
  const joined = ids.filter(Boolean).join(' ');
  return joined || undefined;
};

const ErrorMessage = ({ id, message }: { id: string; message: string }) => (
  <p id={id} className="govuk-error-message">
    <span className="govuk-visually-hidden">Error:</span> {message}
  </p>
);

const Hint = ({ id, children }: { id: string; children: ReactNode }) => (
  <div id={id} className="govuk-hint">
    {children}
  </div>
);

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'id'> & {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string | undefined;
  /** govuk width class suffix, e.g. "20" for govuk-input--width-20, or "full". */
  width?: '2' | '3' | '4' | '5' | '10' | '20' | '30' | 'full';
  labelSize?: 's' | 'm';
};

/** A labelled text box with its hint and inline error, in the GOV.UK pattern. */
export const TextField = ({ id, label, value, onChange, hint, error, width, labelSize, className, ...input }: TextFieldProps) => {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const widthClass = width === 'full' ? 'govuk-!-width-full' : width ? `govuk-input--width-${width}` : '';
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label className={`govuk-label${labelSize ? ` govuk-label--${labelSize}` : ''}`} htmlFor={id}>
        {label}
      </label>
      {hint ? <Hint id={`${id}-hint`}>{hint}</Hint> : null}
      {error ? <ErrorMessage id={`${id}-error`} message={error} /> : null}
      <input
        {...input}
        id={id}
        name={input.name ?? id}
        className={['govuk-input', widthClass, error ? 'govuk-input--error' : '', className ?? ''].filter(Boolean).join(' ')}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={describedBy(hintId, errorId)}
        aria-invalid={error ? true : undefined}
      />
    </div>
  );
};

type Option = { value: string; label: string; hint?: string };

type TextAreaProps = {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string | undefined;
  rows?: number;
  labelSize?: 's' | 'm';
  /** Counted by the schema; shown in the hint so nobody types more than will be accepted. */
  maxLength?: number;
};

/** A labelled multi-line text box with its hint and inline error. */
export const TextArea = ({ id, label, value, onChange, hint, error, rows = 5, labelSize, maxLength }: TextAreaProps) => {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label className={`govuk-label${labelSize ? ` govuk-label--${labelSize}` : ''}`} htmlFor={id}>
        {label}
      </label>
      {hint ? <Hint id={`${id}-hint`}>{hint}</Hint> : null}
      {error ? <ErrorMessage id={`${id}-error`} message={error} /> : null}
      <textarea
        id={id}
        name={id}
        rows={rows}
        className={`govuk-textarea${error ? ' govuk-textarea--error' : ''}`}
        value={value}
        maxLength={maxLength}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={describedBy(hintId, errorId)}
        aria-invalid={error ? true : undefined}
      />
    </div>
  );
};

export type DateParts = { day: string; month: string; year: string };
export const emptyDate: DateParts = { day: '', month: '', year: '' };

type DateInputProps = {
  /** The day box gets `${id}-day`, which is what the error summary links to. */
  id: string;
  legend: string;
  value: DateParts;
  onChange: (value: DateParts) => void;
  hint?: ReactNode;
  error?: string | undefined;
  legendSize?: 's' | 'm';
};

/** The GOV.UK date input: three boxes for day, month and year in a fieldset, each with its own label. */
export const DateInput = ({ id, legend, value, onChange, hint = 'For example, 27 3 2019', error, legendSize = 's' }: DateInputProps) => {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const parts = [
    { key: 'day', label: 'Day', width: '2' },
    { key: 'month', label: 'Month', width: '2' },
    { key: 'year', label: 'Year', width: '4' },
  ] as const;
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset className="govuk-fieldset" role="group" aria-describedby={describedBy(hintId, errorId)}>
        <legend className={`govuk-fieldset__legend govuk-fieldset__legend--${legendSize}`}>{legend}</legend>
        {hint ? <Hint id={`${id}-hint`}>{hint}</Hint> : null}
        {error ? <ErrorMessage id={`${id}-error`} message={error} /> : null}
        <div className="govuk-date-input" id={id}>
          {parts.map((part) => (
            <div className="govuk-date-input__item" key={part.key}>
              <div className="govuk-form-group">
                <label className="govuk-label govuk-date-input__label" htmlFor={`${id}-${part.key}`}>
                  {part.label}
                </label>
                <input
                  className={`govuk-input govuk-date-input__input govuk-input--width-${part.width}${error ? ' govuk-input--error' : ''}`}
                  id={`${id}-${part.key}`}
                  name={`${id}-${part.key}`}
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  value={value[part.key]}
                  onChange={(event) => onChange({ ...value, [part.key]: event.target.value })}
                />
              </div>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
};

type CheckboxItem = { id: string; label: ReactNode; hint?: ReactNode; checked: boolean; onChange: (checked: boolean) => void };

type CheckboxesProps = {
  /** Id of the group (for its hint and error); the error summary links to the first item's id. */
  id: string;
  /** A fieldset with this legend; leave out for a single checkbox that its label explains on its own. */
  legend?: string;
  items: CheckboxItem[];
  hint?: ReactNode;
  error?: string | undefined;
  legendSize?: 's' | 'm';
  small?: boolean;
};

/** Checkboxes in the GOV.UK pattern, in a fieldset when they answer one question. */
export const Checkboxes = ({ id, legend, items, hint, error, legendSize = 'm', small = false }: CheckboxesProps) => {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const boxes = (
    <>
      {hint ? <Hint id={`${id}-hint`}>{hint}</Hint> : null}
      {error ? <ErrorMessage id={`${id}-error`} message={error} /> : null}
      <div className={`govuk-checkboxes${small ? ' govuk-checkboxes--small' : ''}`}>
        {items.map((item) => {
          const itemHintId = item.hint ? `${item.id}-item-hint` : undefined;
          return (
            <div className="govuk-checkboxes__item" key={item.id}>
              <input
                className="govuk-checkboxes__input"
                id={item.id}
                name={item.id}
                type="checkbox"
                checked={item.checked}
                onChange={(event) => item.onChange(event.target.checked)}
                aria-describedby={legend ? itemHintId : describedBy(hintId, errorId, itemHintId)}
              />
              <label className="govuk-label govuk-checkboxes__label" htmlFor={item.id}>
                {item.label}
              </label>
              {item.hint ? (
                <div id={itemHintId} className="govuk-hint govuk-checkboxes__hint">
                  {item.hint}
                </div>
              ) : null}
            </div>
          );
        })}
      </div>
    </>
  );
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      {legend ? (
        <fieldset className="govuk-fieldset" aria-describedby={describedBy(hintId, errorId)}>
          <legend className={`govuk-fieldset__legend govuk-fieldset__legend--${legendSize}`}>{legend}</legend>
          {boxes}
        </fieldset>
      ) : (
        boxes
      )}
    </div>
  );
};

type RadiosProps = {
  /** The first radio gets this id, so the error summary can link to it. */
  id: string;
  name: string;
  legend: string;
  options: Option[];
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string | undefined;
  legendSize?: 's' | 'm';
  /** Side by side, for two or three short answers such as yes and no. */
  inline?: boolean;
  /** Questions revealed under an option while it is chosen (the GOV.UK conditional reveal). */
  conditional?: Partial<Record<string, ReactNode>>;
};

/** A fieldset of radios with a legend, hint and inline error. */
export const Radios = ({ id, name, legend, options, value, onChange, hint, error, legendSize = 'm', inline = false, conditional = {} }: RadiosProps) => {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy(hintId, errorId)}>
        <legend className={`govuk-fieldset__legend govuk-fieldset__legend--${legendSize}`}>{legend}</legend>
        {hint ? <Hint id={`${id}-hint`}>{hint}</Hint> : null}
        {error ? <ErrorMessage id={`${id}-error`} message={error} /> : null}
        <div className={`govuk-radios${inline ? ' govuk-radios--inline' : ''}`}>
          {options.map((option, index) => {
            const optionId = index === 0 ? id : `${id}-${index + 1}`;
            const optionHintId = option.hint ? `${optionId}-item-hint` : undefined;
            const revealed = value === option.value ? conditional[option.value] : undefined;
            return (
              <Fragment key={option.value}>
              <div className="govuk-radios__item">
                <input
                  className="govuk-radios__input"
                  id={optionId}
                  name={name}
                  type="radio"
                  value={option.value}
                  checked={value === option.value}
                  onChange={() => onChange(option.value)}
                  aria-describedby={optionHintId}
                />
                <label className="govuk-label govuk-radios__label" htmlFor={optionId}>
                  {option.label}
                </label>
                {option.hint ? (
                  <div id={optionHintId} className="govuk-hint govuk-radios__hint">
                    {option.hint}
                  </div>
                ) : null}
              </div>
              {revealed ? (
                <div className="govuk-radios__conditional" id={`${optionId}-conditional`}>
                  {revealed}
                </div>
              ) : null}
              </Fragment>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
};

type SelectFieldProps = {
  id: string;
  label: string;
  options: Option[];
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string | undefined;
  /** Renders the label and select inline, without the form group's bottom margin (for the header's switcher). */
  compact?: boolean;
};

export const SelectField = ({ id, label, options, value, onChange, hint, error, compact = false }: SelectFieldProps) => {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}${compact ? ' tandem-compact-group' : ''}`}>
      <label className="govuk-label" htmlFor={id}>
        {label}
      </label>
      {hint ? <Hint id={`${id}-hint`}>{hint}</Hint> : null}
      {error ? <ErrorMessage id={`${id}-error`} message={error} /> : null}
      <select
        id={id}
        name={id}
        className={`govuk-select${error ? ' govuk-select--error' : ''}`}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={describedBy(hintId, errorId)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
};

type ErrorSummaryProps = {
  problems: FormProblems;
  /** Field names in the order they appear on the page, with the id of each field's input. */
  fieldOrder: { name: string; id: string }[];
};

const focusField = (event: MouseEvent<HTMLAnchorElement>, id: string) => {
  const input = document.getElementById(id);
  if (!input) return;
  event.preventDefault();
  // Bring the field's label or legend into view too: scrolling to the input alone would hide the question.
  // A date's three boxes share one question: show its legend, not the "Day" label.
  const group = input.closest('.govuk-date-input') ? input.closest('.govuk-fieldset') : input.closest('.govuk-form-group');
  const legendOrLabel = group?.querySelector('legend, label') ?? input;
  legendOrLabel.scrollIntoView();
  input.focus({ preventScroll: true });
};

/**
 * "There is a problem", at the top of the form: every problem, each linked to its field. It takes focus when it
 * appears (and after each failed attempt) so keyboard and screen reader users meet it first.
 */
export const ErrorSummary = ({ problems, fieldOrder }: ErrorSummaryProps) => {
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    summary.current?.focus();
  }, [problems]);

  const linked = fieldOrder.flatMap(({ name, id }) => {
    const message = problems.fields[name];
    return message ? [{ id, message }] : [];
  });
  const unlisted = Object.entries(problems.fields)
    .filter(([name]) => !fieldOrder.some((field) => field.name === name))
    .map(([, message]) => message);
  const general = [...problems.general, ...unlisted];
  if (linked.length === 0 && general.length === 0) return null;

  return (
    <div className="govuk-error-summary" ref={summary} tabIndex={-1}>
      <div role="alert">
        <h2 className="govuk-error-summary__title">There is a problem</h2>
        <div className="govuk-error-summary__body">
          <ul className="govuk-list govuk-error-summary__list">
            {general.map((message) => (
              <li key={message}>{message}</li>
            ))}
            {linked.map(({ id, message }) => (
              <li key={id}>
                <a href={`#${id}`} onClick={(event) => focusField(event, id)}>
                  {message}
                </a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
};

type FormProps = {
  onSubmit: () => void | Promise<void>;
  children: ReactNode;
};

/** A form that the browser does not validate (we show our own, accessible messages) and that cannot be sent twice at once. */
export const Form = ({ onSubmit, children }: FormProps) => {
  const busy = useRef(false);
  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy.current) return;
    busy.current = true;
    try {
      await onSubmit();
    } finally {
      busy.current = false;
    }
  };
  return (
    <form noValidate onSubmit={(event) => void handleSubmit(event)}>
      {children}
    </form>
  );
};

type ButtonProps = {
  children: ReactNode;
  variant?: 'primary' | 'secondary' | 'warning';
  type?: 'submit' | 'button';
  onClick?: () => void;
};

export const Button = ({ children, variant = 'primary', type = 'submit', onClick }: ButtonProps) => (
  <button type={type} className={`govuk-button${variant === 'primary' ? '' : ` govuk-button--${variant}`}`} onClick={onClick}>
    {children}
  </button>
);
