import { Page } from '../../components/page.tsx';
import { Link } from '../../router.tsx';

export const NotFoundPage = () => (
  <Page title="Page not found">
    <p className="govuk-body">If you typed the web address, check it is correct.</p>
    <p className="govuk-body">If you pasted the web address, check you copied the entire address.</p>
    <p className="govuk-body">
      <Link className="govuk-link" href="/">
        Go to my work
      </Link>
    </p>
  </Page>
);

export const NoAccessPage = () => (
  <Page title="You cannot see this page">
    <p className="govuk-body">Your role in this organisation does not include this page. If you need it for your work, ask your organisation admin.</p>
    <p className="govuk-body">
      <Link className="govuk-link" href="/">
        Go to my work
      </Link>
    </p>
  </Page>
);

export const UnavailablePage = ({ message }: { message: string }) => (
  <Page title="Sorry, there is a problem with Tandem">
    <p className="govuk-body">{message}</p>
    <p className="govuk-body">Try again in a few minutes.</p>
  </Page>
);
