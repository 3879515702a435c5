import { useEffect, type ReactNode } from 'react';
import type { SessionInfo } from '../shared/contracts/identity.ts';
import { Loading } from './components/feedback.tsx';
import { Layout } from './components/layout.tsx';
import { AccountSecurityPage } from './features/account/account-security-page.tsx';
import { AuditPage } from './features/audit/audit-page.tsx';
import { AcceptInvitationPage } from './features/auth/accept-invitation-page.tsx';
import { ResetPasswordPage } from './features/auth/reset-password-page.tsx';
import { safeNext } from './features/auth/safe-next.ts';
import { SignInPage } from './features/auth/sign-in-page.tsx';
import { CasePage } from './features/cases/case-page.tsx';
import { CasesPage } from './features/cases/cases-page.tsx';
import { PseudonymisedExportPage } from './features/evaluation/export-page.tsx';
import { ReportPageView } from './features/evaluation/report-page.tsx';
import { FunderReturnsPage } from './features/evaluation/returns-page.tsx';
import { ContractPage } from './features/funding/contract-page.tsx';
import { FundingPage } from './features/funding/funding-page.tsx';
import { InvoicePage } from './features/funding/invoice-page.tsx';
import { NewContractPage } from './features/funding/new-contract-page.tsx';
import { CopyProgrammePage, MoveSessionPage, WithdrawPage } from './features/groups/group-changes-pages.tsx';
import { GroupPage } from './features/groups/group-page.tsx';
import { OverviewPage } from './features/groups/overview-page.tsx';
import { GroupsPage } from './features/groups/groups-page.tsx';
import { PlanGroupPage } from './features/groups/plan-group-page.tsx';
import { RegisterPage } from './features/groups/register-page.tsx';
import { CrechePage } from './features/groups/creche-page.tsx';
import { SessionRecordPage } from './features/groups/session-record-page.tsx';
import { AppointmentPage } from './features/therapy/appointment-page.tsx';
import { BookTherapyPage } from './features/therapy/book-therapy-page.tsx';
import { DiaryPage } from './features/therapy/diary-page.tsx';
import { SeriesPage } from './features/therapy/series-page.tsx';
import { TherapyPage } from './features/therapy/therapy-page.tsx';
import { HomePage } from './features/home/home-page.tsx';
import { ComingSoonPage } from './features/modules/coming-soon-page.tsx';
import { NoAccessPage, NotFoundPage, UnavailablePage } from './features/modules/status-pages.tsx';
import { NewReferralPage } from './features/referrals/new-referral-page.tsx';
import { PublicReferralPage } from './features/referrals/public-referral-page.tsx';
import { ReferralPage } from './features/referrals/referral-page.tsx';
import { ReferralsPage } from './features/referrals/referrals-page.tsx';
import { PrivacyPage } from './features/privacy/privacy-page.tsx';
import { AdministrationPage } from './features/questionnaires/administration-page.tsx';
import { ImportPage } from './features/questionnaires/import-page.tsx';
import { LicencePage } from './features/questionnaires/licence-page.tsx';
import { SchedulePage } from './features/questionnaires/schedule-page.tsx';
import { QuestionnairePage } from './features/questionnaires/questionnaire-page.tsx';
import { SafeguardingPage } from './features/safeguarding/safeguarding-page.tsx';
import { InviteUserPage } from './features/users/invite-user-page.tsx';
import { ApplicationsPage } from './features/fund-applications/applications-page.tsx';
import { CaseApplicationsPage } from './features/fund-applications/case-applications-page.tsx';
import { UserPage } from './features/users/user-page.tsx';
import { UsersPage } from './features/users/users-page.tsx';
import { mayUse, moduleLinks } from './modules.ts';
import { matchPath, RouterProvider, useRouter, useSearchParams } from './router.tsx';
import { SessionProvider, useSession } from './session.tsx';

type Route = {
  path: string;
  /** public: anyone; signed-out: the sign-in page; signed-in: needs a session and passes `allowed`. */
  access: 'public' | 'signed_out' | 'signed_in';
  allowed?: (session: SessionInfo) => boolean;
  /** A page for the public (the referral form): shown without waiting for the session, and without staff navigation. */
  standalone?: boolean;
  render: (params: Record<string, string>) => ReactNode;
};

const withPermission =
  (permission: SessionInfo['permissions'][number]) =>
  (session: SessionInfo): boolean =>
    session.permissions.includes(permission);

const routes: Route[] = [
  { path: '/sign-in', access: 'signed_out', render: () => null },
  { path: '/reset-password', access: 'public', render: () => <ResetPasswordPage /> },
  { path: '/accept-invitation', access: 'public', render: () => <AcceptInvitationPage /> },
  { path: '/', access: 'signed_in', render: () => <HomePage /> },
  { path: '/account/security', access: 'signed_in', render: () => <AccountSecurityPage /> },
  { path: '/users', access: 'signed_in', allowed: withPermission('view:users'), render: () => <UsersPage /> },
  { path: '/users/invite', access: 'signed_in', allowed: withPermission('manage:users'), render: () => <InviteUserPage /> },
  {
    path: '/users/:userId',
    access: 'signed_in',
    allowed: withPermission('view:users'),
    render: ({ userId = '' }) => <UserPage key={userId} userId={userId} />,
  },
  { path: '/audit', access: 'signed_in', allowed: withPermission('view:audit'), render: () => <AuditPage /> },
  {
    path: '/refer/:orgSlug',
    access: 'public',
    standalone: true,
    render: ({ orgSlug = '' }) => <PublicReferralPage key={orgSlug} orgSlug={orgSlug} />,
  },
  // A parent's questionnaire link (issue 4): public, no staff navigation, nothing about the case.
  { path: '/q/:token', access: 'public', standalone: true, render: ({ token = '' }) => <QuestionnairePage key={token} token={token} /> },
  { path: '/questionnaires/licences', access: 'signed_in', allowed: withPermission('import:administrations'), render: () => <LicencePage /> },
  { path: '/questionnaires/import', access: 'signed_in', allowed: withPermission('import:administrations'), render: () => <ImportPage /> },
  { path: '/referrals', access: 'signed_in', allowed: withPermission('view:referrals'), render: () => <ReferralsPage /> },
  { path: '/referrals/new', access: 'signed_in', allowed: withPermission('create:referral'), render: () => <NewReferralPage /> },
  {
    path: '/referrals/:referralId',
    access: 'signed_in',
    allowed: withPermission('view:referrals'),
    render: ({ referralId = '' }) => <ReferralPage key={referralId} referralId={referralId} />,
  },
  { path: '/cases', access: 'signed_in', allowed: withPermission('view:case'), render: () => <CasesPage /> },
  {
    path: '/cases/:caseId',
    access: 'signed_in',
    allowed: withPermission('view:case'),
    render: ({ caseId = '' }) => <CasePage key={caseId} caseId={caseId} />,
  },
  {
    path: '/cases/:caseId/questionnaires/:administrationId',
    access: 'signed_in',
    allowed: withPermission('view:case'),
    render: ({ caseId = '', administrationId = '' }) => <AdministrationPage key={administrationId} caseId={caseId} administrationId={administrationId} />,
  },
  {
    path: '/cases/:caseId/fund-applications',
    access: 'signed_in',
    allowed: withPermission('apply:fund'),
    render: ({ caseId = '' }) => <CaseApplicationsPage key={caseId} caseId={caseId} />,
  },
  { path: '/fund-applications', access: 'signed_in', allowed: withPermission('view:fund_applications'), render: () => <ApplicationsPage /> },
  { path: '/safeguarding', access: 'signed_in', allowed: withPermission('view:safeguarding'), render: () => <SafeguardingPage /> },
  { path: '/privacy', access: 'signed_in', allowed: withPermission('manage:privacy'), render: () => <PrivacyPage /> },
  { path: '/evaluation', access: 'signed_in', allowed: withPermission('view:evaluation'), render: () => <ReportPageView /> },
  { path: '/evaluation/export', access: 'signed_in', allowed: withPermission('export:pseudonymised'), render: () => <PseudonymisedExportPage /> },
  { path: '/evaluation/returns', access: 'signed_in', allowed: withPermission('manage:returns'), render: () => <FunderReturnsPage /> },
  { path: '/funding', access: 'signed_in', allowed: withPermission('view:funding'), render: () => <FundingPage /> },
  { path: '/funding/contracts/new', access: 'signed_in', allowed: withPermission('manage:funding'), render: () => <NewContractPage /> },
  { path: '/funding/contracts/:contractId', access: 'signed_in', allowed: withPermission('view:funding'), render: ({ contractId = '' }) => <ContractPage key={contractId} contractId={contractId} /> },
  { path: '/funding/invoices/:invoiceId', access: 'signed_in', allowed: withPermission('view:funding'), render: ({ invoiceId = '' }) => <InvoicePage key={invoiceId} invoiceId={invoiceId} /> },
  { path: '/groups', access: 'signed_in', allowed: withPermission('view:groups'), render: () => <GroupsPage /> },
  { path: '/groups/new', access: 'signed_in', allowed: withPermission('manage:groups'), render: () => <PlanGroupPage /> },
  { path: '/groups/overview', access: 'signed_in', allowed: withPermission('manage:groups'), render: () => <OverviewPage /> },
  { path: '/programmes/measurement-schedule', access: 'signed_in', allowed: withPermission('manage:programmes'), render: () => <SchedulePage /> },
  { path: '/programmes/copy', access: 'signed_in', allowed: withPermission('manage:programmes'), render: () => <CopyProgrammePage /> },
  {
    path: '/groups/:groupId/sessions/:sessionId/move',
    access: 'signed_in',
    allowed: withPermission('manage:groups'),
    render: ({ groupId = '', sessionId = '' }) => <MoveSessionPage key={sessionId} groupId={groupId} sessionId={sessionId} />,
  },
  {
    path: '/groups/:groupId/placements/:placementId/withdraw',
    access: 'signed_in',
    allowed: withPermission('update:case'),
    render: ({ groupId = '', placementId = '' }) => <WithdrawPage key={placementId} groupId={groupId} placementId={placementId} />,
  },
  { path: '/groups/:groupId', access: 'signed_in', allowed: withPermission('view:groups'), render: ({ groupId = '' }) => <GroupPage key={groupId} groupId={groupId} /> },
  {
    path: '/sessions/:sessionId/register',
    access: 'signed_in',
    allowed: withPermission('take:attendance'),
    render: ({ sessionId = '' }) => <RegisterPage key={sessionId} sessionId={sessionId} />,
  },
  {
    path: '/sessions/:sessionId/record',
    access: 'signed_in',
    allowed: withPermission('take:attendance'),
    render: ({ sessionId = '' }) => <SessionRecordPage key={sessionId} sessionId={sessionId} />,
  },
  { path: '/sessions/:sessionId/creche', access: 'signed_in', allowed: withPermission('view:creche'), render: ({ sessionId = '' }) => <CrechePage key={sessionId} sessionId={sessionId} /> },
  { path: '/therapy', access: 'signed_in', allowed: withPermission('view:groups'), render: () => <TherapyPage /> },
  { path: '/therapy/new', access: 'signed_in', allowed: withPermission('manage:groups'), render: () => <BookTherapyPage /> },
  { path: '/therapy/:seriesId', access: 'signed_in', allowed: withPermission('view:groups'), render: ({ seriesId = '' }) => <SeriesPage key={seriesId} seriesId={seriesId} /> },
  {
    path: '/therapy/:seriesId/appointments/:appointmentId',
    access: 'signed_in',
    allowed: withPermission('take:attendance'),
    render: ({ seriesId = '', appointmentId = '' }) => <AppointmentPage key={appointmentId} seriesId={seriesId} appointmentId={appointmentId} />,
  },
  { path: '/diary', access: 'signed_in', allowed: withPermission('view:groups'), render: () => <DiaryPage /> },
  ...moduleLinks.filter((module) => module.issue !== null).map(
    (module): Route => ({
      path: module.path,
      access: 'signed_in',
      allowed: (session) => mayUse(module, session.currentOrganisation?.role, session.permissions),
      render: () => <ComingSoonPage module={module} />,
    }),
  ),
];

/** Sends the browser somewhere else as soon as it renders (used for sign-in redirects). */
const Redirect = ({ to }: { to: string }) => {
  const { navigate } = useRouter();
  useEffect(() => navigate(to, { replace: true }), [navigate, to]);
  return null;
};

const CurrentPage = () => {
  const { location } = useRouter();
  const { state } = useSession();
  const search = useSearchParams();

  const standalone = routes.find((route) => route.standalone && matchPath(route.path, location.pathname));
  if (standalone) return <>{standalone.render(matchPath(standalone.path, location.pathname) ?? {})}</>;

  if (state.status === 'loading') return <Loading what="Tandem" />;
  if (state.status === 'unavailable') return <UnavailablePage message={state.message} />;

  for (const route of routes) {
    const params = matchPath(route.path, location.pathname);
    if (!params) continue;
    if (route.access === 'signed_out') {
      if (state.status === 'signed_in') return <Redirect to={safeNext(search.get('next'))} />;
      return <SignInPage sessionEnded={state.ended} />;
    }
    if (route.access === 'signed_in') {
      if (state.status !== 'signed_in') {
        const next = location.pathname === '/' ? '' : `?next=${encodeURIComponent(location.pathname + location.search)}`;
        return <Redirect to={`/sign-in${next}`} />;
      }
      if (route.allowed && !route.allowed(state.session)) return <NoAccessPage />;
    }
    return <>{route.render(params)}</>;
  }
  return <NotFoundPage />;
};

/** Public pages get the plain frame: no account bar, no navigation to staff pages. */
const Shell = () => {
  const { location } = useRouter();
  const standalone = routes.some((route) => route.standalone && matchPath(route.path, location.pathname));
  return (
    <Layout standalone={standalone}>
      <CurrentPage />
    </Layout>
  );
};

export const App = () => (
  <RouterProvider>
    <SessionProvider>
      <Shell />
    </SessionProvider>
  </RouterProvider>
);
