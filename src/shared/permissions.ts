/**
 * Who may do what. Pure data, shared by the server (which enforces it) and the web app (which hides what a
 * person cannot do). Permission names are `verb:resource`; record scoping (own organisation, own caseload) is
 * applied in the queries and by row-level security, not here.
 */
export const roles = ['org_admin', 'service_manager', 'case_worker', 'facilitator', 'evaluator', 'commissioner'] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  org_admin: 'Organisation admin',
  service_manager: 'Service manager',
  case_worker: 'Case worker',
  facilitator: 'Facilitator / therapist',
  evaluator: 'Evaluator',
  commissioner: 'Commissioner / funder',
};

export const permissions = [
  'manage:users',
  'view:users',
  'view:audit',
  'view:organisation',
  'import:administrations',
  'view:programmes',
  'view:referrals',
  'create:referral',
  'triage:referral',
  'view:case',
  'update:case',
  'allocate:case',
  'view:my_work',
  'book:assessment',
  'record:assessment',
  'view:safeguarding',
  'resolve:safeguarding',
  'manage:privacy',
  'view:evaluation',
  'export:pseudonymised',
  'manage:returns',
  'manage:programmes',
  'view:groups',
  'manage:groups',
  'take:attendance',
  'view:creche',
  'book:creche',
  'view:funding',
  'manage:funding',
  'buy:places',
  'claim:vacancy',
  'apply:fund',
  'manage:fund_rules',
  'view:fund_applications',
] as const;
export type Permission = (typeof permissions)[number];

// Case work (referrals, cases) is for the people who do it; administrators configure, they do not read case files.
// Case workers see their own caseload (and unallocated cases); managers see everyone's; facilitators see the cases
// they are working on (scoped in the queries).
const casework: readonly Permission[] = [
  'view:referrals',
  'create:referral',
  'triage:referral',
  'view:case',
  'update:case',
  'view:my_work',
  'book:assessment',
  'record:assessment',
  'view:safeguarding',
];

// The outcomes report (aggregates): commissioners get it with small numbers suppressed (evaluation module).
const matrix: Record<Role, readonly Permission[]> = {
  // Subject access, erasure and retention are the data protection lead's work, done by the organisation admin.
  // The pseudonymised export (one row per questionnaire, people replaced by keys) is for evaluators; the organisation
  // admin, as data protection lead, may produce it too. Funders' returns are aggregate reports managers produce.
  org_admin: ['manage:privacy', 'view:programmes', 'manage:users', 'view:users', 'view:audit', 'view:organisation', 'import:administrations', 'view:evaluation', 'export:pseudonymised', 'manage:returns'],
  // Managers plan groups and may take a register themselves; case workers see groups to follow their families.
  service_manager: [...casework, 'allocate:case', 'resolve:safeguarding', 'manage:programmes', 'view:groups', 'manage:groups', 'take:attendance', 'view:programmes', 'view:users', 'view:organisation', 'import:administrations', 'view:evaluation', 'manage:returns'],
  case_worker: [...casework, 'view:groups', 'view:programmes', 'view:organisation'],
  facilitator: ['view:case', 'view:my_work', 'record:assessment', 'view:groups', 'take:attendance', 'view:programmes', 'view:organisation'],
  evaluator: ['view:organisation', 'view:evaluation', 'export:pseudonymised'],
  commissioner: ['view:organisation', 'view:evaluation'],
};

// Fund applications (funding module): case workers and managers apply for their families; managers record the
// fund's decisions and set each funder's limits; commissioners see applications per participant, never names.
const fundApplications: Partial<Record<Role, readonly Permission[]>> = {
  service_manager: ['apply:fund', 'manage:fund_rules', 'view:fund_applications'],
  case_worker: ['apply:fund'],
  commissioner: ['view:fund_applications'],
};

// Funding (contracts, places, invoices): the provider's managers keep the contracts and invoice; admins read the
// finance view; commissioners see the contracts their agency is party to (aggregates only), buy places and claim
// the vacancies partner agencies free.
const funding: Partial<Record<Role, readonly Permission[]>> = {
  org_admin: ['view:funding'],
  service_manager: ['view:funding', 'manage:funding', 'buy:places'],
  commissioner: ['view:funding', 'buy:places', 'claim:vacancy'],
};

// Crèche (programmes module): managers and case workers book children in with what the crèche must know;
// facilitators open the crèche of groups they run or whose crèche they staff. Reading a child's allergies and
// medical notes, and taking the crèche register, also needs being rostered on that session's crèche (checked in
// the service): the permission alone is not crèche duty.
const creche: Partial<Record<Role, readonly Permission[]>> = {
  service_manager: ['view:creche', 'book:creche'],
  case_worker: ['view:creche', 'book:creche'],
  facilitator: ['view:creche'],
};

export const permissionsOf = (role: Role): readonly Permission[] => [...matrix[role], ...(fundApplications[role] ?? []), ...(funding[role] ?? []), ...(creche[role] ?? [])];

export const can = (role: Role | null | undefined, permission: Permission): boolean =>
  role ? permissionsOf(role).includes(permission) : false;

export const organisationKinds = ['provider', 'local_authority', 'regional_adoption_agency', 'commissioner', 'evaluator'] as const;
export type OrganisationKind = (typeof organisationKinds)[number];

export const organisationKindLabels: Record<OrganisationKind, string> = {
  provider: 'Service provider',
  local_authority: 'Local authority',
  regional_adoption_agency: 'Regional adoption agency',
  commissioner: 'Commissioner / funder',
  evaluator: 'Evaluator',
};
