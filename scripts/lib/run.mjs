// Small process helpers shared by the npm scripts: run a command with inherited output, fail with a
// clear message, time each step.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export class StepError extends Error {}

/** Run `cmd args` in the repo root with output shown; throw StepError(what) on failure. */
export function run(cmd, args, { what, env = {}, cwd = ROOT, quiet = false } = {}) {
  const res = spawnSync(cmd, args, {
    cwd,
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (res.error) throw new StepError(`${what ?? cmd}: could not start \`${cmd}\` (${res.error.message})`);
  if (res.status !== 0) {
    const tail = quiet ? `\n${(res.stdout ?? '') + (res.stderr ?? '')}`.slice(-4000) : '';
    throw new StepError(`${what ?? cmd} failed (\`${cmd} ${args.join(' ')}\` exited ${res.status})${tail}`);
  }
  return res.stdout ?? '';
}

/** Run and capture stdout; null when the command is missing or fails. */
export function capture(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', ...opts });
  return res.status === 0 ? res.stdout : null;
}

/** Time a named step, printing a header and the elapsed seconds. */
export async function step(name, fn) {
  const t0 = Date.now();
  console.log(`\n▶ ${name}`);
  const out = await fn();
  console.log(`✔ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return out;
}

/** Run main(), turning a StepError into one clear line and exit code 1. */
export function main(fn) {
  fn().catch((e) => {
    console.error(`\n✘ ${e instanceof StepError ? e.message : e.stack ?? e}`);
    process.exit(1);
  });
}
