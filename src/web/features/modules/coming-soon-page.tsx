import { Page } from '../../components/page.tsx';
import type { ModuleLink } from '../../modules.ts';
import { Link } from '../../router.tsx';

export const ComingSoonPage = ({ module }: { module: ModuleLink }) => (
  <Page title={module.label}>
    <p className="govuk-body-l">{module.description}</p>
    <div className="govuk-inset-text">
      This part of Tandem is coming soon. It is being built in issue {module.issue} of the Tandem project.
    </div>
    <p className="govuk-body">
      <Link className="govuk-link" href="/">
        Back to my work
      </Link>
    </p>
  </Page>
);
