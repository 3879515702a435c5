import type { Permission, Role } from '../shared/permissions.ts';

/** A section of Tandem in the navigation. */
export type ModuleLink = {
  path: string;
  label: string;
  description: string;
  /** Who sees it: a permission once the server has one for it, otherwise the roles that will use it. */
  access: { permission: Permission } | { roles: readonly Role[] };
  /** The issue that builds it; null once built. */
  issue: number | null;
};

const deliveryStaff: readonly Role[] = ['org_admin', 'service_manager', 'case_worker', 'facilitator'];

/**
 * The modules, built (issue null: their pages are in the route table) and to come. Until their issues add permissions to src/shared/permissions.ts, who sees each is
 * decided by role here; the server will enforce the real permissions when the module's routes exist.
 */
export const moduleLinks: readonly ModuleLink[] = [
  {
    path: '/referrals',
    label: 'Referrals',
    description: 'Receive and triage referrals, check eligibility and consent, and allocate a case worker.',
    access: { permission: 'view:referrals' },
    issue: null,
  },
  {
    path: '/cases',
    label: 'Cases',
    description: 'Follow each family from assessment and safeguarding checks to follow-up and closure.',
    access: { permission: 'view:case' },
    issue: null,
  },
  {
    path: '/safeguarding',
    label: 'Safeguarding',
    description: 'Safeguarding flags raised in assessments, and the decisions recorded on them.',
    access: { permission: 'view:safeguarding' },
    issue: null,
  },
  {
    path: '/groups',
    label: 'Groups',
    description: 'Plan groups and sessions, place families, take attendance and follow up absences.',
    access: { permission: 'view:groups' },
    issue: null,
  },
  {
    path: '/therapy',
    label: 'Therapy',
    description: 'Book couple-therapy consultations and weekly series, move appointments and record what happened.',
    access: { permission: 'view:groups' },
    issue: null,
  },
  {
    // Links and paper forms live on each case; this page imports questionnaires collected elsewhere.
    path: '/questionnaires/import',
    label: 'Import questionnaires',
    description: 'Load questionnaires collected on paper or in another system from a CSV file, with every problem shown before anything is saved.',
    access: { permission: 'import:administrations' },
    issue: null,
  },
  {
    path: '/evaluation',
    label: 'Evaluation',
    description: 'The outcomes report funders ask for: pre and post scores, reliable change and charts.',
    access: { permission: 'view:evaluation' },
    issue: null,
  },
  {
    path: '/fund-applications',
    label: 'Fund applications',
    description: 'Applications made in each participant’s name (the Adoption Support Fund model): status and money, without names.',
    access: { permission: 'view:fund_applications' },
    issue: null,
  },
  {
    path: '/funding',
    label: 'Funding',
    description: 'Contracts, purchased places, applications per family, vacancies and invoices.',
    access: { permission: 'view:funding' },
    issue: null,
  },
];

/** Administration pages that exist now, shown by permission. */
export const adminLinks: readonly ModuleLink[] = [
  {
    path: '/users',
    label: 'Users',
    description: 'Invite staff, change their roles and deactivate accounts.',
    access: { permission: 'view:users' },
    issue: null,
  },
  {
    path: '/privacy',
    label: 'Data protection',
    description: 'Retention settings, subject access exports and erasure requests.',
    access: { permission: 'manage:privacy' },
    issue: null,
  },
  {
    path: '/questionnaires/licences',
    label: 'Licensed wording',
    description: 'Load the wording of licensed questionnaires (SDQ, BCAP, SWEMWBS) and the BCAP scoring key for your organisation.',
    access: { permission: 'import:administrations' },
    issue: null,
  },
  {
    path: '/audit',
    label: 'Audit trail',
    description: 'Search who viewed or changed which record, and when.',
    access: { permission: 'view:audit' },
    issue: null,
  },
];

export const mayUse = (link: ModuleLink, role: Role | null | undefined, permissions: readonly Permission[]): boolean =>
  'permission' in link.access ? permissions.includes(link.access.permission) : role ? link.access.roles.includes(role) : false;
