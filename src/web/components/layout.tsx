import { useState, type ReactNode } from 'react';
import type { SessionInfo } from '../../shared/contracts/identity.ts';
import { roleLabels } from '../../shared/permissions.ts';
import { isApiError } from '../api/client.ts';
import { api } from '../api/endpoints.ts';
import { adminLinks, mayUse, moduleLinks } from '../modules.ts';
import { Link, useRouter } from '../router.tsx';
import { useSession } from '../session.tsx';
import { FlashBanner } from './feedback.tsx';
import { SERVICE_NAME } from './page.tsx';

const isCurrent = (path: string, pathname: string): boolean => (path === '/' ? pathname === '/' : pathname === path || pathname.startsWith(`${path}/`));

const ServiceNavigation = ({ session }: { session: SessionInfo }) => {
  const { location } = useRouter();
  const role = session.currentOrganisation?.role;
  const items = [
    { path: '/', label: 'My work' },
    ...[...moduleLinks, ...adminLinks].filter((link) => mayUse(link, role, session.permissions)),
  ];
  return (
    <section aria-label="Service information" className="govuk-service-navigation">
      <div className="govuk-width-container">
        <div className="govuk-service-navigation__container">
          <nav aria-label="Main" className="govuk-service-navigation__wrapper">
            <ul className="govuk-service-navigation__list" id="navigation">
              {items.map((item) => {
                const current = isCurrent(item.path, location.pathname);
                return (
                  <li key={item.path} className={`govuk-service-navigation__item${current ? ' govuk-service-navigation__item--active' : ''}`}>
                    <Link className="govuk-service-navigation__link" href={item.path} aria-current={current ? 'page' : undefined}>
                      {current ? <strong className="govuk-service-navigation__active-fallback">{item.label}</strong> : item.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
        </div>
      </div>
    </section>
  );
};

const OrganisationSwitcher = ({ session }: { session: SessionInfo }) => {
  const { setSession } = useSession();
  const { navigate } = useRouter();
  const [chosen, setChosen] = useState(session.currentOrganisation?.id ?? session.organisations[0]?.id ?? '');
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (chosen === session.currentOrganisation?.id) return;
    try {
      const next = await api.switchOrganisation(chosen);
      setProblem(null);
      setSession(next);
      navigate('/', { flash: { heading: `You are now working in ${next.currentOrganisation?.name ?? 'the organisation you chose'}` } });
    } catch (error) {
      setProblem(isApiError(error) ? error.message : 'The organisation could not be changed. Try again.');
    }
  };

  return (
    <form className="tandem-switcher" onSubmit={(event) => void submit(event)}>
      <div className={`govuk-form-group tandem-compact-group${problem ? ' govuk-form-group--error' : ''}`}>
        <label className="govuk-label govuk-!-font-size-16" htmlFor="organisation-switcher">
          Organisation
        </label>
        {problem ? (
          <p id="organisation-switcher-error" className="govuk-error-message govuk-!-font-size-16" role="alert">
            <span className="govuk-visually-hidden">Error:</span> {problem}
          </p>
        ) : null}
        <select
          id="organisation-switcher"
          className={`govuk-select govuk-!-font-size-16${problem ? ' govuk-select--error' : ''}`}
          value={chosen}
          onChange={(event) => setChosen(event.target.value)}
          aria-describedby={problem ? 'organisation-switcher-error' : undefined}
        >
          {session.organisations.map((organisation) => (
            <option key={organisation.id} value={organisation.id}>
              {organisation.name} ({roleLabels[organisation.role]})
            </option>
          ))}
        </select>
        <button type="submit" className="govuk-button govuk-button--secondary govuk-!-font-size-16 tandem-switcher__button">
          Switch
        </button>
      </div>
    </form>
  );
};

const AccountBar = ({ session }: { session: SessionInfo }) => {
  const { signOut } = useSession();
  const { navigate } = useRouter();
  const current = session.currentOrganisation;
  const doSignOut = async () => {
    await signOut().catch(() => undefined);
    navigate('/sign-in', { replace: true, flash: { heading: 'You have signed out' } });
  };
  return (
    <div className="tandem-account-bar">
      <div className="govuk-width-container tandem-account-bar__inner">
        <p className="govuk-body-s tandem-account-bar__who">
          Signed in as <strong>{session.user.name}</strong>
          {current ? (
            <>
              {' '}
              · {current.name} · {roleLabels[current.role]}
            </>
          ) : null}
        </p>
        {session.organisations.length > 1 ? <OrganisationSwitcher key={current?.id ?? 'none'} session={session} /> : null}
        <ul className="govuk-list govuk-body-s tandem-account-bar__links">
          <li>
            <Link className="govuk-link" href="/account/security">
              Account security
            </Link>
          </li>
          <li>
            <button type="button" className="tandem-link-button govuk-link" onClick={() => void doSignOut()}>
              Sign out
            </button>
          </li>
        </ul>
      </div>
    </div>
  );
};

/** The frame of every page: skip link, header with the service name, navigation, the page, and the footer. */
export const Layout = ({ children, standalone = false }: { children: ReactNode; standalone?: boolean }) => {
  const { state } = useSession();
  const { flash } = useRouter();
  // A public page (the referral form) shows no account or staff navigation, even to a signed-in member of staff.
  const session = state.status === 'signed_in' && !standalone ? state.session : null;

  return (
    <>
      <a href="#main-content" className="govuk-skip-link" onClick={skipToMain}>
        Skip to main content
      </a>
      <header className="tandem-header">
        <div className="govuk-generic-header">
          <div className="govuk-generic-header__container govuk-width-container">
            <div className="govuk-generic-header__logo">
              {standalone ? (
                <span className="govuk-generic-header__homepage-link tandem-header__name">{SERVICE_NAME}</span>
              ) : (
                <Link href="/" className="govuk-generic-header__homepage-link">
                  {SERVICE_NAME}
                  <span className="govuk-visually-hidden"> home page</span>
                </Link>
              )}
            </div>
          </div>
        </div>
        {session ? <AccountBar session={session} /> : null}
        {session ? <ServiceNavigation session={session} /> : null}
      </header>
      <div className="govuk-width-container">
        <main className="govuk-main-wrapper" id="main-content" tabIndex={-1}>
          <FlashBanner flash={flash} />
          {children}
        </main>
      </div>
      <footer className="govuk-footer">
        <div className="govuk-width-container">
          <div className="govuk-footer__meta">
            <div className="govuk-footer__meta-item govuk-footer__meta-item--grow">
              <p className="govuk-body-s tandem-footer__text">
                {SERVICE_NAME} runs and evaluates family relationship-support services.
              </p>
            </div>
          </div>
        </div>
      </footer>
    </>
  );
};

/** The router owns the address bar, so move focus to <main> by hand instead of letting the browser add #main-content. */
const skipToMain = (event: React.MouseEvent<HTMLAnchorElement>) => {
  const main = document.getElementById('main-content');
  if (!main) return;
  event.preventDefault();
  main.focus();
  main.scrollIntoView();
};
