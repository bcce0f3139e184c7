// `npm run fuzz`: the long hostile-input run (README, "Hostile input").
// The structured fuzz engine (crate/examples/fuzz.rs, profile `fuzz`: optimised, unwinding,
// overflow checks on): 10⁶ executions per decoder target and 10⁸ BLS12-381 field products by default.
// Extra arguments go to the engine, e.g. `npm run fuzz -- --execs 10000000 --only mnist`.
import { main, step, run } from './lib/run.mjs';

main(async () => {
  const t0 = Date.now();
  const extra = process.argv.slice(2);
  await step('structured fuzz run (cargo run --profile fuzz --example fuzz)', () =>
    run('cargo', ['run', '--profile', 'fuzz', '-p', 'glasslayer', '--example', 'fuzz', '--', ...extra], {
      what: 'fuzz run',
    }),
  );
  console.log(`\nfuzz run finished in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
});
