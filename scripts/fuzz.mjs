// `npm run fuzz`: the long hostile-input run (README, "Hostile input").
// The structured fuzz engine (crate/examples/fuzz.rs) in the dev profile — dependencies optimised
// (opt-level 3), the crate at opt-level 1, overflow checks and debug assertions on, panics unwind (so a
// wrap or a panic is a caught, reported finding) — reusing `npm test`'s build: 10⁶ executions per
// decoder target and 10⁸ BLS12-381 field products by default.
// Extra arguments go to the engine, e.g. `npm run fuzz -- --execs 10000000 --only mnist`.
import { main, step, run } from './lib/run.mjs';

main(async () => {
  const t0 = Date.now();
  const extra = process.argv.slice(2);
  await step('structured fuzz run (cargo run -p glasslayer --example fuzz)', () =>
    run('cargo', ['run', '-p', 'glasslayer', '--example', 'fuzz', '--', ...extra], {
      what: 'fuzz run',
    }),
  );
  console.log(`\nfuzz run finished in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
});
