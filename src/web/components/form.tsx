import { useEffect, useRef, type FormEvent, type InputHTMLAttributes, type MouseEvent, type ReactNode } from 'react';
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
};

/** A fieldset of radios with a legend, hint and inline error. */
export const Radios = ({ id, name, legend, options, value, onChange, hint, error, legendSize = 'm' }: RadiosProps) => {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy(hintId, errorId)}>
        <legend className={`govuk-fieldset__legend govuk-fieldset__legend--${legendSize}`}>{legend}</legend>
        {hint ? <Hint id={`${id}-hint`}>{hint}</Hint> : null}
        {error ? <ErrorMessage id={`${id}-error`} message={error} /> : null}
        <div className="govuk-radios">
          {options.map((option, index) => {
            const optionId = index === 0 ? id : `${id}-${index + 1}`;
            const optionHintId = option.hint ? `${optionId}-item-hint` : undefined;
            return (
              <div className="govuk-radios__item" key={option.value}>
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
  const group = input.closest('.govuk-form-group');
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
