// The lab's panels (static markup; the numbers are filled in by www/lab/lab.js). Stage 1 (draw,
// random, clear) moves into the digit panel while the lab is open.
export const LAB_HTML = `
<h2 id="lab-title" class="visually-hidden">Lab: how many equations does the attacker need?</h2>
<section class="lab-panel lab-digit" aria-labelledby="lab-digit-title">
  <header><h3 id="lab-digit-title">The digit</h3>
    <button type="button" class="ghost small" id="lab-digit-png" data-testid="lab-digit-png" aria-label="Download a PNG of the digit">PNG</button></header>
  <div id="lab-draw-slot"></div>
  <div class="picker-head">
    <p id="lab-picker-label">MNIST test digits</p>
    <button type="button" class="ghost small" id="lab-more" data-testid="lab-more">More digits</button>
  </div>
  <div class="picker" id="lab-picker" data-testid="lab-picker" role="group" aria-labelledby="lab-picker-label"></div>
</section>

<section class="lab-panel lab-budget" aria-labelledby="budget-title">
  <header><h3 id="budget-title">Attack budget: PSNR against h</h3>
    <span class="lab-exports">
      <button type="button" class="ghost small" id="budget-png" data-testid="budget-png" disabled aria-label="Download a PNG of the budget plot">PNG</button>
      <button type="button" class="ghost small" id="budget-csv" data-testid="budget-csv" disabled aria-label="Download the budget plot's numbers as CSV">CSV</button>
    </span></header>
  <div class="budget-controls">
    <fieldset class="budget-attacks" id="budget-attacks"><legend>Attacks</legend></fieldset>
    <button type="button" class="primary" id="budget-run" data-testid="budget-run">Compute</button>
    <button type="button" id="budget-cancel" data-testid="budget-cancel" hidden>Cancel</button>
  </div>
  <p class="budget-estimate" id="budget-estimate" data-testid="budget-estimate" aria-live="polite"></p>
  <div class="progress lab-progress" id="budget-progress" data-testid="budget-progress" role="progressbar" aria-label="Attack budget progress"
    aria-valuemin="0" aria-valuemax="100" aria-valuenow="0" hidden><div class="bar"></div><span class="ptext"></span></div>
  <svg id="budget-plot" data-testid="budget-plot" role="img" aria-labelledby="budget-desc"></svg>
  <p id="budget-desc" class="budget-desc" aria-live="polite"></p>
  <p class="budget-missing" id="budget-missing" data-testid="budget-missing"></p>
  <details class="budget-numbers"><summary>The numbers</summary>
    <table id="budget-table" data-testid="budget-table"><caption class="visually-hidden">PSNR of each attack at each h</caption></table>
  </details>
</section>

<section class="lab-panel lab-side" aria-labelledby="side-title">
  <header><h3 id="side-title">Every attack on the same view</h3>
    <span class="lab-exports">
      <button type="button" class="ghost small" id="side-png" data-testid="side-png" disabled aria-label="Download a PNG of the attacks side by side">PNG</button>
      <button type="button" class="ghost small" id="side-scene" data-testid="lab-scene-json" disabled aria-describedby="tip-lab-scene">Scene JSON</button>
      <span role="tooltip" id="tip-lab-scene" class="tip">Download glasslayer-scene.json for the chosen h and attack: the settings, exactly the server’s view the attacker used, the digit and the rebuild.</span>
    </span></header>
  <div class="side-controls">
    <fieldset class="lab-h" id="lab-h" data-testid="lab-h"><legend>h</legend></fieldset>
    <label class="lab-attack">Scene of <select id="lab-attack" data-testid="lab-attack"></select></label>
  </div>
  <div class="side-row" id="side-row" data-testid="lab-side"></div>
  <p class="side-caption" id="side-caption" aria-live="polite"></p>
</section>

<section class="lab-panel lab-meter" aria-labelledby="meter-title">
  <header><h3 id="meter-title">Equations vs unknowns</h3>
    <button type="button" class="ghost small" id="meter-png" data-testid="meter-png" aria-label="Download a PNG of the meter">PNG</button></header>
  <svg id="lab-meter" data-testid="lab-meter" role="img"></svg>
  <p class="meter-note">Each row of W1 the server holds is one equation W1ᵢ·x = zᵢ about the 784 pixels. Fewer equations than
    unknowns leave directions open: the attack's prior fills them.</p>
</section>

<section class="lab-panel lab-exercises" aria-labelledby="ex-title">
  <header><h3 id="ex-title">Exercises</h3></header>
  <ol id="lab-exercises" data-testid="lab-exercises"></ol>
</section>
`;
