import { useState } from 'react';
import { calendarFeedCreated, calendarFeedRevoked, calendarFeedStatus } from '../../../shared/contracts/programmes.ts';
import { request } from '../../api/client.ts';
import { Button } from '../../components/form.tsx';
import { useLoad } from '../../lib/use-load.ts';

const feedApi = {
  status: () => request('GET', '/me/calendar-feed', { schema: calendarFeedStatus }),
  create: () => request('POST', '/me/calendar-feed', { schema: calendarFeedCreated }),
  revoke: () => request('DELETE', '/me/calendar-feed', { schema: calendarFeedRevoked }),
};

/**
 * A facilitator's or therapist's sessions in their own calendar app. The address is a secret (calendar apps cannot
 * sign in), so it is shown once when made; making a new one or stopping it makes the old one stop working.
 */
export const CalendarFeedSection = () => {
  const [status, reload] = useLoad(() => feedApi.status(), []);
  const [made, setMade] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const act = async (work: () => Promise<unknown>) => {
    try {
      setFailed(null);
      await work();
      reload();
    } catch {
      setFailed('That did not work. Try again, or ask your organisation admin.');
    }
  };
  const active = status.status === 'done' && status.data.active;
  return (
    <section aria-labelledby="calendar-feed-heading">
      <h2 className="govuk-heading-m" id="calendar-feed-heading">
        Your sessions in your calendar
      </h2>
      <p className="govuk-body">
        Add your group sessions and therapy appointments to the calendar on your phone or computer. The address works without signing in, so
        keep it to yourself; families are never named in it.
      </p>
      {failed ? (
        <p className="govuk-error-message" role="alert">
          {failed}
        </p>
      ) : null}
      {made ? (
        <div className="govuk-inset-text">
          <p className="govuk-body">Copy this address into your calendar app (“subscribe to a calendar” or “add by URL”). It is shown only now.</p>
          <p className="govuk-body tandem-break-anywhere">
            <code data-testid="calendar-feed-url">{made}</code>
          </p>
        </div>
      ) : null}
      <p className="govuk-body">{active ? 'You have a calendar address.' : 'You have no calendar address.'}</p>
      <div className="govuk-button-group">
        <Button
          type="button"
          onClick={() =>
            void act(async () => {
              const created = await feedApi.create();
              setMade(new URL(created.path, window.location.origin).toString());
            })
          }
        >
          {active ? 'Make a new calendar address' : 'Make a calendar address'}
        </Button>
        {active ? (
          <Button
            type="button"
            variant="warning"
            onClick={() =>
              void act(async () => {
                await feedApi.revoke();
                setMade(null);
              })
            }
          >
            Stop my calendar address
          </Button>
        ) : null}
      </div>
    </section>
  );
};
