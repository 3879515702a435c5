/**
 * A participant's own chart on their case: each parent's headline scores over time. Only for people the caller may
 * see (the case must be visible to them, else 404), and audited per person as a read of personal data.
 */
import type { CaseScores, PersonScoreSeries } from '../../../../shared/contracts/evaluation-outputs.ts';
import type { Db } from '../../../db.ts';
import { inScope } from '../../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../../platform/http/actor.ts';
import { recordAudit } from '../../audit/index.ts';
import { caseForQuestionnaires } from '../../cases/index.ts';
import { getBuiltInInstrument } from '../../measures/index.ts';
import { personChartSpec, readChange, type PersonPoint } from '../charts/person-chart.ts';
import { measureRulesFor } from '../report/measure-rules.ts';
import { renderChart } from './charts.ts';

type Row = { personId: string | null; instrumentId: string; subjectRef: string; timepoint: 'pre' | 'post' | 'followup'; completedOn: string | Date; scores: unknown; programme: string; groupLabel: string; valid: boolean };

const isoDay = (value: string | Date): string => (typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10));

const scoreOf = (scores: unknown, scale: string): number | null => {
  const parsed = typeof scores === 'string' ? (JSON.parse(scores) as Record<string, unknown>) : (scores as Record<string, unknown> | null);
  const value = parsed?.[scale];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
};

export const caseScores = async (db: Db, actor: Actor, caseId: string): Promise<CaseScores> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const c = await caseForQuestionnaires(trx, actor, caseId);
    const organisationId = actor.organisationId;
    const adults = c.people.filter((p) => !p.isChild);
    const names = new Map(c.people.map((p) => [p.personId, p.name]));
    const rows: Row[] =
      adults.length === 0
        ? []
        : await trx
            .selectFrom('administration')
            .innerJoin('respondent', 'respondent.id', 'administration.respondentId')
            .select([
              'respondent.personId',
              'administration.instrumentId',
              'administration.subjectRef',
              'administration.timepoint',
              'administration.completedOn',
              'administration.scores',
              'administration.programme',
              'administration.groupLabel',
              'administration.valid',
            ])
            .where('administration.organisationId', '=', organisationId)
            .where('respondent.organisationId', '=', organisationId)
            .where(
              'respondent.personId',
              'in',
              adults.map((p) => p.personId),
            )
            .orderBy('administration.completedOn')
            .execute();
    const people: CaseScores['people'] = [];
    for (const person of adults) {
      const mine = rows.filter((r) => r.personId === person.personId && r.valid);
      const keys = [...new Set(mine.map((r) => `${r.instrumentId}\u0000${r.subjectRef}`))];
      const series: PersonScoreSeries[] = [];
      for (const key of keys) {
        const [instrumentId = '', subjectRef = ''] = key.split('\u0000');
        const instrument = getBuiltInInstrument(instrumentId);
        const rule = instrument ? measureRulesFor(instrument).find((r) => r.primary) : undefined;
        if (!rule) continue;
        const own = mine.filter((r) => r.instrumentId === instrumentId && r.subjectRef === subjectRef);
        const points = own.flatMap((r) => {
          const score = scoreOf(r.scores, rule.scale);
          return score === null ? [] : [{ timepoint: r.timepoint, completed_on: isoDay(r.completedOn), score, programme: r.programme, group: r.groupLabel }];
        });
        if (points.length === 0) continue;
        const about = subjectRef ? names.get(subjectRef) : undefined;
        const title = about ? `${rule.instrumentTitle} about ${about}` : rule.instrumentTitle;
        const chartRule = {
          instrumentTitle: title,
          scaleLabel: rule.scaleLabel,
          better: rule.better,
          range: rule.range,
          cutoff: rule.clinical?.value ?? null,
          clinicalText: rule.clinical?.text ?? null,
          reliableChange: rule.reliableChange?.value ?? null,
        };
        const chartPoints: PersonPoint[] = points.map((p) => ({ timepoint: p.timepoint, completedOn: p.completed_on, score: p.score }));
        series.push({
          instrument: instrumentId,
          instrument_title: title,
          scale: rule.scale,
          scale_label: rule.scaleLabel,
          better: rule.better,
          range: [rule.range[0], rule.range[1]],
          cutoff: chartRule.cutoff,
          clinical_rule: chartRule.clinicalText,
          reliable_change: chartRule.reliableChange,
          reliable_change_rule: rule.reliableChange?.text ?? null,
          points,
          change: readChange(chartPoints, chartRule),
          svg: (await renderChart(personChartSpec(chartPoints, chartRule))).svg,
        });
      }
      people.push({ personId: person.personId, series });
      if (series.length > 0) {
        await recordAudit(trx, {
          organisationId,
          actorUserId: actor.userId,
          action: 'view:scores',
          entityType: 'person',
          entityId: person.personId,
          ip: actor.ip,
          detail: { caseId: c.id, series: series.map((s) => s.instrument), administrations: series.reduce((n, s) => n + s.points.length, 0) },
        });
      }
    }
    return { caseId: c.id, people };
  });
