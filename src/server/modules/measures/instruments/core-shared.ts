import type { InstrumentDefinition } from './definition.ts';
import { labelled } from './options.ts';

/*
 * Shared facts for the CORE measures (CORE System Trust). Sources: instruments.md §1;
 * CST copyright page https://www.coresystemtrust.org.uk/home/copyright-licensing/ and the 2025
 * clarification for software vendors https://www.coresystemtrust.org.uk/?p=42620.
 */

/** Must be visible to the end user wherever CORE items are shown (CST 2025 clarification). */
export const CORE_COPYRIGHT_NOTICE = '© CORE System Trust: https://www.coresystemtrust.org.uk/copyright.pdf';

export const coreLicence: InstrumentDefinition['licence'] = {
  name: 'CC BY-NC-ND 4.0',
  holder: 'CORE System Trust',
  wordingAllowed: true,
  copyrightNotice: CORE_COPYRIGHT_NOTICE,
  summary:
    'Free to reproduce in software and on paper under Creative Commons BY-NC-ND 4.0 (current CST page; older ' +
    'pages say CC BY-ND 4.0 — we assume the stricter one). Wording must not change, items must not be ' +
    're-ordered, cut or added, the copyright line must be visible, and no profit may be made from the ' +
    'instrument itself. Check CST\'s meaning of "non-commercial" against the deployment\'s business model.',
};

export const CORE_STEM = 'Over the last week…';

/*
 * Response positions as printed, 0 = "Not at all" … 4 = "Most or all of the time", for every item,
 * positively worded ones too: the engine reverses items 2 and 3 of the CORE-10 (issue 4 item 4). A paper
 * form's printed column scores for reversed items must be converted back to positions before entry.
 */
export const coreOptions = () =>
  labelled(0, ['Not at all', 'Only occasionally', 'Sometimes', 'Often', 'Most or all of the time']);

/** CORE-OM item wording by item number (CC BY-NC-ND: verbatim, never edited). */
export const coreOmWording: Readonly<Record<number, string>> = {
  1: 'I have felt terribly alone and isolated',
  2: 'I have felt tense, anxious or nervous',
  3: 'I have felt I have someone to turn to for support when needed',
  4: 'I have felt O.K. about myself',
  5: 'I have felt totally lacking in energy and enthusiasm',
  6: 'I have been physically violent to others',
  7: 'I have felt able to cope when things go wrong',
  8: 'I have been troubled by aches, pains or other physical problems',
  9: 'I have thought of hurting myself',
  10: 'Talking to people has felt too much for me',
  11: 'Tension and anxiety have prevented me doing important things',
  12: 'I have been happy with the things I have done',
  13: 'I have been disturbed by unwanted thoughts and feelings',
  14: 'I have felt like crying',
  15: 'I have felt panic or terror',
  16: 'I made plans to end my life',
  17: 'I have felt overwhelmed by my problems',
  18: 'I have had difficulty getting to sleep or staying asleep',
  19: 'I have felt warmth or affection for someone',
  20: 'My problems have been impossible to put to one side',
  21: 'I have been able to do most things I needed to',
  22: 'I have threatened or intimidated another person',
  23: 'I have felt despairing or hopeless',
  24: 'I have thought it would be better if I were dead',
  25: 'I have felt criticised by other people',
  26: 'I have thought I have no friends',
  27: 'I have felt unhappy',
  28: 'Unwanted images or memories have been distressing me',
  29: 'I have been irritable when with other people',
  30: 'I have thought I am to blame for my problems and difficulties',
  31: 'I have felt optimistic about my future',
  32: 'I have achieved the things I wanted to',
  33: 'I have felt humiliated or shamed by other people',
  34: 'I have hurt myself physically or taken dangerous risks with my health',
};

export const coreWording = (omItem: number): string => {
  const text = coreOmWording[omItem];
  if (text === undefined) throw new Error(`CORE-OM has no item ${omItem}`);
  return text;
};
