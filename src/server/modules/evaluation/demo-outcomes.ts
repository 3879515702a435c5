/**
 * Synthetic CORE-10 questionnaires for the demo, so the outcomes report has something to show: two sites, two
 * groups each, mothers and fathers, pre / post and (for the earlier groups) follow-up, with some questionnaires
 * missing as in real services. Deterministic (a seeded generator), and
 * every score is computed by the scoring engine, as for a paper form. Invented people only.
 */
import type { Db } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { getBuiltInInstrument, scoreAdministration } from '../measures/index.ts';

/** A person on a demo case who also answered the questionnaires (their case page shows their chart). */
export type DemoRespondent = { readonly personId: string; readonly role: 'mother' | 'father' };

const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const normal = (random: () => number, mean: number, sd: number): number => {
  const u = Math.max(random(), 1e-12);
  const v = random();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
};

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

const REVERSED = new Set([2, 3]);
const RISK_ITEM = 6;

/** Item responses (positions on the printed scale) whose CORE-10 clinical score is `total` (0–36: the risk item stays 0). */
export const core10Responses = (total: number): number[] => {
  const sum = clamp(Math.round(total), 0, 36);
  const others = [1, 2, 3, 4, 5, 7, 8, 9, 10];
  const scores = new Map<number, number>(others.map((item, i) => [item, Math.floor(sum / 9) + (i < sum % 9 ? 1 : 0)]));
  scores.set(RISK_ITEM, 0);
  return Array.from({ length: 10 }, (_, i) => {
    const item = i + 1;
    const score = scores.get(item) ?? 0;
    return REVERSED.has(item) ? 4 - score : score;
  });
};

const dayBefore = (today: Date, days: number): string => new Date(today.getTime() - days * 86_400_000).toISOString().slice(0, 10);

const GROUPS = [
  { site: 'Northgate', group: 'Northgate spring group', preDaysAgo: 330, meanChange: -5 },
  { site: 'Northgate', group: 'Northgate autumn group', preDaysAgo: 200, meanChange: -4.5 },
  { site: 'Eastfield', group: 'Eastfield spring group', preDaysAgo: 320, meanChange: -3.5 },
  { site: 'Eastfield', group: 'Eastfield autumn group', preDaysAgo: 190, meanChange: -3 },
] as const;
const COUPLES_PER_GROUP = 7;
const PROGRAMME = 'Parents as Partners';

type DemoAdministration = {
  readonly ref: string;
  readonly personId: string | null;
  readonly role: 'mother' | 'father';
  readonly family: string | null;
  readonly site: string;
  readonly group: string;
  readonly timepoint: 'pre' | 'post' | 'followup';
  readonly completedOn: string;
  readonly responses: Record<string, number>;
};

/** The demo's questionnaires, one per person and timepoint, deterministic for a given day. */
export const demoAdministrations = (linked: readonly DemoRespondent[] = [], today = new Date()): DemoAdministration[] => {
  const random = mulberry32(20_260_601);
  const people: { ref: string; personId: string | null; role: 'mother' | 'father'; family: string | null; g: (typeof GROUPS)[number] }[] = [];
  GROUPS.forEach((g, gi) => {
    for (let c = 0; c < COUPLES_PER_GROUP; c += 1) {
      const family = `DEMO-F${gi + 1}${String(c + 1).padStart(2, '0')}`;
      people.push({ ref: `${family}-M`, personId: null, role: 'mother', family, g }, { ref: `${family}-F`, personId: null, role: 'father', family, g });
    }
  });
  const first = GROUPS[0];
  for (const person of linked) people.push({ ref: `person:${person.personId}`, personId: person.personId, role: person.role, family: null, g: first });
  const out: DemoAdministration[] = [];
  for (const p of people) {
    const pre = clamp(normal(random, p.role === 'mother' ? 16 : 14, 6), 2, 34);
    const post = clamp(pre + normal(random, p.g.meanChange, 4.5), 0, 36);
    const followup = clamp(post + normal(random, 0.5, 3), 0, 36);
    const linkedPerson = p.personId !== null;
    // Real services lose people: about one in eight posts and a quarter of follow-ups never come back.
    const hasPost = linkedPerson || random() > 0.12;
    const hasFollowup = hasPost && (linkedPerson || random() > 0.25) && p.g.preDaysAgo - 112 - 180 > 0;
    const jitter = Math.floor(random() * 6);
    const add = (timepoint: DemoAdministration['timepoint'], daysAgo: number, total: number) =>
      out.push({
        ref: p.ref,
        personId: p.personId,
        role: p.role,
        family: p.family,
        site: p.g.site,
        group: p.g.group,
        timepoint,
        completedOn: dayBefore(today, daysAgo),
        responses: Object.fromEntries(core10Responses(total).map((value, i) => [String(i + 1), value])),
      });
    add('pre', p.g.preDaysAgo + jitter, pre);
    if (hasPost) add('post', p.g.preDaysAgo - 112 + jitter, post);
    if (hasFollowup) add('followup', p.g.preDaysAgo - 112 - 180 + jitter, followup);
  }
  return out;
};

/**
 * Stores the demo questionnaires in an organisation, each scored by the scoring engine as a paper form would be.
 * Linked people's respondents are tied to their person records, as questionnaires sent from a case are.
 */
export const seedDemoOutcomes = async (db: Db, organisationId: string, linked: readonly DemoRespondent[] = []): Promise<number> => {
  const instrument = getBuiltInInstrument('core-10');
  if (!instrument) throw new Error('demo outcomes: CORE-10 is not defined');
  const rows = demoAdministrations(linked);
  await inScope(db, { organisationId, userId: null }, async (trx) => {
    const respondents = new Map<string, string>();
    for (const row of rows) {
      if (respondents.has(row.ref)) continue;
      const created = await trx.insertInto('respondent').values({ organisationId, externalRef: row.ref, personId: row.personId }).returning('id').executeTakeFirstOrThrow();
      respondents.set(row.ref, created.id);
    }
    const values = rows.map((row) => {
      const result = scoreAdministration(instrument, row.responses);
      return {
        organisationId,
        respondentId: respondents.get(row.ref) ?? '',
        respondentRole: row.role,
        familyRef: row.family,
        site: row.site,
        groupLabel: row.group,
        programme: PROGRAMME,
        instrumentId: instrument.id,
        instrumentVersion: Number(instrument.version),
        timepoint: row.timepoint,
        completedOn: row.completedOn,
        source: 'paper' as const,
        responses: JSON.stringify(row.responses),
        status: result.status,
        scores: JSON.stringify(result.scores),
        bands: JSON.stringify(result.bands),
        flags: result.flags,
        valid: result.valid,
      };
    });
    await trx.insertInto('administration').values(values).execute();
  });
  return rows.length;
};
