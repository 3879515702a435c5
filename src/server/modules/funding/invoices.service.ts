import { sql, type Selectable } from 'kysely';
import type { z } from 'zod';
import type { createInvoiceBody, fundingReturn, invoice as invoiceSchema } from '../../../shared/contracts/funding.ts';
import type { Db, Trx } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { AppError, badField, notFound, staleVersion } from '../../platform/http/app-error.ts';
import { printPdf } from '../../platform/pdf/print-pdf.ts';
import { recordAudit } from '../audit/index.ts';
import { outcomeFiguresForCases } from '../evaluation/index.ts';
import { placementDoses, programmePlacements } from '../programmes/index.ts';
import { isCommissioner, num, organisationNames, orgOf, visibleContract, type ContractRow } from './funding-access.ts';
import type { GroupPlaceTable, PlaceBlockTable } from './funding.tables.ts';
import { creditsFor, invoiceLinesFor, netBilled, type Billed, type PlaceCharge } from './invoice-lines.ts';
import { chargeFor, formatPounds, suppressSmall } from './money.ts';
import { asProvider, refreshRisk } from './places.service.ts';
import { instalmentsOf, storedTargets } from './contracts.service.ts';

type Invoice = z.infer<typeof invoiceSchema>;
type PlaceRow = Selectable<GroupPlaceTable>;
type BlockRow = Selectable<PlaceBlockTable>;

const describePlace = (b: BlockRow, p: PlaceRow, payerName: string, kind: ContractRow['purchaseKind']): string => {
  const state =
    p.status === 'filled'
      ? 'filled'
      : p.status === 'freed'
        ? p.freedLate
          ? `freed late (withdrawal on ${p.freedOn ?? ''}, after the re-fill deadline ${b.refillDeadline})`
          : `freed on ${p.freedOn ?? ''}`
        : p.everFilled
          ? 'vacant'
          : 'not filled';
  const who = kind === 'spot' ? 'family place' : 'place';
  return `${b.groupLabel} (from ${b.groupStartDate}), ${who} ${p.number}: ${state}; charged to ${payerName}`;
};

/** Each place's charge now, for the contract's places on groups starting in the period. */
const chargesOf = async (trx: Trx, contract: ContractRow, period: { from: string; to: string }): Promise<PlaceCharge[]> => {
  const blocks = await trx
    .selectFrom('placeBlock')
    .selectAll()
    .where('contractId', '=', contract.id)
    .where('groupStartDate', '>=', period.from)
    .where('groupStartDate', '<=', period.to)
    .orderBy('groupStartDate')
    .orderBy('boughtAt')
    .execute();
  if (blocks.length === 0) return [];
  const places = await trx.selectFrom('groupPlace').selectAll().where('blockId', 'in', blocks.map((b) => b.id)).orderBy('number').execute();
  const names = await organisationNames(trx, places.map((p) => p.payerOrganisationId));
  return blocks.flatMap((b) =>
    places
      .filter((p) => p.blockId === b.id)
      .map((p) => {
        const charge = chargeFor(contract.purchaseKind, p, b.pricePence, contract.lateChargePercent);
        return { placeId: p.id, description: describePlace(b, p, names.get(charge.payerOrganisationId) ?? '', contract.purchaseKind), payerOrganisationId: charge.payerOrganisationId, pence: charge.pence };
      }),
  );
};

const billedSoFar = async (trx: Trx, contractId: string): Promise<{ invoiced: (Billed & { invoiceId: string })[]; credited: Billed[] }> => {
  const invoiced = await trx
    .selectFrom('invoiceLine')
    .innerJoin('invoice', 'invoice.id', 'invoiceLine.invoiceId')
    .select(['invoiceLine.invoiceId', 'invoiceLine.groupPlaceId', 'invoiceLine.payerOrganisationId', 'invoiceLine.amountPence'])
    .where('invoiceLine.contractId', '=', contractId)
    .where('invoice.status', '=', 'issued')
    .execute();
  const credited = await trx.selectFrom('creditNoteLine').select(['groupPlaceId', 'payerOrganisationId', 'amountPence']).where('contractId', '=', contractId).execute();
  return {
    invoiced: invoiced.flatMap((l) => (l.groupPlaceId ? [{ invoiceId: l.invoiceId, placeId: l.groupPlaceId, payerOrganisationId: l.payerOrganisationId, pence: num(l.amountPence) }] : [])),
    credited: credited.flatMap((l) => (l.groupPlaceId ? [{ placeId: l.groupPlaceId, payerOrganisationId: l.payerOrganisationId, pence: num(l.amountPence) }] : [])),
  };
};

const loadInvoice = async (trx: Trx, actor: Actor, invoiceId: string) => {
  const row = isCommissioner(actor)
    ? await trx.selectFrom('invoice').selectAll().where('id', '=', invoiceId).where('status', '=', 'issued').executeTakeFirst()
    : await trx.selectFrom('invoice').selectAll().where('organisationId', '=', orgOf(actor)).where('id', '=', invoiceId).executeTakeFirst();
  if (!row) throw notFound('Invoice');
  const { contract } = await visibleContract(trx, actor, row.contractId).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'not_found') throw notFound('Invoice');
    throw error;
  });
  return { invoice: row, contract };
};

const presentInvoice = async (trx: Trx, actor: Actor, invoiceId: string): Promise<Invoice> => {
  const { invoice: inv, contract } = await loadInvoice(trx, actor, invoiceId);
  const lines = await trx.selectFrom('invoiceLine').selectAll().where('invoiceId', '=', inv.id).orderBy('lineNo').execute();
  const notes = await trx.selectFrom('creditNote').selectAll().where('invoiceId', '=', inv.id).orderBy('issuedAt').execute();
  const noteLines = notes.length === 0 ? [] : await trx.selectFrom('creditNoteLine').selectAll().where('creditNoteId', 'in', notes.map((n) => n.id)).orderBy('lineNo').execute();
  let owed: { description: string; payerOrganisationId: string; pence: number }[] = [];
  if (inv.status === 'issued' && !isCommissioner(actor)) {
    const { invoiced, credited } = await billedSoFar(trx, contract.id);
    const charges = await chargesOf(trx, contract, { from: inv.periodStart, to: inv.periodEnd });
    owed = creditsFor(charges, netBilled(invoiced, credited), invoiced.filter((b) => b.invoiceId === inv.id));
  }
  const funder = await trx.selectFrom('funder').select('name').where('id', '=', contract.funderId).executeTakeFirst();
  const names = await organisationNames(trx, [
    contract.organisationId,
    ...lines.map((l) => l.payerOrganisationId),
    ...noteLines.map((l) => l.payerOrganisationId),
    ...owed.map((c) => c.payerOrganisationId),
  ]);
  const totals = new Map<string, number>();
  for (const l of lines) totals.set(l.payerOrganisationId, (totals.get(l.payerOrganisationId) ?? 0) + num(l.amountPence));
  return {
    id: inv.id,
    number: inv.number,
    contractId: contract.id,
    contractReference: contract.reference,
    contractTitle: contract.title,
    providerName: names.get(contract.organisationId) ?? '',
    funderName: funder?.name ?? '',
    periodStart: inv.periodStart,
    periodEnd: inv.periodEnd,
    status: inv.status,
    totalPence: num(inv.totalPence),
    issuedAt: inv.issuedAt ? inv.issuedAt.toISOString() : null,
    lines: lines.map((l) => ({
      lineNo: l.lineNo,
      description: l.description,
      payerOrganisationId: l.payerOrganisationId,
      payerName: names.get(l.payerOrganisationId) ?? '',
      quantity: l.quantity,
      unitPence: l.unitPence,
      amountPence: num(l.amountPence),
    })),
    totalsByPayer: [...totals].map(([payer, pence]) => ({ payerName: names.get(payer) ?? '', pence })),
    creditNotes: notes.map((n) => ({
      id: n.id,
      number: n.number,
      reason: n.reason,
      totalPence: num(n.totalPence),
      issuedAt: n.issuedAt.toISOString(),
      lines: noteLines.filter((l) => l.creditNoteId === n.id).map((l) => ({ lineNo: l.lineNo, description: l.description, payerName: names.get(l.payerOrganisationId) ?? '', amountPence: num(l.amountPence) })),
    })),
    creditable: owed.map((c) => ({ description: c.description, payerName: names.get(c.payerOrganisationId) ?? '', amountPence: c.pence })),
    version: inv.version,
  };
};

export const getInvoice = async (db: Db, actor: Actor, invoiceId: string): Promise<Invoice> => inScope(db, scopeOf(actor), (trx) => presentInvoice(trx, actor, invoiceId));

const longDay = (iso: string): string => new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * A grant's invoice lines: each instalment whose period starts in the invoice's period and that no issued invoice has
 * billed, charged in full to the lead agency. A grant has no places, so nothing on it is ever owed back.
 */
const instalmentLines = async (trx: Trx, contract: ContractRow, period: { periodStart: string; periodEnd: string }) => {
  const lead = await trx.selectFrom('contractParty').select('partyOrganisationId').where('contractId', '=', contract.id).where('role', '=', 'lead').executeTakeFirstOrThrow();
  const all = await instalmentsOf(trx, contract);
  return all
    .filter((i) => i.invoiceNumber === null && i.periodStart >= period.periodStart && i.periodStart <= period.periodEnd && i.amountPence > 0)
    .map((i) => ({
      description: `Grant instalment ${i.number} of ${all.length}: ${longDay(i.periodStart)} to ${longDay(i.periodEnd)}`,
      placeId: null,
      instalment: i.number,
      payerOrganisationId: lead.partyOrganisationId,
      due: i.amountPence,
    }));
};

/**
 * A draft invoice for the period: each place on a group starting in it, charged by the contract's terms, less what
 * earlier issued invoices and credit notes already settled. A new draft replaces the contract's previous draft.
 */
export const createInvoice = async (db: Db, actor: Actor, contractId: string, body: z.infer<typeof createInvoiceBody>): Promise<Invoice> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { contract } = await visibleContract(trx, actor, contractId);
    if (body.periodEnd < body.periodStart) throw badField('body.periodEnd', 'must be on or after the period start');
    await trx.selectFrom('contract').select('id').where('id', '=', contract.id).forUpdate().execute();
    const drafts = await trx.selectFrom('invoice').select('id').where('contractId', '=', contract.id).where('status', '=', 'draft').execute();
    if (drafts.length > 0) {
      await trx.deleteFrom('invoiceLine').where('invoiceId', 'in', drafts.map((d) => d.id)).execute();
      await trx.deleteFrom('invoice').where('id', 'in', drafts.map((d) => d.id)).execute();
    }
    let lines: { description: string; placeId: string | null; instalment: number | null; payerOrganisationId: string; due: number }[];
    if (contract.purchaseKind === 'grant') {
      lines = await instalmentLines(trx, contract, body);
      if (lines.length === 0) throw badField('body.periodStart', 'nothing to invoice: no grant instalment starting in this period is unbilled');
    } else {
      await refreshRisk(trx, organisationId, [contract.id]);
      const { invoiced, credited } = await billedSoFar(trx, contract.id);
      lines = invoiceLinesFor(await chargesOf(trx, contract, { from: body.periodStart, to: body.periodEnd }), netBilled(invoiced, credited)).map((l) => ({ ...l, instalment: null }));
      if (lines.length === 0) throw badField('body.periodStart', 'nothing to invoice: no places on groups starting in this period are unbilled');
    }
    const issuedCount = await trx.selectFrom('invoice').select(sql<number>`count(*)::int`.as('n')).where('contractId', '=', contract.id).executeTakeFirstOrThrow();
    const total = lines.reduce((s, l) => s + l.due, 0);
    const row = await trx
      .insertInto('invoice')
      .values({ organisationId, contractId: contract.id, number: `${contract.reference}-${String(Number(issuedCount.n) + 1).padStart(3, '0')}`, periodStart: body.periodStart, periodEnd: body.periodEnd, totalPence: total, createdBy: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('invoiceLine')
      .values(lines.map((l, i) => ({ organisationId, contractId: contract.id, invoiceId: row.id, lineNo: i + 1, description: l.description, groupPlaceId: l.placeId, grantInstalment: l.instalment, payerOrganisationId: l.payerOrganisationId, quantity: 1, unitPence: l.due, amountPence: l.due })))
      .execute();
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'create:invoice', entityType: 'invoice', entityId: row.id, ip: actor.ip, detail: { contractId: contract.id, ...body, totalPence: total, lines: lines.length } });
    return presentInvoice(trx, actor, row.id);
  });

/** Issuing makes the invoice final: from then on it is only ever credited. */
export const issueInvoice = async (db: Db, actor: Actor, invoiceId: string, body: { version: number }): Promise<Invoice> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { invoice: inv } = await loadInvoice(trx, actor, invoiceId);
    if (inv.status === 'issued') throw new AppError('conflict', `Invoice ${inv.number} is already issued; it can only be credited`);
    if (inv.version !== body.version) throw staleVersion('This invoice');
    const updated = await trx
      .updateTable('invoice')
      .set({ status: 'issued', issuedAt: new Date(), issuedBy: actor.userId, version: sql<number>`version + 1` })
      .where('id', '=', invoiceId)
      .where('version', '=', body.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw staleVersion('This invoice');
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'issue:invoice', entityType: 'invoice', entityId: invoiceId, ip: actor.ip, detail: { number: inv.number, totalPence: num(inv.totalPence) } });
    return presentInvoice(trx, actor, invoiceId);
  });

/** Credits the refundable withdrawals (and places a partner took over) that this issued invoice billed. */
export const creditInvoice = async (db: Db, actor: Actor, invoiceId: string, body: { reason: string }): Promise<Invoice> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { invoice: inv, contract } = await loadInvoice(trx, actor, invoiceId);
    if (inv.status !== 'issued') throw new AppError('conflict', 'A draft invoice is regenerated, not credited');
    await trx.selectFrom('contract').select('id').where('id', '=', contract.id).forUpdate().execute();
    const { invoiced, credited } = await billedSoFar(trx, contract.id);
    const charges = await chargesOf(trx, contract, { from: inv.periodStart, to: inv.periodEnd });
    const credits = creditsFor(charges, netBilled(invoiced, credited), invoiced.filter((b) => b.invoiceId === inv.id));
    if (credits.length === 0) throw badField('body.reason', 'nothing on this invoice is owed back: no refundable withdrawal or claimed place since it was issued');
    const count = await trx.selectFrom('creditNote').select(sql<number>`count(*)::int`.as('n')).where('invoiceId', '=', inv.id).executeTakeFirstOrThrow();
    const total = credits.reduce((s, c) => s + c.pence, 0);
    const note = await trx
      .insertInto('creditNote')
      .values({ organisationId, contractId: contract.id, invoiceId: inv.id, number: `${inv.number}-CN${Number(count.n) + 1}`, reason: body.reason, totalPence: total, issuedBy: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('creditNoteLine')
      .values(credits.map((c, i) => ({ organisationId, contractId: contract.id, creditNoteId: note.id, lineNo: i + 1, description: c.description, groupPlaceId: c.placeId, payerOrganisationId: c.payerOrganisationId, amountPence: c.pence })))
      .execute();
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'credit:invoice', entityType: 'invoice', entityId: inv.id, ip: actor.ip, detail: { creditNoteId: note.id, totalPence: total, places: credits.map((c) => c.placeId), reason: body.reason } });
    return presentInvoice(trx, actor, inv.id);
  });

const csvCell = (value: string | number): string => {
  const text = String(value);
  // A leading = + - @ would be read as a formula by spreadsheets.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};
const pounds = (pence: number): string => (pence / 100).toFixed(2);

export const invoiceCsv = (inv: Invoice): string => {
  const rows: (string | number)[][] = [['invoice', 'contract', 'period_start', 'period_end', 'status', 'line', 'description', 'charged_to', 'quantity', 'unit_gbp', 'amount_gbp', 'amount_pence']];
  for (const l of inv.lines) rows.push([inv.number, inv.contractReference, inv.periodStart, inv.periodEnd, inv.status, l.lineNo, l.description, l.payerName, l.quantity, pounds(l.unitPence), pounds(l.amountPence), l.amountPence]);
  for (const n of inv.creditNotes) for (const l of n.lines) rows.push([n.number, inv.contractReference, inv.periodStart, inv.periodEnd, 'credit', l.lineNo, l.description, l.payerName, 1, pounds(-l.amountPence), pounds(-l.amountPence), -l.amountPence]);
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
};

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export const invoiceHtml = (inv: Invoice): string => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Invoice ${esc(inv.number)}</title>
<style>body{font-family:Arial,sans-serif;font-size:11pt;color:#0b0c0c}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #b1b4b6;padding:4px;text-align:left;vertical-align:top}td.n,th.n{text-align:right}h1{font-size:18pt}</style></head><body>
<h1>${inv.status === 'draft' ? 'DRAFT ' : ''}Invoice ${esc(inv.number)}</h1>
<p>From ${esc(inv.providerName)} · Contract ${esc(inv.contractReference)} (${esc(inv.contractTitle)}) · Funder ${esc(inv.funderName)}<br>Period ${esc(inv.periodStart)} to ${esc(inv.periodEnd)}${inv.issuedAt ? ` · Issued ${esc(inv.issuedAt.slice(0, 10))}` : ''}</p>
<table><thead><tr><th>#</th><th>Description</th><th>Charged to</th><th class="n">Amount</th></tr></thead><tbody>
${inv.lines.map((l) => `<tr><td>${l.lineNo}</td><td>${esc(l.description)}</td><td>${esc(l.payerName)}</td><td class="n">${esc(formatPounds(l.amountPence))}</td></tr>`).join('\n')}
</tbody><tfoot><tr><th colspan="3">Total</th><th class="n">${esc(formatPounds(inv.totalPence))}</th></tr>
${inv.totalsByPayer.map((t) => `<tr><td colspan="3">of which charged to ${esc(t.payerName)}</td><td class="n">${esc(formatPounds(t.pence))}</td></tr>`).join('\n')}</tfoot></table>
${inv.creditNotes.map((n) => `<h2>Credit note ${esc(n.number)}</h2><p>${esc(n.reason)}</p><table><tbody>${n.lines.map((l) => `<tr><td>${esc(l.description)}</td><td>${esc(l.payerName)}</td><td class="n">-${esc(formatPounds(l.amountPence))}</td></tr>`).join('')}</tbody></table>`).join('\n')}
</body></html>`;

export const exportInvoice = async (db: Db, actor: Actor, invoiceId: string, format: 'csv' | 'pdf'): Promise<{ body: string | Buffer; contentType: string; filename: string }> => {
  const inv = await inScope(db, scopeOf(actor), async (trx) => {
    const out = await presentInvoice(trx, actor, invoiceId);
    await recordAudit(trx, { organisationId: orgOf(actor), actorUserId: actor.userId, action: 'export:invoice', entityType: 'invoice', entityId: invoiceId, ip: actor.ip, detail: { format } });
    return out;
  });
  if (format === 'csv') return { body: invoiceCsv(inv), contentType: 'text/csv; charset=utf-8', filename: `${inv.number}.csv` };
  return { body: await printPdf(invoiceHtml(inv)), contentType: 'application/pdf', filename: `${inv.number}.pdf` };
};

const quarterRange = (quarter: string): { from: string; to: string } => {
  const year = Number(quarter.slice(0, 4));
  const q = Number(quarter.slice(-1));
  const startMonth = (q - 1) * 3 + 1;
  const endMonth = startMonth + 2;
  const lastDay = new Date(Date.UTC(year, endMonth, 0)).getUTCDate();
  return { from: `${year}-${String(startMonth).padStart(2, '0')}-01`, to: `${year}-${String(endMonth).padStart(2, '0')}-${String(lastDay).padStart(2, '0')}` };
};

/**
 * The quarterly return to the funder: families reached and completing (in the quarter and to date) against the
 * contract's targets, places bought and filled, money invoiced and credited. Commissioners get small counts withheld.
 */
export const contractReturn = async (db: Db, actor: Actor, contractId: string, quarter: string, minCellSize: number): Promise<z.infer<typeof fundingReturn>> => {
  const { contract } = await inScope(db, scopeOf(actor), (trx) => visibleContract(trx, actor, contractId));
  const { from, to } = quarterRange(quarter);
  const suppress = isCommissioner(actor);
  // Reach and completion come from the provider's placements; only counts leave its scope.
  const counts = await asProvider(db, contract.organisationId, actor, async (trx) => {
    // A grant's families are those placed on the programme it funds during its period; a purchase's are those who
    // filled its places.
    const reached =
      contract.purchaseKind === 'grant'
        ? contract.programmeId === null
          ? []
          : (await programmePlacements(trx, contract.organisationId, contract.programmeId, to)).filter((p) => p.placedOn >= contract.periodStart && p.placedOn <= contract.periodEnd)
        : (
            await trx
              .selectFrom('placeOccupancy')
              .innerJoin('groupPlace', 'groupPlace.id', 'placeOccupancy.groupPlaceId')
              .select(['placeOccupancy.placementId', 'placeOccupancy.filledAt'])
              .where('groupPlace.contractId', '=', contract.id)
              .execute()
          ).map((o) => ({ placementId: o.placementId, placedOn: o.filledAt.toISOString().slice(0, 10) }));
    const toDate = reached.filter((o) => o.placedOn <= to);
    const inQuarter = toDate.filter((o) => o.placedOn >= from);
    const doses = await placementDoses(trx, contract.organisationId, [...new Set(toDate.map((o) => o.placementId))]);
    const completed = (list: typeof toDate) => new Set(list.filter((o) => doses.get(o.placementId)?.completer).map((o) => o.placementId)).size;
    const places = await trx.selectFrom('groupPlace').select(['status', 'everFilled']).where('contractId', '=', contract.id).execute();
    return {
      caseIds: [...new Set([...doses.values()].map((d) => d.caseId))],
      reached: new Set(inQuarter.map((o) => o.placementId)).size,
      reachedToDate: new Set(toDate.map((o) => o.placementId)).size,
      completers: completed(inQuarter),
      completersToDate: completed(toDate),
      placesBought: places.length,
      placesFilled: places.filter((p) => p.status === 'filled').length,
    };
  });
  // Outcomes are to date: a family's pre and post questionnaires are rarely in one quarter, and the report pairs
  // only administrations that both fall in its period. The evaluation module computes them in the provider's scope,
  // suppressed for commissioners as any aggregate audience is.
  const targets = storedTargets(contract.outcomeTargets);
  const specs = targets.flatMap((t) => (t.measure === null ? [] : [{ instrument: t.instrument, scale: t.scale, measure: t.measure }]));
  const figures = await outcomeFiguresForCases(db, { organisationId: contract.organisationId, userId: actor.userId }, { caseIds: counts.caseIds, from: contract.periodStart, to, minCellSize: suppress ? minCellSize : null, specs });
  let next = 0;
  const outcomes = targets.map((t) => {
    const f = t.measure === null ? null : figures[next++];
    return {
      description: t.description,
      instrument: t.instrument,
      instrumentTitle: f?.instrumentTitle ?? t.instrument,
      scale: f?.scale ?? t.scale ?? '',
      scaleLabel: f?.scaleLabel ?? '',
      measure: t.measure,
      target: t.target,
      figure: f?.figure ?? null,
      numerator: f?.numerator ?? null,
      n: f?.n ?? null,
      met: f?.figure === null || f?.figure === undefined ? null : f.figure >= t.target,
      suppressed: f?.suppressed ?? false,
      reason: f ? f.reason : 'unknown_measure',
    };
  });
  return inScope(db, scopeOf(actor), async (trx) => {
    const funder = await trx.selectFrom('funder').select('name').where('id', '=', contract.funderId).executeTakeFirst();
    const invoiced = await trx
      .selectFrom('invoice')
      .select(sql<string>`coalesce(sum(total_pence), 0)::text`.as('pence'))
      .where('contractId', '=', contract.id)
      .where('status', '=', 'issued')
      .where('periodStart', '<=', to)
      .where('periodEnd', '>=', from)
      .executeTakeFirstOrThrow();
    const credited = await trx
      .selectFrom('creditNote')
      .select(sql<string>`coalesce(sum(total_pence), 0)::text`.as('pence'))
      .where('contractId', '=', contract.id)
      .where(sql<boolean>`(issued_at AT TIME ZONE 'Europe/London')::date BETWEEN ${from}::date AND ${to}::date`)
      .executeTakeFirstOrThrow();
    const show = (n: number): number | null => (suppress ? suppressSmall(n, minCellSize) : n);
    if (!suppress) await recordAudit(trx, { organisationId: orgOf(actor), actorUserId: actor.userId, action: 'view:funding_return', entityType: 'contract', entityId: contract.id, ip: actor.ip, detail: { quarter, families: counts.caseIds.length } });
    return {
      contractReference: contract.reference,
      contractTitle: contract.title,
      funderName: funder?.name ?? '',
      quarter,
      from,
      to,
      familiesReached: show(counts.reached),
      familiesReachedToDate: show(counts.reachedToDate),
      targetFamilies: contract.targetFamilies,
      completers: show(counts.completers),
      completersToDate: show(counts.completersToDate),
      targetCompleters: contract.targetCompleters,
      placesBought: counts.placesBought,
      placesFilled: counts.placesFilled,
      invoicedPence: num(invoiced.pence),
      creditedPence: num(credited.pence),
      outcomeTargets: targets,
      outcomesFrom: contract.periodStart,
      outcomes,
      suppressed: suppress,
      minCellSize: suppress ? minCellSize : null,
    };
  });
};
