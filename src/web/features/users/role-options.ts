import { roleLabels, roles, type Role } from '../../../shared/permissions.ts';

const roleHints: Record<Role, string> = {
  org_admin: 'Users, roles, settings and the audit trail',
  service_manager: 'Plans groups, watches places and approves safeguarding escalations',
  case_worker: 'Triages referrals and follows families through',
  facilitator: 'Runs assessments, group sessions and therapy appointments',
  evaluator: 'Sees pseudonymised data and the evaluation report only',
  commissioner: 'Sees places, money and aggregate outcomes only',
};

export const roleOptions = roles.map((role) => ({ value: role, label: roleLabels[role], hint: roleHints[role] }));
