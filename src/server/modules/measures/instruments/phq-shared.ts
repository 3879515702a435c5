import type { InstrumentDefinition } from './definition.ts';
import { labelled } from './options.ts';

/*
 * Shared facts for the PHQ-9 and GAD-7 (Pfizer; phqscreeners.com). Facts: instruments.md §5.1.
 */
export const phqLicence: InstrumentDefinition['licence'] = {
  name: 'Free to use',
  holder: 'Pfizer Inc. (developed by Drs Spitzer, Williams, Kroenke and colleagues)',
  wordingAllowed: true,
  summary: '"No permission is required to reproduce, translate, display or distribute them" (phqscreeners.com, quoted in CamCOPS docs).',
};

export const PHQ_STEM = 'Over the last 2 weeks, how often have you been bothered by any of the following problems?';

export const frequencyOptions = () =>
  labelled(0, ['Not at all', 'Several days', 'More than half the days', 'Nearly every day']);

export const NO_PRORATION_NOTE =
  'Not scorable if any item is missing: instruments.md gives no proration rule for this measure, so none is applied.';
