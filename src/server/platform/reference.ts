import { randomInt } from 'node:crypto';

// No 0/O, 1/I/L: references are read out over the phone.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A short reference people can quote, e.g. "R-7KQ2M9XD"; 31^8 values make a clash within one organisation negligible. */
export const newReference = (prefix: string): string =>
  `${prefix}-${Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')}`;
