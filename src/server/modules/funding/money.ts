/**
 * The money rules of bought places, pure (no I/O): cancellation deadlines, what a withdrawal means, what each
 * place is charged and to whom, and the money at risk. Amounts are integer pence throughout; percentages are
 * applied with integer arithmetic and rounded half up to the penny.
 */

export const MIN_CELL_SIZE = 5;

const londonDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
/** Today's date where the services run. */
export const londonToday = (now: Date = new Date()): string => londonDay.format(now);

/** The date of session `n`; past the last session, the last session's date (the group has ended by then). */
export const sessionDate = (sessions: readonly { number: number; onDate: string }[], n: number): string => {
  const ordered = [...sessions].sort((a, b) => a.number - b.number);
  const hit = ordered.find((s) => s.number === n) ?? ordered.at(-1);
  if (!hit) throw new RangeError('a group without sessions has no deadlines');
  return hit.onDate;
};

export type Terms = { refundableBeforeSession: number; refillBeforeSession: number; lateChargePercent: number };

export const deadlinesOf = (sessions: readonly { number: number; onDate: string }[], terms: Terms): { refundDeadline: string; refillDeadline: string } => ({
  refundDeadline: sessionDate(sessions, terms.refundableBeforeSession),
  refillDeadline: sessionDate(sessions, terms.refillBeforeSession),
});

/**
 * A withdrawal dated before the refund point is refundable; one dated on or after the re-fill point is late: the
 * place cannot be re-filled and its value is lost.
 */
export const classifyWithdrawal = (on: string, block: { refundDeadline: string; refillDeadline: string }): { refundable: boolean; late: boolean } => ({
  refundable: on < block.refundDeadline,
  late: on >= block.refillDeadline,
});

export type PlaceState = {
  status: 'vacant' | 'filled' | 'freed';
  freedLate: boolean;
  refundable: boolean;
  everFilled: boolean;
  atRisk: boolean;
  payerOrganisationId: string;
};

/** A place can still be filled (from the waiting list, or by a partner's claim) until the re-fill deadline day. */
export const fillable = (place: Pick<PlaceState, 'status' | 'freedLate'>, refillDeadline: string, today: string): boolean =>
  place.status !== 'filled' && !place.freedLate && today <= refillDeadline;

/** Percent of a price in whole pence, half up, without floating point. */
export const percentOf = (pence: number, percent: number): number => {
  if (!Number.isSafeInteger(pence) || !Number.isSafeInteger(percent)) throw new RangeError('pence and percent must be integers');
  return Math.floor((pence * percent + 50) / 100);
};

export type Charge = { pence: number; payerOrganisationId: string; reason: 'bought' | 'refunded' | 'late_withdrawal' | 'attended' | 'not_started' };

/**
 * What one place is charged. A block place is the buyer's commitment: charged whether filled or not, except a
 * place freed in time for a refund and not re-filled, which is owed back. Per-family (spot) purchases pay for a
 * family that started; a family withdrawn before the refund point pays nothing, after it the late charge.
 */
export const chargeFor = (kind: 'block' | 'spot' | 'grant', place: PlaceState, pricePence: number, lateChargePercent: number): Charge => {
  const payer = place.payerOrganisationId;
  if (kind === 'grant') return { pence: 0, payerOrganisationId: payer, reason: 'not_started' };
  if (kind === 'block') {
    if (place.status === 'freed' && place.refundable) return { pence: 0, payerOrganisationId: payer, reason: 'refunded' };
    return { pence: pricePence, payerOrganisationId: payer, reason: 'bought' };
  }
  if (!place.everFilled) return { pence: 0, payerOrganisationId: payer, reason: 'not_started' };
  if (place.status === 'freed') {
    return place.refundable
      ? { pence: 0, payerOrganisationId: payer, reason: 'refunded' }
      : { pence: percentOf(pricePence, lateChargePercent), payerOrganisationId: payer, reason: 'late_withdrawal' };
  }
  return { pence: pricePence, payerOrganisationId: payer, reason: 'attended' };
};

export type RiskPlace = PlaceState & { pricePence: number; refillDeadline: string };

export type MoneyAtRisk = {
  placesBought: number;
  placesFilled: number;
  placesVacant: number;
  /** Freed on or after the re-fill deadline. */
  placesFreedLate: number;
  /** Vacant or freed, still fillable before the deadline. */
  placesFillable: number;
  /** Value bought that can no longer be filled: vacant or freed places past their re-fill deadline (not refunded). */
  lostPence: number;
  /** Value of places that are empty now but can still be filled. */
  fillablePence: number;
  /** Families at risk of dropping out (attendance), and the value of their places. */
  familiesAtRisk: number;
  atRiskPence: number;
  valueBoughtPence: number;
};

export const moneyAtRisk = (places: readonly RiskPlace[], today: string): MoneyAtRisk => {
  const r: MoneyAtRisk = { placesBought: 0, placesFilled: 0, placesVacant: 0, placesFreedLate: 0, placesFillable: 0, lostPence: 0, fillablePence: 0, familiesAtRisk: 0, atRiskPence: 0, valueBoughtPence: 0 };
  for (const p of places) {
    r.placesBought += 1;
    r.valueBoughtPence += p.pricePence;
    if (p.status === 'filled') {
      r.placesFilled += 1;
      if (p.atRisk) {
        r.familiesAtRisk += 1;
        r.atRiskPence += p.pricePence;
      }
      continue;
    }
    r.placesVacant += 1;
    if (p.freedLate) r.placesFreedLate += 1;
    if (fillable(p, p.refillDeadline, today)) {
      r.placesFillable += 1;
      r.fillablePence += p.pricePence;
    } else if (!(p.status === 'freed' && p.refundable)) {
      r.lostPence += p.pricePence;
    }
  }
  return r;
};

/** Counts of families shown to commissioners: 1 to 4 are withheld (null) so no family can be singled out. */
export const suppressSmall = (count: number, minCellSize = MIN_CELL_SIZE): number | null => (count > 0 && count < minCellSize ? null : count);

/** £1,234.56 from pence, exactly. */
export const formatPounds = (pence: number): string => {
  const negative = pence < 0;
  const abs = Math.abs(pence);
  const pounds = Math.floor(abs / 100).toLocaleString('en-GB');
  const p = String(abs % 100).padStart(2, '0');
  return `${negative ? '-' : ''}£${pounds}.${p}`;
};
