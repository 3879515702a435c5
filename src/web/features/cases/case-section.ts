import { useEffect, useState } from 'react';
import { isApiError } from '../../api/client.ts';
import type { CaseDetail } from '../../api/endpoints.ts';
import { hasProblems, noProblems, problemsFromError, type FieldLabels, type FormProblems } from '../../lib/form-problems.ts';

export const conflictMessage =
  'Someone else changed this case while you had this page open. The page now shows the latest: check it and try again.';

/** What a section of the case page gets from the page. */
export type SectionProps = {
  item: CaseDetail;
  /** Fetches the case again and shows it with this message in the success banner. */
  saved: (message: string) => Promise<void>;
  /** Fetches the case again after a conflict, without a success message. */
  reload: () => Promise<void>;
  /** Tells the page whether this section shows an error summary (for the tab title). */
  reportProblems: (section: string, has: boolean) => void;
};

/**
 * A form's problems, reported to the page so the tab title says "Error:" while any section shows a summary,
 * and the standard handling of a failed save: a stale version reloads the case and says why.
 */
export const useSectionForm = (
  section: string,
  props: Pick<SectionProps, 'reload' | 'reportProblems'>,
  labels: FieldLabels,
  /** Fields whose messages from the server read as whole sentences ("this programme needs …"): shown as they are, not after the label. */
  sentences: readonly string[] = [],
) => {
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const { reportProblems, reload } = props;
  useEffect(() => {
    reportProblems(section, hasProblems(problems));
  }, [problems, reportProblems, section]);
  useEffect(() => () => reportProblems(section, false), [reportProblems, section]);

  const failed = async (error: unknown): Promise<void> => {
    if (isApiError(error) && error.status === 409) {
      setProblems({ fields: {}, general: [error.code === 'conflict' && !/changed|version/i.test(error.message) ? error.message : conflictMessage] });
      await reload();
      return;
    }
    const problems = problemsFromError(error, labels);
    if (isApiError(error)) {
      for (const field of error.fields) {
        const name = field.path.split('.')[1];
        if (name && sentences.includes(name)) problems.fields[name] = field.message.charAt(0).toUpperCase() + field.message.slice(1);
      }
    }
    setProblems(problems);
  };
  return { problems, setProblems, failed, clear: () => setProblems(noProblems) };
};
