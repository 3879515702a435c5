import type { ItemDefinition, ResponseOption } from './definition.ts';

/*
 * Small builders so the built-in definitions read like the printed forms. They only produce plain data;
 * the result is what `instrumentDefinitionSchema` validates.
 */

/** Options numbered from `first` in printed order: labelled(0, ['Not at all', …]) → 0, 1, 2 … */
export const labelled = (first: number, labels: readonly string[]): ResponseOption[] =>
  labels.map((label, index) => ({ value: first + index, label }));

/** Unlabelled options first…last (e.g. the QMI 1–7 agreement scale, whose anchors are the only labels). */
export const numbered = (first: number, last: number): ResponseOption[] =>
  Array.from({ length: last - first + 1 }, (_, index) => ({ value: first + index }));

/** Item keys "1"…"n" as printed on the form. */
export const itemNumbers = (count: number, first = 1): string[] =>
  Array.from({ length: count }, (_, index) => String(first + index));

export const item = (
  key: string,
  options: ResponseOption[],
  extra: { reversed?: boolean; text?: string } = {},
): ItemDefinition => ({
  key,
  options,
  reversed: extra.reversed ?? false,
  ...(extra.text === undefined ? {} : { text: extra.text }),
});
