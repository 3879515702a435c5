import type { ReferralStatus } from '../../api/endpoints.ts';
import { Tag } from '../../components/feedback.tsx';

export const statusLabels: Record<ReferralStatus, string> = {
  new: 'New',
  waiting_list: 'Waiting list',
  accepted: 'Accepted',
  declined: 'Declined',
  redirected: 'Redirected',
};

const statusColours = { new: 'blue', waiting_list: 'yellow', accepted: 'green', declined: 'grey', redirected: 'grey' } as const;

export const StatusTag = ({ status }: { status: ReferralStatus }) => <Tag colour={statusColours[status]}>{statusLabels[status]}</Tag>;

type Met = 'yes' | 'no' | 'unknown';

/** Whether a family meets a programme's rules: a word as well as a colour, so colour is never the only signal. */
export const EligibilityTag = ({ met, words = 'eligible' }: { met: Met; words?: 'eligible' | 'rule' }) => {
  if (met === 'yes') return <Tag colour="green">{words === 'rule' ? 'Met' : 'Yes'}</Tag>;
  if (met === 'no') return <Tag colour="red">{words === 'rule' ? 'Not met' : 'No'}</Tag>;
  return <Tag colour="grey">Unknown</Tag>;
};
