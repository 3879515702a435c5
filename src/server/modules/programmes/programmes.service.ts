import type { z } from 'zod';
import type { EligibilityRule, programmeSummary } from '../../../shared/contracts/journey.ts';
import type { Db, Trx } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { coupleTherapyTemplate, papEightTemplate, papTemplate, parentingTogetherTemplate, singleSessionTemplate, therapeuticParentingTemplate, type Template } from './templates.ts';

/** A template as table columns (jsonb written as JSON text). */
export const templateColumns = (t: Template) => ({
  sessionCount: t.sessionCount,
  sessionMinutes: t.sessionMinutes,
  curriculum: JSON.stringify(t.curriculum),
  capacity: t.capacity,
  capacityUnit: t.capacityUnit,
  creche: t.creche,
  completionMinSessions: t.completionMinSessions,
  attendanceStatuses: JSON.stringify(t.attendanceStatuses),
});

export type Programme = z.infer<typeof programmeSummary>;

const columns = ['id', 'name', 'kind', 'description', 'eligibility', 'facilitatorRule', 'acceptsReferrals', 'version'] as const;

export const listProgrammes = async (db: Db, actor: Actor): Promise<Programme[]> =>
  inScope(db, scopeOf(actor), (trx) =>
    trx.selectFrom('programme').select(columns).where('organisationId', '=', actor.organisationId ?? '').orderBy('name').execute(),
  );

/** For other modules, inside their transaction: the programme of this organisation, or undefined. */
export const findProgramme = async (trx: Trx, organisationId: string, programmeId: string): Promise<Programme | undefined> =>
  trx.selectFrom('programme').select(columns).where('organisationId', '=', organisationId).where('id', '=', programmeId).executeTakeFirst();

export const publicProgrammes = async (trx: Trx, organisationId: string): Promise<{ id: string; name: string; description: string }[]> =>
  trx
    .selectFrom('programme')
    .select(['id', 'name', 'description'])
    .where('organisationId', '=', organisationId)
    .where('acceptsReferrals', '=', true)
    .orderBy('name')
    .execute();

export type NewProgramme = {
  name: string;
  kind: Programme['kind'];
  description: string;
  eligibility: EligibilityRule[];
  facilitatorRule: Programme['facilitatorRule'];
  offersCoupleWork?: boolean;
  template?: Template;
};

/** Built-in programmes every provider starts from; managers copy one and adjust the copy. Parents as Partners stays first. */
export const builtInProgrammes: NewProgramme[] = [
  {
    name: 'Parents as Partners',
    kind: 'group',
    description: 'A 16-week group for couples and co-parents with at least one child under 11 who are worried that their relationship is affecting their parenting.',
    eligibility: [{ kind: 'child_under_age', age: 11 }, { kind: 'all_parents_willing' }, { kind: 'no_active_court_proceedings' }],
    facilitatorRule: 'male_female_pair',
    template: papTemplate,
  },
  {
    name: 'Couple therapy for adoptive parents',
    kind: 'couple_therapy',
    description: 'An initial consultation, then up to 20 weekly 50-minute sessions with one therapist.',
    eligibility: [{ kind: 'adoptive_family' }, { kind: 'all_parents_willing' }],
    facilitatorRule: 'one',
    template: coupleTherapyTemplate,
  },
  {
    name: 'Parenting Together',
    kind: 'couple_therapy',
    description: 'Therapeutic work with separated parents in entrenched conflict over their children.',
    eligibility: [{ kind: 'at_least_two_parents' }],
    facilitatorRule: 'pair',
    offersCoupleWork: true,
    template: parentingTogetherTemplate,
  },
  {
    name: 'Parents as Partners (8 weeks)',
    kind: 'group',
    description: 'The 8-week variant of Parents as Partners: the five strands in eight weekly two-hour sessions, with two split-gender sessions and a crèche.',
    eligibility: [{ kind: 'child_under_age', age: 11 }, { kind: 'all_parents_willing' }, { kind: 'no_active_court_proceedings' }],
    facilitatorRule: 'male_female_pair',
    template: papEightTemplate,
  },
  {
    name: 'Therapeutic parenting course',
    kind: 'course',
    description: 'A therapeutic parenting group for adoptive parents and special guardians (e.g. Non-Violent Resistance, Nurturing Attachments): eight weekly sessions.',
    eligibility: [{ kind: 'adoptive_family' }],
    facilitatorRule: 'pair',
    offersCoupleWork: false,
    template: therapeuticParentingTemplate,
  },
];

export const createProgrammes = async (db: Db, organisationId: string, programmes: NewProgramme[]): Promise<string[]> =>
  inScope(db, { organisationId, userId: null }, async (trx) => {
    const rows = await trx
      .insertInto('programme')
      .values(
        programmes.map((p) => ({
          organisationId,
          name: p.name,
          kind: p.kind,
          description: p.description,
          eligibility: JSON.stringify(p.eligibility),
          facilitatorRule: p.facilitatorRule,
          offersCoupleWork: p.offersCoupleWork ?? true,
          ...templateColumns(p.template ?? singleSessionTemplate),
        })),
      )
      .returning(['id'])
      .execute();
    return rows.map((r) => r.id);
  });
