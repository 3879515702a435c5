/** One line of bench/results.json: a figure and the baseline it was measured against in the same run. */
export type BenchResult = {
  name: string;
  value: number;
  unit: string;
  baseline: string | null;
  baseline_value: number | null;
  /** value ÷ baseline_value (for rates: the share of the baseline reached; for times: how many times slower). */
  ratio: number | null;
};
