import type { z } from 'zod';
import {
  groupDetail,
  groupDose,
  groupList,
  placement,
  programmeTemplate,
  register,
  registerSaved,
  type createGroupBody,
} from '../../../shared/contracts/programmes.ts';
import { request } from '../../api/client.ts';

/* Typed calls for the group pages (kept beside them rather than in api/endpoints.ts, which other pages share). */

export type GroupSummary = z.infer<typeof groupList>['groups'][number];
export type GroupDetail = z.infer<typeof groupDetail>;
export type GroupSession = GroupDetail['sessions'][number];
export type Placement = z.infer<typeof placement>;
export type Register = z.infer<typeof register>;
export type RegisterSaved = z.infer<typeof registerSaved>;
export type GroupDose = z.infer<typeof groupDose>;
export type ProgrammeTemplate = z.infer<typeof programmeTemplate>;

const id = encodeURIComponent;

export const groupsApi = {
  list: () => request('GET', '/groups', { schema: groupList }).then((list) => list.groups),
  get: (groupId: string) => request('GET', `/groups/${id(groupId)}`, { schema: groupDetail }),
  create: (body: z.input<typeof createGroupBody>) => request('POST', '/groups', { body, schema: groupDetail }),
  programme: (programmeId: string) => request('GET', `/programmes/${id(programmeId)}`, { schema: programmeTemplate }),
  assignFacilitators: (sessionId: string, body: { facilitatorIds: string[]; ruleOverrideReason?: string | undefined; version: number }) =>
    request('PUT', `/sessions/${id(sessionId)}/facilitators`, { body, schema: groupDetail }),
  place: (groupId: string, body: { caseId: string; caseVersion: number }) => request('POST', `/groups/${id(groupId)}/placements`, { body, schema: placement }),
  withdraw: (placementId: string, body: { on: string; reason: string; version: number }) =>
    request('POST', `/placements/${id(placementId)}/withdraw`, { body, schema: placement }),
  register: (sessionId: string) => request('GET', `/sessions/${id(sessionId)}/register`, { schema: register }),
  saveRegister: (sessionId: string, body: { marks: { personId: string; status: string }[]; creche: { personId: string; present: boolean }[]; version: number }) =>
    request('PUT', `/sessions/${id(sessionId)}/register`, { body, schema: registerSaved }),
  dose: (groupId: string) => request('GET', `/groups/${id(groupId)}/dose`, { schema: groupDose }),
};
