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
] as const;
export type Permission = (typeof permissions)[number];

const matrix: Record<Role, readonly Permission[]> = {
  org_admin: ['manage:users', 'view:users', 'view:audit', 'view:organisation'],
  service_manager: ['view:users', 'view:organisation'],
  case_worker: ['view:organisation'],
  facilitator: ['view:organisation'],
  evaluator: ['view:organisation'],
  commissioner: ['view:organisation'],
};

export const permissionsOf = (role: Role): readonly Permission[] => matrix[role];

export const can = (role: Role | null | undefined, permission: Permission): boolean =>
  role ? matrix[role].includes(permission) : false;

export const organisationKinds = ['provider', 'local_authority', 'regional_adoption_agency', 'commissioner', 'evaluator'] as const;
export type OrganisationKind = (typeof organisationKinds)[number];

export const organisationKindLabels: Record<OrganisationKind, string> = {
  provider: 'Service provider',
  local_authority: 'Local authority',
  regional_adoption_agency: 'Regional adoption agency',
  commissioner: 'Commissioner / funder',
  evaluator: 'Evaluator',
};
