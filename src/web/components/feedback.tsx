import { useEffect, useRef, type ReactNode } from 'react';
import type { Flash } from '../router.tsx';

/** A green "success" banner; it takes focus so the result of the action is announced. */
export const SuccessBanner = ({ heading, children }: { heading: string; children?: ReactNode }) => {
  const banner = useRef<HTMLDivElement>(null);
  useEffect(() => {
    banner.current?.focus();
  }, [heading]);
  return (
    <div className="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="success-banner-title" ref={banner} tabIndex={-1}>
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id="success-banner-title">
          Success
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        <p className="govuk-notification-banner__heading">{heading}</p>
        {children}
      </div>
    </div>
  );
};

export const FlashBanner = ({ flash }: { flash: Flash | null }) =>
  flash ? (
    <SuccessBanner heading={flash.heading}>{flash.text ? <p className="govuk-body">{flash.text}</p> : null}</SuccessBanner>
  ) : null;

/** An "important" banner for information that is not a success or an error. */
export const ImportantBanner = ({ title = 'Important', children }: { title?: string; children: ReactNode }) => (
  <div className="govuk-notification-banner" role="region" aria-labelledby="important-banner-title">
    <div className="govuk-notification-banner__header">
      <h2 className="govuk-notification-banner__title" id="important-banner-title">
        {title}
      </h2>
    </div>
    <div className="govuk-notification-banner__content">{children}</div>
  </div>
);

/** Shown while a page waits for the API; announced politely to screen readers. */
export const Loading = ({ what }: { what: string }) => (
  <p className="govuk-body" role="status">
    Loading {what}…
  </p>
);

/** When a page could not load what it shows. */
export const LoadFailed = ({ message }: { message: string }) => (
  <div className="govuk-error-summary" role="alert">
    <h2 className="govuk-error-summary__title">Sorry, this could not be loaded</h2>
    <div className="govuk-error-summary__body">
      <p className="govuk-body">{message}</p>
    </div>
  </div>
);

type TagColour = 'green' | 'grey' | 'yellow' | 'red' | 'blue';

export const Tag = ({ colour, children }: { colour?: TagColour; children: ReactNode }) => (
  <strong className={`govuk-tag${colour ? ` govuk-tag--${colour}` : ''}`}>{children}</strong>
);
