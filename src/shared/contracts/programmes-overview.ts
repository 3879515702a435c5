import { z } from 'zod';
import { uuid } from './common.ts';
import { capacityUnits, clockTime, groupStatuses, isoDate } from './programmes.ts';

/* The service manager's overview across sites (issue 5, item 7). */

export const overviewGroup = z.object({
  id: uuid,
  name: z.string(),
  programmeName: z.string(),
  status: z.enum(groupStatuses),
  startDate: isoDate,
  endDate: isoDate.nullable(),
  placesFilled: z.number().int(),
  capacity: z.number().int(),
  capacityUnit: z.enum(capacityUnits),
});

export const programmesOverview = z
  .object({
    sites: z.array(
      z.object({
        site: z.string(),
        planned: z.number().int(),
        running: z.number().int(),
        finished: z.number().int(),
        groups: z.array(overviewGroup).describe('Planned and running first, then finished; cancelled groups left out'),
      }),
    ),
    waitingList: z.object({
      families: z.number().int().describe('Cases awaiting a group'),
      longestWaitDays: z.number().int().nullable(),
      medianWaitDays: z.number().int().nullable(),
      placesFree: z.number().int().describe('Free places in planned and running groups'),
    }),
    dropOutRisk: z.array(
      z.object({ groupId: uuid, groupName: z.string(), caseId: uuid, familyLabel: z.string(), personName: z.string(), reason: z.string() }),
    ),
    sessionsWithoutFacilitators: z
      .array(z.object({ sessionId: uuid, groupId: uuid, groupName: z.string(), number: z.number().int(), onDate: isoDate, startTime: clockTime, problem: z.string() }))
      .describe("Sessions in the next four weeks whose facilitators do not meet the programme's rule"),
    facilitatorLoad: z
      .array(z.object({ userId: uuid, name: z.string(), groupSessions: z.number().int(), therapyAppointments: z.number().int() }))
      .describe('Sessions and booked appointments in the next four weeks'),
  })
  .meta({ id: 'ProgrammesOverview' });
