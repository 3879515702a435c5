import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { createTOTPKeyURI, verifyTOTPWithGracePeriod } from '@oslojs/otp';
import { randomBytes } from 'node:crypto';

const PERIOD_SECONDS = 30;
const DIGITS = 6;

export const newTotpSecret = (): string => encodeBase32UpperCaseNoPadding(randomBytes(20));

export const totpUri = (secret: string, accountName: string): string =>
  createTOTPKeyURI('Tandem', accountName, decodeBase32IgnorePadding(secret), PERIOD_SECONDS, DIGITS);

/** Accepts the previous and next 30-second window too, for phones whose clocks drift. */
export const verifyTotp = (secret: string, code: string): boolean =>
  verifyTOTPWithGracePeriod(decodeBase32IgnorePadding(secret), PERIOD_SECONDS, DIGITS, code, PERIOD_SECONDS);
