/*
 * `npm run bench`: every benchmark in one command, each figure paired with a baseline measured in the same run on the
 * same data. Runs the import benchmark (bench/import-bench.ts) and the report benchmark (bench/report-bench.ts) as
 * they are, in their own processes, and reads the results they write; then scoring against FHIRPath, HTTP against a
 * bare node:http server, and start-up times. Writes bench/results.json and prints one table. Loopback only.
 *
 * Environment: BENCH_DATABASE_URL (PostgreSQL for the benchmarks; default the local server), BENCH_ROWS / BENCH_RUNS
 * (passed to the import and report benchmarks), BENCH_HTTP_SECONDS / BENCH_HTTP_RUNS, BENCH_ONLY=scoring,http,… to run a part.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { runHttpBench } from './http-bench.ts';
import type { BenchResult } from './results.ts';
import { runScoringBench } from './scoring-bench.ts';

const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const only = process.env.BENCH_ONLY?.split(',');
const wanted = (part: string): boolean => !only || only.includes(part);
const here = (file: string): string => new URL(file, import.meta.url).pathname;

const results: BenchResult[] = [];
const timings: string[] = [];
const started = performance.now();

/** Each part's wall time, printed as it ends (so a slow part shows while the run goes on) and again in the summary. */
const took = (part: string, since: number): void => {
  const seconds = (performance.now() - since) / 1000;
  timings.push(`${part} ${seconds.toFixed(0)} s`);
  process.stdout.write(`== ${part}: ${seconds.toFixed(0)} s wall time (${((performance.now() - started) / 60000).toFixed(1)} min since the start; load average ${loadavg()[0]?.toFixed(1)})\n`);
};

/** Runs another benchmark script as it is and takes the results file it writes. */
const external = (part: string, script: string, resultsFile: string, env: Record<string, string>): void => {
  if (!wanted(part)) return;
  if (!existsSync(here(script))) {
    process.stdout.write(`\n== ${part}: ${script} is not there; skipped\n`);
    return;
  }
  process.stdout.write(`\n== ${part} (${script})\n`);
  const t = performance.now();
  rmSync(here(resultsFile), { force: true });
  const run = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', here(script)], { stdio: 'inherit', env: { ...process.env, BENCH_DATABASE_URL: POSTGRES_URL, ...env } });
  took(part, t);
  if (run.status !== 0 || !existsSync(here(resultsFile))) {
    process.stdout.write(`${part} failed (exit ${run.status}); its figures are missing from this run\n`);
    return;
  }
  results.push(...(JSON.parse(readFileSync(here(resultsFile), 'utf8')) as BenchResult[]));
};

const internal = async (part: string, run: () => Promise<BenchResult[]>): Promise<void> => {
  if (!wanted(part)) return;
  process.stdout.write(`\n== ${part}\n`);
  const t = performance.now();
  results.push(...(await run()));
  took(part, t);
};

external('import', './import-bench.ts', './results-import.json', {});
// Three runs of each report instead of five keeps the whole command inside 15 minutes on two cores.
external('report', './report-bench.ts', './results-report.json', { BENCH_RUNS: process.env.BENCH_RUNS ?? '3' });
await internal('scoring', () => runScoringBench());
await internal('http', () => runHttpBench(POSTGRES_URL));

const out = here('./results.json');
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
const rows = results.map((r) => [r.name, `${r.value} ${r.unit}`, r.baseline_value === null ? '' : String(r.baseline_value), r.ratio === null ? '' : `×${r.ratio}`, r.baseline ?? '']);
const head = ['figure', 'value', 'baseline', 'ratio', 'baseline is'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
const line = (row: string[]) => row.map((cell, i) => (i === 0 || i === 4 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
process.stdout.write(`\n${line(head)}\n${rows.map(line).join('\n')}\n`);
const minutes = ((performance.now() - started) / 60000).toFixed(1);
process.stdout.write(`\nWrote ${out} (${results.length} figures) in ${minutes} min: ${timings.join(', ')}\n`);

// docs/performance.md keeps the latest figures between two markers; the prose around them is written by hand.
const doc = here('../docs/performance.md');
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';
if (!only && existsSync(doc)) {
  const text = readFileSync(doc, 'utf8');
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from >= 0 && to > from) {
    const cell = (value: string) => value.replaceAll('|', '\\|');
    const table = [
      `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${minutes} min (${timings.join(', ')}); ${cpus().length} cores, ` +
        `load average ${loadavg().map((n) => n.toFixed(1)).join(' / ')} at the end (other work on the machine slows both sides of each ratio).`,
      '',
      '| figure | value | baseline | ratio | baseline is |',
      '| --- | ---: | ---: | ---: | --- |',
      ...results.map((r) => `| ${r.name} | ${r.value} ${r.unit} | ${r.baseline_value ?? ''} | ${r.ratio === null ? '' : `×${r.ratio}`} | ${cell(r.baseline ?? '')} |`),
    ].join('\n');
    writeFileSync(doc, `${text.slice(0, from + START.length)}\n${table}\n${text.slice(to)}`);
    process.stdout.write(`Updated the figures in ${doc}\n`);
  }
}
