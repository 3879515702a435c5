import { sql } from 'kysely';
import type { Db, Trx } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { notFound } from '../../platform/http/app-error.ts';
import type { FileStorage } from '../../platform/storage/storage.ts';
import { recordAudit } from '../audit/index.ts';
import { orgOf } from './case-access.ts';
import type { RetentionRecordType } from './cases.tables.ts';

/** Reasons the law or the service requires a person's records to be kept, whatever the request. */
export const legalHolds = async (trx: Trx, organisationId: string, personId: string): Promise<string[]> => {
  const families = trx.selectFrom('familyMember').select('familyId').where('personId', '=', personId);
  const reasons: string[] = [];
  const flagged = await trx
    .selectFrom('safeguardingFlag')
    .select('id')
    .where('organisationId', '=', organisationId)
    .where('familyId', 'in', families)
    .executeTakeFirst();
  if (flagged) reasons.push('safeguarding records are kept (a safeguarding flag was raised on this family)');
  const adoptive = await trx
    .selectFrom('familyMember')
    .select('personId')
    .where('familyId', 'in', families)
    .where('relationship', '=', 'adoptive_parent')
    .executeTakeFirst();
  if (adoptive) reasons.push('adoption support records are kept');
  return reasons;
};

export type SubjectAccessBundle = {
  generatedAt: string;
  organisation: string;
  person: Record<string, unknown>;
  families: { label: string; relationship: string; members: { name: string; relationship: string }[] }[];
  cases: { reference: string; programme: string | null; stage: string; openedAt: string; history: { from: string | null; to: string; reason: string; at: string }[] }[];
  referrals: { reference: string; receivedAt: string; status: string; reason: string }[];
  riskAssessments: Record<string, unknown>[];
  ownDisclosures: { recordedAt: string; body: string }[];
  caseNotes: { caseReference: string; kind: string; occurredOn: string; body: string }[];
  documents: { caseReference: string; fileName: string; uploadedAt: string }[];
  questionnaires: { instrument: string; timepoint: string; completedOn: string; scores: unknown }[];
  withheld: string[];
};

/**
 * Everything held about one person, for a subject access request. What another parent disclosed in their own
 * assessment is never included; safeguarding records are listed as withheld for the data protection lead to
 * review, since disclosing them can put someone at risk.
 */
export const subjectAccess = async (db: Db, actor: Actor, personId: string): Promise<SubjectAccessBundle> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const person = await trx.selectFrom('person').selectAll().where('organisationId', '=', organisationId).where('id', '=', personId).executeTakeFirst();
    if (!person) throw notFound('Person');
    const org = await trx.selectFrom('organisation').select('name').where('id', '=', organisationId).executeTakeFirstOrThrow();
    const memberships = await trx
      .selectFrom('familyMember')
      .innerJoin('family', 'family.id', 'familyMember.familyId')
      .select(['family.id', 'family.label', 'familyMember.relationship'])
      .where('familyMember.personId', '=', personId)
      .execute();
    const familyIds = memberships.map((m) => m.id);
    const families = [];
    for (const m of memberships) {
      const members = await trx
        .selectFrom('familyMember')
        .innerJoin('person', 'person.id', 'familyMember.personId')
        .select([sql<string>`person.given_name || ' ' || person.family_name`.as('name'), 'familyMember.relationship'])
        .where('familyMember.familyId', '=', m.id)
        .where('familyMember.personId', '!=', personId)
        .execute();
      families.push({ label: m.label, relationship: m.relationship, members });
    }
    const cases = familyIds.length
      ? await trx
          .selectFrom('familyCase')
          .leftJoin('programme', 'programme.id', 'familyCase.programmeId')
          .select(['familyCase.id', 'familyCase.reference', 'programme.name as programme', 'familyCase.stage', 'familyCase.openedAt', 'familyCase.referralId'])
          .where('familyCase.familyId', 'in', familyIds)
          .execute()
      : [];
    const caseIds = cases.map((c) => c.id);
    const history = caseIds.length
      ? await trx.selectFrom('caseStageChange').select(['caseId', 'fromStage', 'toStage', 'reason', 'changedAt']).where('caseId', 'in', caseIds).orderBy('id').execute()
      : [];
    const referralIds = cases.map((c) => c.referralId).filter((id): id is string => id !== null);
    const referrals = referralIds.length
      ? await trx.selectFrom('referral').select(['reference', 'receivedAt', 'status', 'submission']).where('id', 'in', referralIds).execute()
      : [];
    const risks = await trx
      .selectFrom('riskAssessment')
      .select(['riskToChild', 'riskToChildNotes', 'domesticAbuse', 'domesticAbuseNotes', 'domesticAbuseIndicated', 'mentalHealth', 'mentalHealthNotes', 'substanceUse', 'substanceUseNotes', 'recordedAt'])
      .where('personId', '=', personId)
      .execute();
    const disclosures = await trx.selectFrom('privateDisclosure').select(['recordedAt', 'body']).where('personId', '=', personId).orderBy('recordedAt').execute();
    const caseRef = new Map(cases.map((c) => [c.id, c.reference]));
    const notes = caseIds.length
      ? await trx.selectFrom('caseNote').select(['caseId', 'kind', 'occurredOn', 'body']).where('caseId', 'in', caseIds).where('erasedAt', 'is', null).orderBy('occurredOn').execute()
      : [];
    const documents = caseIds.length
      ? await trx.selectFrom('caseDocument').select(['caseId', 'fileName', 'uploadedAt']).where('caseId', 'in', caseIds).where('erasedAt', 'is', null).execute()
      : [];
    const questionnaires = await trx
      .selectFrom('administration')
      .innerJoin('respondent', 'respondent.id', 'administration.respondentId')
      .select(['administration.instrumentId', 'administration.timepoint', 'administration.completedOn', 'administration.scores'])
      .where('respondent.personId', '=', personId)
      .execute();
    const flags = familyIds.length
      ? await trx.selectFrom('safeguardingFlag').select(sql<number>`count(*)::int`.as('n')).where('familyId', 'in', familyIds).executeTakeFirstOrThrow()
      : { n: 0 };
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'export:subject_access', entityType: 'person', entityId: personId, ip: actor.ip, detail: { cases: caseIds.length } });
    const { organisationId: _o, version: _v, ...personFields } = person;
    return {
      generatedAt: new Date().toISOString(),
      organisation: org.name,
      person: personFields,
      families,
      cases: cases.map((c) => ({
        reference: c.reference,
        programme: c.programme,
        stage: c.stage,
        openedAt: c.openedAt.toISOString(),
        history: history.filter((h) => h.caseId === c.id).map((h) => ({ from: h.fromStage, to: h.toStage, reason: h.reason, at: h.changedAt.toISOString() })),
      })),
      referrals: referrals.map((r) => ({ reference: r.reference, receivedAt: r.receivedAt.toISOString(), status: r.status, reason: r.submission.reason })),
      riskAssessments: risks.map((r) => ({ ...r, recordedAt: r.recordedAt.toISOString() })),
      ownDisclosures: disclosures.map((d) => ({ recordedAt: d.recordedAt.toISOString(), body: d.body })),
      caseNotes: notes.map((n) => ({ caseReference: caseRef.get(n.caseId) ?? '', kind: n.kind, occurredOn: n.occurredOn, body: n.body })),
      documents: documents.map((d) => ({ caseReference: caseRef.get(d.caseId) ?? '', fileName: d.fileName, uploadedAt: d.uploadedAt.toISOString() })),
      questionnaires: questionnaires.map((q) => ({ instrument: q.instrumentId, timepoint: q.timepoint, completedOn: q.completedOn, scores: q.scores })),
      withheld: [
        ...(flags.n > 0 ? [`${flags.n} safeguarding record(s): for review by the data protection lead before any disclosure`] : []),
        'What other family members said in their own separate assessments',
      ],
    };
  });

const escapeHtml = (value: unknown): string =>
  String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

const table = (rows: Record<string, unknown>[]): string => {
  if (rows.length === 0) return '<p>None held.</p>';
  const columns = Object.keys(rows[0] ?? {});
  const cell = (v: unknown) => escapeHtml(typeof v === 'object' && v !== null ? JSON.stringify(v) : v);
  return `<table><thead><tr>${columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${columns.map((c) => `<td>${cell(r[c])}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
};

/** A readable, self-contained page of the bundle (print it to PDF from the browser). Every value is escaped. */
export const subjectAccessHtml = (b: SubjectAccessBundle): string => `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Subject access: ${escapeHtml(b.person.givenName)} ${escapeHtml(b.person.familyName)}</title>
<style>body{font-family:system-ui,Arial,sans-serif;margin:2rem;color:#0b0c0c}table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}th,td{border:1px solid #b1b4b6;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}h2{margin-top:2rem}</style></head>
<body><main>
<h1>Information held about ${escapeHtml(b.person.givenName)} ${escapeHtml(b.person.familyName)}</h1>
<p>Held by ${escapeHtml(b.organisation)}. Produced ${escapeHtml(b.generatedAt)} in answer to a subject access request.</p>
<h2>Personal details</h2>${table([b.person])}
<h2>Families</h2>${table(b.families.map((f) => ({ family: f.label, relationship: f.relationship, 'other members': f.members.map((m) => `${m.name} (${m.relationship})`).join(', ') })))}
<h2>Cases</h2>${table(b.cases.map((c) => ({ reference: c.reference, programme: c.programme, stage: c.stage, opened: c.openedAt, history: c.history.map((h) => `${h.at.slice(0, 10)} ${h.from ?? ''} → ${h.to} ${h.reason}`).join('; ') })))}
<h2>Referrals</h2>${table(b.referrals)}
<h2>Risk assessments</h2>${table(b.riskAssessments)}
<h2>What you told us in your separate assessment</h2>${table(b.ownDisclosures)}
<h2>Case notes</h2>${table(b.caseNotes)}
<h2>Documents</h2>${table(b.documents)}
<h2>Questionnaires</h2>${table(b.questionnaires)}
<h2>Withheld</h2><ul>${b.withheld.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>
</main></body></html>`;

/**
 * Erases one person's identifying details and their own disclosures, unless a legal hold applies. The erasure
 * log records what was erased and why, never the content.
 */
export const erasePerson = async (
  db: Db,
  actor: Actor,
  personId: string,
  reason: string,
): Promise<{ erased: boolean; keptBecause: string[]; records: { recordType: string; count: number }[] }> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const person = await trx.selectFrom('person').select(['id', 'erasedAt']).where('organisationId', '=', organisationId).where('id', '=', personId).executeTakeFirst();
    if (!person) throw notFound('Person');
    const holds = await legalHolds(trx, organisationId, personId);
    if (holds.length > 0) {
      await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'refuse:erasure', entityType: 'person', entityId: personId, ip: actor.ip, detail: { holds } });
      return { erased: false, keptBecause: holds, records: [] };
    }
    const now = new Date();
    const before = await trx.selectFrom('person').select(['givenName', 'familyName', 'dateOfBirth', 'email', 'phone']).where('id', '=', personId).executeTakeFirstOrThrow();
    // The referral that brought the family keeps the submitted form; the person's own entry in it goes too.
    const referrals = await trx
      .selectFrom('referral')
      .innerJoin('familyCase', 'familyCase.referralId', 'referral.id')
      .innerJoin('familyMember', 'familyMember.familyId', 'familyCase.familyId')
      .select(['referral.id', 'referral.submission'])
      .where('familyMember.personId', '=', personId)
      .execute();
    const redacted: string[] = [];
    for (const r of referrals) {
      let changed = false;
      const parents = r.submission.parents.map((p) => {
        const same =
          p.givenName.toLowerCase() === before.givenName.toLowerCase() &&
          p.familyName.toLowerCase() === before.familyName.toLowerCase() &&
          (!p.dateOfBirth || !before.dateOfBirth || p.dateOfBirth === before.dateOfBirth);
        if (!same) return p;
        changed = true;
        return { givenName: 'Erased', familyName: 'person', relationship: p.relationship, willingToAttend: p.willingToAttend };
      });
      // A self-referral's referrer is the person themselves.
      const ref = r.submission.referrer;
      const selfReferrer =
        ref.kind === 'self' &&
        ((before.email !== null && ref.email?.toLowerCase() === before.email.toLowerCase()) ||
          ref.name.toLowerCase() === `${before.givenName} ${before.familyName}`.toLowerCase());
      const referrer = selfReferrer ? { kind: ref.kind, name: 'Erased person' } : ref;
      if (!changed && !selfReferrer) continue;
      await trx.updateTable('referral').set({ submission: JSON.stringify({ ...r.submission, referrer, parents }) }).where('id', '=', r.id).execute();
      redacted.push(r.id);
    }
    await trx
      .updateTable('person')
      .set({ givenName: 'Erased', familyName: 'person', dateOfBirth: null, gender: null, email: null, phone: null, contactPreference: null, safeContactNotes: null, erasedAt: now, version: sql<number>`version + 1` })
      .where('id', '=', personId)
      .execute();
    const disclosures = await trx.updateTable('privateDisclosure').set({ body: '[erased]' }).where('personId', '=', personId).returning('id').execute();
    const risks = await trx
      .updateTable('riskAssessment')
      .set({ riskToChildNotes: '', domesticAbuseNotes: '', mentalHealthNotes: '', substanceUseNotes: '' })
      .where('personId', '=', personId)
      .returning('id')
      .execute();
    const logged = [
      { recordType: 'person', ids: [personId] },
      { recordType: 'private_disclosure', ids: disclosures.map((d) => d.id) },
      { recordType: 'risk_assessment_notes', ids: risks.map((r) => r.id) },
      { recordType: 'referral_entry', ids: redacted },
    ];
    const entries = logged.flatMap((l) => l.ids.map((recordId) => ({ organisationId, personId, recordType: l.recordType, recordId, reason, erasedBy: actor.userId })));
    if (entries.length > 0) await trx.insertInto('erasureLog').values(entries).execute();
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'erase:person', entityType: 'person', entityId: personId, ip: actor.ip, detail: { counts: logged.map((l) => ({ recordType: l.recordType, count: l.ids.length })) } });
    return { erased: true, keptBecause: [], records: logged.map((l) => ({ recordType: l.recordType, count: l.ids.length })) };
  });

export const getRetention = async (db: Db, actor: Actor): Promise<{ recordType: RetentionRecordType; keepMonths: number }[]> =>
  inScope(db, scopeOf(actor), (trx) => trx.selectFrom('retentionPolicy').select(['recordType', 'keepMonths']).where('organisationId', '=', orgOf(actor)).orderBy('recordType').execute());

export const setRetention = async (db: Db, actor: Actor, policies: { recordType: RetentionRecordType; keepMonths: number }[]): Promise<void> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    for (const p of policies) {
      await trx
        .insertInto('retentionPolicy')
        .values({ organisationId, recordType: p.recordType, keepMonths: p.keepMonths, updatedBy: actor.userId })
        .onConflict((oc) => oc.columns(['organisationId', 'recordType']).doUpdateSet({ keepMonths: p.keepMonths, updatedBy: actor.userId, updatedAt: new Date() }))
        .execute();
    }
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'update:retention', entityType: 'retention_policy', entityId: null, ip: actor.ip, detail: { policies } });
  });

/**
 * Applies the retention settings: notes and documents of cases closed longer ago than the setting are erased,
 * except where a legal hold applies to anyone in the family. Returns what was erased.
 */
export const applyRetention = async (db: Db, storage: FileStorage, actor: Actor): Promise<{ recordType: string; count: number; kept: number }[]> => {
  const toRemove: string[] = [];
  const result = await inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const policies = await trx.selectFrom('retentionPolicy').select(['recordType', 'keepMonths']).where('organisationId', '=', organisationId).execute();
    const keep = new Map(policies.map((p) => [p.recordType, p.keepMonths]));
    const summary: { recordType: string; count: number; kept: number }[] = [];
    for (const recordType of ['case_note', 'case_document'] as const) {
      const months = keep.get(recordType);
      if (!months) continue;
      const table = recordType === 'case_note' ? 'caseNote' : 'caseDocument';
      const candidates = await trx
        .selectFrom(table)
        .innerJoin('familyCase', 'familyCase.id', `${table}.caseId`)
        .select([`${table}.id as id`, 'familyCase.familyId'])
        .where('familyCase.organisationId', '=', organisationId)
        .where('familyCase.stage', '=', 'closed')
        .where('familyCase.closedAt', '<', sql<Date>`now() - make_interval(months => ${months})`)
        .where(`${table}.erasedAt`, 'is', null)
        .execute();
      let kept = 0;
      let count = 0;
      for (const c of candidates) {
        const held = await trx.selectFrom('safeguardingFlag').select('id').where('familyId', '=', c.familyId).executeTakeFirst();
        const adoptive = await trx.selectFrom('familyMember').select('personId').where('familyId', '=', c.familyId).where('relationship', '=', 'adoptive_parent').executeTakeFirst();
        if (held || adoptive) {
          kept += 1;
          continue;
        }
        if (recordType === 'case_note') {
          await trx.updateTable('caseNote').set({ body: '[erased under the retention policy]', erasedAt: new Date() }).where('id', '=', c.id).execute();
        } else {
          const doc = await trx.updateTable('caseDocument').set({ erasedAt: new Date() }).where('id', '=', c.id).returning('storageKey').executeTakeFirstOrThrow();
          toRemove.push(doc.storageKey);
        }
        await trx.insertInto('erasureLog').values({ organisationId, personId: null, recordType, recordId: c.id, reason: `Retention: kept ${months} months after the case closed`, erasedBy: actor.userId }).execute();
        count += 1;
      }
      summary.push({ recordType, count, kept });
    }
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'apply:retention', entityType: 'retention_policy', entityId: null, ip: actor.ip, detail: { summary } });
    return summary;
  });
  // Files go only after their rows are marked erased and committed.
  for (const key of toRemove) await storage.remove(key);
  return result;
};
