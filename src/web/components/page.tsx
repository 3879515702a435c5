import { useEffect, useRef, type ReactNode } from 'react';
import { useRouter } from '../router.tsx';

export const SERVICE_NAME = 'Tandem';

type PageProps = {
  /** The page's h1 and the start of the browser tab's title. */
  title: string;
  /** Puts "Error: " in front of the tab title while the page shows an error summary, as screen reader users expect. */
  hasErrors?: boolean;
  /** A caption shown above the heading, e.g. the organisation. */
  caption?: string;
  /** Narrow pages (forms) sit in two-thirds of the width. */
  width?: 'two-thirds' | 'full';
  children: ReactNode;
};

/** Every page: its title in the tab, its h1, and focus moved to that h1 after in-app navigation. */
export const Page = ({ title, hasErrors = false, caption, width = 'two-thirds', children }: PageProps) => {
  const { navigations } = useRouter();
  const heading = useRef<HTMLHeadingElement>(null);
  const column = useRef<HTMLDivElement>(null);

  useEffect(() => {
    document.title = `${hasErrors ? 'Error: ' : ''}${title} – ${SERVICE_NAME}`;
  }, [title, hasErrors]);

  useEffect(() => {
    // After a click on an in-app link, screen readers would otherwise stay on the old link; start them at the new
    // page's heading, or at its error summary when the new address was already found wrong (a bad audit search).
    if (navigations === 0) return;
    const summary = column.current?.querySelector<HTMLElement>('.govuk-error-summary[tabindex]');
    (summary ?? heading.current)?.focus({ preventScroll: true });
  }, [navigations]);

  return (
    <div className="govuk-grid-row">
      <div className={width === 'full' ? 'govuk-grid-column-full' : 'govuk-grid-column-two-thirds'} ref={column}>
        {caption ? <span className="govuk-caption-l">{caption}</span> : null}
        <h1 className="govuk-heading-l" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {children}
      </div>
    </div>
  );
};
