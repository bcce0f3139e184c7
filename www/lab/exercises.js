// Five exercises for a class, each with an answer to reveal. Every answer says what the lab
// measures (the budget plot, the meter, the side-by-side rebuilds), so a student can check it on
// the screen; figures quoted are this project's measurements (MNIST test digits, README).

export const EXERCISES = [
  {
    q: 'Draw a digit the attacker cannot rebuild at h = 128 (TV). Why does it fail?',
    a: `At h = 128 the server holds 128 exact equations W1·x = z about 784 unknown pixels (see the meter): 656 directions
      are left open, and the TV attack fills them with the smoothest image that fits. An MNIST-like digit — a few thick,
      continuous strokes — is close to that smoothest image, so it comes back (about 23–27 dB on typical MNIST digits).
      A drawing with many thin, scattered strokes or dots has a large total variation: the smoothest image that fits the
      128 equations is not it, and the PSNR falls towards the average digit. The encryption is not what saves it — z is
      exact — the attacker's prior is wrong for it. A zigzag scribble, a grid of dots or a lattice of lines stayed at
      12–14 dB at h = 128 when we tried, and came back exactly only at h = 784, where there are as many equations as
      pixels and every drawing is pinned down. Raise h in the plot to see where yours crosses 20 dB.`,
  },
  {
    q: 'Compute the budget for two or three MNIST digits. Where does the TV line jump, and why a jump rather than a slow rise?',
    a: `On MNIST test digits the TV rebuild is blurry at h = 16–64 (about 14–18 dB, close to or a few dB above the average
      digit), readable around h = 128 (above 20 dB for most digits, below 22 dB for about a quarter), and exact from
      h = 256. A digit lights up only about a fifth of the 784 pixels, in smooth strokes; once the equations outnumber what
      the image really needs, the LP's solution becomes unique and equals the digit — a threshold, as in compressed sensing.
      The plot shows where your digit crosses it; the CSV export holds the numbers.`,
  },
  {
    q: 'Compare the TV LP with the minimum-sum LP at h = 64 and h = 128. Which wins, and why?',
    a: `Both see the same view and satisfy the same equations; they differ only in how they fill the open directions.
      Minimum-sum picks the image with the least ink, which scatters bright pixels; TV picks the image with the fewest edges,
      which looks like a pen stroke. On MNIST digits TV is several dB ahead below h = 256 (for MNIST test digit 0:
      17.9 vs 12.5 dB at h = 64, 27.1 vs 14.8 dB at h = 128); with enough equations (h = 256–392 on MNIST digits) both
      come back exactly or nearly so.
      The paper's LP adds smoothness rows (see the meter) but no objective: it returns a blurry centre of all images that
      fit, or, when its hard limits do not fit the digit, no solution at all (a cross on the plot).`,
  },
  {
    q: 'Stacked epochs and the gradient leak succeed at h = 16, where TV fails. Where do their extra equations come from?',
    a: `Stacking: CryptoNN's server sees your digit again in later epochs, each time with the W1 it has since updated — new
      rows, new equations about the same pixels. The meter counts them after the run (sightings × h); on MNIST test digit 0
      the stacked attack gives about 27 dB at h = 16 and an exact rebuild from h = 32. The gradient leak needs no W1 at all:
      CryptoNN also decrypts dW1 = δ1ᵀ·x, and with a batch of one every row of dW1 with δ1ᵢ ≠ 0 is your digit times a known
      number — exact at every h. A small h does not protect the data.`,
  },
  {
    q: 'Switch to the full demo and pick "Client in the loop" or "FHIPE". What does the attacker get now, and what does the server still learn?',
    a: `Under both mitigations the server never holds W1: the client draws its own secret W1 (client in the loop sends z,
      FHIPE issues function-hiding keys for its rows). The attacker tries every W1 it could know — the server's own trained
      model, a shadow model, the public initial weights — and its best rebuild scores no better than the average digit
      (within 1 dB of it; the page says so and shows unprotected CryptoNN at the same h beside it). The gradient attack does
      not apply: the server never decrypts dW1. What still leaks: z itself (h numbers per sample), δ1 at every step, the
      labels in the clear, and the traffic sizes — listed under each protocol in stage 5. FHIPE pays for it in time: about
      3 s for a round at h = 16 on 2 cores (785 pairings per row), so the page asks before longer steps.`,
  },
];

/** The exercises as <details> elements (a native, keyboard- and screen-reader-friendly reveal). */
export function renderExercises(list) {
  list.replaceChildren(
    ...EXERCISES.map((e, i) => {
      const li = document.createElement('li');
      const q = document.createElement('p');
      q.className = 'question';
      q.textContent = e.q;
      const d = document.createElement('details');
      d.dataset.testid = 'exercise-answer';
      const s = document.createElement('summary');
      s.textContent = `Answer ${i + 1}`;
      const a = document.createElement('p');
      a.textContent = e.a.replace(/\s+/g, ' ').trim();
      d.append(s, a);
      li.append(q, d);
      return li;
    }),
  );
}
