import { randomBytes } from 'node:crypto';
import type { OrganisationKind, Role } from '../../shared/permissions.ts';
import type { Db } from '../db.ts';
import { createOrganisation, createUserWithPassword } from '../modules/identity/index.ts';

/**
 * A clearly marked synthetic demo: every organisation is flagged is_demo and named "(demo)", every person is
 * invented, and addresses use the reserved .example domain. Later modules add families, groups and questionnaires.
 */
type DemoOrganisation = { key: string; name: string; kind: OrganisationKind; domain: string };
type DemoPerson = { org: string; name: string; local: string; role: Role };

const organisations: DemoOrganisation[] = [
  { key: 'provider', name: 'Northgate Family Relationships (demo)', kind: 'provider', domain: 'northgate.example' },
  { key: 'raa', name: 'Riverside Regional Adoption Agency (demo)', kind: 'regional_adoption_agency', domain: 'riverside-raa.example' },
  { key: 'funder', name: 'Family Relationships Fund (demo)', kind: 'commissioner', domain: 'frfund.example' },
  { key: 'evaluator', name: 'Hartley Evaluation Unit (demo)', kind: 'evaluator', domain: 'hartley-eval.example' },
];

const people: DemoPerson[] = [
  { org: 'provider', name: 'Alex Morgan', local: 'admin', role: 'org_admin' },
  { org: 'provider', name: 'Priya Shah', local: 'manager', role: 'service_manager' },
  { org: 'provider', name: 'Sam Okafor', local: 'caseworker', role: 'case_worker' },
  { org: 'provider', name: 'Rebecca Hale', local: 'facilitator.f', role: 'facilitator' },
  { org: 'provider', name: 'David Lowe', local: 'facilitator.m', role: 'facilitator' },
  { org: 'raa', name: 'Jordan Price', local: 'admin', role: 'org_admin' },
  { org: 'raa', name: 'Morgan Ellis', local: 'manager', role: 'service_manager' },
  { org: 'funder', name: 'Chris Taylor', local: 'commissioner', role: 'commissioner' },
  { org: 'evaluator', name: 'Dr Nia Evans', local: 'evaluator', role: 'evaluator' },
];

export type DemoSignIn = { organisation: string; role: Role; email: string; password: string };

export const seedDemo = async (db: Db, options: { password?: string } = {}): Promise<DemoSignIn[]> => {
  // A fresh password per demo database: the demo is meant for a laptop, but it should not share a password
  // with every other copy in the world.
  const password = options.password ?? `demo-${randomBytes(6).toString('base64url')}`;
  const ids = new Map<string, { id: string; domain: string; name: string }>();
  for (const org of organisations) {
    const created = await createOrganisation(db, { name: org.name, kind: org.kind, isDemo: true, slug: `demo-${org.key}` });
    ids.set(org.key, { id: created.id, domain: org.domain, name: org.name });
  }
  const signIns: DemoSignIn[] = [];
  for (const person of people) {
    const org = ids.get(person.org);
    if (!org) continue;
    const email = `${person.local}@${org.domain}`;
    await createUserWithPassword(db, { organisationId: org.id, email, name: person.name, role: person.role, password });
    signIns.push({ organisation: org.name, role: person.role, email, password });
  }
  return signIns;
};

export const formatSignIns = (signIns: DemoSignIn[]): string => {
  const lines = signIns.map((s) => `  ${s.role.padEnd(16)} ${s.email.padEnd(34)} ${s.organisation}`);
  const password = signIns[0]?.password ?? '';
  return [
    'Demo data (synthetic, for trying Tandem out; not for real families). Sign in as:',
    ...lines,
    `  password for every demo account: ${password}`,
    '',
  ].join('\n');
};
