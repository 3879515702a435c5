/**
 * Round half up, as the SDQ's official syntax does: floor(0.5 + x) (youthinmind; gbiele/masterfile sdq.R).
 * Not banker's rounding (Python's round(2.5) is 2) and not Math.round's half-towards-+∞ for negatives —
 * scores are never negative, but the rule is written out so nobody swaps it for a library call.
 */
export const roundHalfUp = (value: number): number => Math.floor(value + 0.5);
