/** The benchmarks start the real server the same way the crash and backup tests do: one copy of that code. */
export { BIN, signInTo, startTandem, type Client, type RunningServer } from '../test/setup/server-process.ts';
