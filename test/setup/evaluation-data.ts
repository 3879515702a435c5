import type { Db } from '../../src/server/db.ts';
import { inScope } from '../../src/server/platform/db/scope.ts';

/**
 * Administrations with known scores for the outcomes-report tests, written straight into the table (the report
 * reads only the stored scores). Dates: pre 2024-01-10, post 2024-04-10, follow-up 2024-10-10.
 */
export type Seeded = {
  readonly respondent: string;
  readonly role: 'mother' | 'father' | 'carer';
  readonly instrument: string;
  readonly site: string;
  readonly group: string;
  readonly subject?: string;
  readonly pre?: Record<string, number | null>;
  readonly post?: Record<string, number | null>;
  readonly followup?: Record<string, number | null>;
  /** The case the questionnaires belong to (in-app questionnaires carry one). */
  readonly caseId?: string;
  /** Validity per timepoint (BCAP); default true. */
  readonly invalid?: readonly ('pre' | 'post' | 'followup')[];
};

export const DATES = { pre: '2024-01-10', post: '2024-04-10', followup: '2024-10-10' } as const;

const core = (pre: number | null, post?: number | null, followup?: number | null) => ({
  pre: { total: pre },
  ...(post === undefined ? {} : { post: { total: post } }),
  ...(followup === undefined ? {} : { followup: { total: followup } }),
});

/** The worked example of docs/evaluation.md §12 split into mothers (North, G1) and fathers (South, G2), plus edge cases. */
export const reportFixture = (tag: string): Seeded[] => {
  const mothers: [number, number][] = [[18, 12], [22, 20], [15, 10], [11, 11], [25, 16]];
  const fathers: [number, number][] = [[14, 15], [20, 13], [9, 8], [17, 10], [13, 12]];
  const rows: Seeded[] = [
    ...mothers.map(([pre, post], i) => ({ respondent: `${tag}-m${i + 1}`, role: 'mother' as const, instrument: 'core-10', site: 'North', group: 'G1', ...core(pre, post, i === 0 ? 13 : undefined) })),
    ...fathers.map(([pre, post], i) => ({ respondent: `${tag}-f${i + 1}`, role: 'father' as const, instrument: 'core-10', site: 'South', group: 'G2', ...core(pre, post, i === 0 ? 16 : undefined) })),
    // A pre with no post (completeness 10 of 11), a post with no pre, and an unscorable questionnaire.
    { respondent: `${tag}-m6`, role: 'mother', instrument: 'core-10', site: 'North', group: 'G1', ...core(30) },
    { respondent: `${tag}-f6`, role: 'father', instrument: 'core-10', site: 'South', group: 'G2', post: { total: 5 } },
    { respondent: `${tag}-m7`, role: 'mother', instrument: 'core-10', site: 'North', group: 'G1', pre: { total: null }, post: { total: null } },
    // A group in which nothing could be scored.
    { respondent: `${tag}-c1`, role: 'carer', instrument: 'core-10', site: 'North', group: 'G3', pre: { total: null }, post: { total: null } },
    // BCAP: p4's pre protocol is invalid (lie/random) and is left out.
    ...([[14, 8], [12, 12], [5, 13], [20, 11], [11, 9]] as const).map(([pre, post], i) => ({
      respondent: `${tag}-b${i + 1}`,
      role: i % 2 === 0 ? ('mother' as const) : ('father' as const),
      instrument: 'bcap',
      site: 'North',
      group: 'G1',
      pre: { risk: pre, lie: 1, random: 0 },
      post: { risk: post, lie: 1, random: 0 },
      ...(i === 3 ? { invalid: ['pre' as const] } : {}),
    })),
    // QMI: no cut-off, higher is better.
    ...([[25, 30], [28, 27], [30, 36]] as const).map(([pre, post], i) => ({
      respondent: `${tag}-q${i + 1}`,
      role: 'mother' as const,
      instrument: 'qmi',
      site: 'North',
      group: 'G1',
      pre: { total: pre },
      post: { total: post },
    })),
    // SDQ parent report about a child: total difficulties "abnormal" ≥ 17, prosocial "abnormal" < 5.
    ...([[18, 12, 4, 6], [20, 19, 7, 7]] as const).map(([pre, post, proPre, proPost], i) => ({
      respondent: `${tag}-s${i + 1}`,
      role: 'mother' as const,
      instrument: 'sdq-p4-17',
      subject: `${tag}-child${i + 1}`,
      site: 'North',
      group: 'G1',
      pre: sdq(pre, proPre),
      post: sdq(post, proPost),
    })),
  ];
  return rows;
};

const sdq = (total: number, prosocial: number): Record<string, number> => {
  const emotional = Math.floor(total / 4);
  const conduct = Math.floor(total / 4);
  const hyperactivity = Math.floor(total / 4);
  const peer = total - emotional - conduct - hyperactivity;
  return { emotional, conduct, hyperactivity, peer, prosocial, total, externalising: conduct + hyperactivity, internalising: emotional + peer, impact: 1 };
};

export const seedAdministrations = async (
  db: Db,
  organisationId: string,
  rows: readonly Seeded[],
  programme = 'Parents as Partners',
  dates: Record<'pre' | 'post' | 'followup', string> = DATES,
): Promise<void> => {
  await inScope(db, { organisationId, userId: null }, async (trx) => {
    for (const row of rows) {
      const respondent = await trx.insertInto('respondent').values({ organisationId, externalRef: row.respondent }).returning('id').executeTakeFirstOrThrow();
      for (const timepoint of ['pre', 'post', 'followup'] as const) {
        const scores = row[timepoint];
        if (!scores) continue;
        const scored = Object.values(scores).every((v) => v !== null);
        await trx
          .insertInto('administration')
          .values({
            organisationId,
            respondentId: respondent.id,
            respondentRole: row.role,
            subjectRef: row.subject ?? '',
            site: row.site,
            groupLabel: row.group,
            programme,
            instrumentId: row.instrument,
            instrumentVersion: 1,
            timepoint,
            completedOn: dates[timepoint],
            caseId: row.caseId ?? null,
            source: 'paper',
            responses: '{}',
            status: scored ? 'scored' : 'not_scorable',
            scores: JSON.stringify(scores),
            bands: '{}',
            flags: [],
            valid: !(row.invalid ?? []).includes(timepoint),
          })
          .execute();
      }
    }
  });
};
