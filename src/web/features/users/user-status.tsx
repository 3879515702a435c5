import type { StaffMember } from '../../../shared/contracts/identity.ts';
import { Tag } from '../../components/feedback.tsx';

export const UserStatus = ({ user }: { user: StaffMember }) => {
  if (!user.active) return <Tag colour="grey">Deactivated</Tag>;
  if (user.invitationPending) return <Tag colour="blue">Invited</Tag>;
  return <Tag colour="green">Active</Tag>;
};
