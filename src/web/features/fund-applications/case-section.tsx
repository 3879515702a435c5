import { Link } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';

/** On the case page: where the family's fund applications are made and followed (for those who apply). */
export const FundApplicationsLink = ({ caseId }: { caseId: string }) => {
  const session = useSignedIn();
  if (!session.can('apply:fund')) return null;
  return (
    <div className="tandem-two-thirds">
      <h2 className="govuk-heading-m">Fund applications</h2>
      <p className="govuk-body">
        Applications to a fund such as the Adoption Support Fund, in the name of each child or of the family.{' '}
        <Link className="govuk-link" href={`/cases/${caseId}/fund-applications`}>
          Fund applications for this family
        </Link>
      </p>
    </div>
  );
};
