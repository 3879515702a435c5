import type { z } from 'zod';
import { diary, therapistAvailability, therapySeriesDetail, therapySeriesList, type bookSeriesBody } from '../../../shared/contracts/therapy.ts';
import { request } from '../../api/client.ts';

/* Typed calls for the therapy pages. */

export type SeriesSummary = z.infer<typeof therapySeriesList>['series'][number];
export type SeriesDetail = z.infer<typeof therapySeriesDetail>;
export type Appointment = SeriesDetail['appointments'][number];
export type Diary = z.infer<typeof diary>;
export type Availability = z.infer<typeof therapistAvailability>;

const id = encodeURIComponent;

export const therapyApi = {
  list: () => request('GET', '/therapy-series', { schema: therapySeriesList }).then((list) => list.series),
  get: (seriesId: string) => request('GET', `/therapy-series/${id(seriesId)}`, { schema: therapySeriesDetail }),
  book: (caseId: string, body: z.input<typeof bookSeriesBody>) => request('POST', `/cases/${id(caseId)}/therapy-series`, { body, schema: therapySeriesDetail }),
  reschedule: (appointmentId: string, body: { onDate: string; startTime?: string | undefined; reason: string; outsideAvailabilityReason?: string; version: number }) =>
    request('POST', `/therapy-appointments/${id(appointmentId)}/reschedule`, { body, schema: therapySeriesDetail }),
  outcome: (appointmentId: string, body: { outcome: string; note?: string | undefined; version: number }) =>
    request('POST', `/therapy-appointments/${id(appointmentId)}/outcome`, { body, schema: therapySeriesDetail }),
  diary: (query: { therapistId?: string | undefined; from?: string | undefined; to?: string | undefined }) => request('GET', '/diary', { query, schema: diary }),
  availability: (therapistId: string) => request('GET', `/therapists/${id(therapistId)}/availability`, { schema: therapistAvailability }),
  setAvailability: (therapistId: string, body: { windows: { weekday: number; startTime: string; endTime: string }[]; version: number }) =>
    request('PUT', `/therapists/${id(therapistId)}/availability`, { body, schema: therapistAvailability }),
};

export const statusLabels: Record<Appointment['status'], string> = {
  booked: 'Booked',
  attended: 'Attended',
  did_not_attend: 'Did not attend',
  cancelled_by_family: 'Cancelled by the family',
  late_cancellation: 'Late cancellation',
  cancelled_by_service: 'Cancelled by the service',
};
export const statusColours = {
  booked: 'blue',
  attended: 'green',
  did_not_attend: 'red',
  cancelled_by_family: 'grey',
  late_cancellation: 'yellow',
  cancelled_by_service: 'grey',
} as const;

/**
 * A clash names an appointment and its date in a sentence of its own ("appointment 2 on … clashes with …"); it
 * reads better without the field's label in front.
 */
export const withoutLabel = <P extends { fields: Record<string, string> }>(problems: P, field: string, label: string): P => {
  const message = problems.fields[field];
  if (!message?.startsWith(`${label} appointment `)) return problems;
  const sentence = message.slice(label.length + 1);
  return { ...problems, fields: { ...problems.fields, [field]: `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}` } };
};
