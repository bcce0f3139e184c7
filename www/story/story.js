// Story mode (#mode=story): the outreach page for phones — six steps, one sentence each, through the
// real computation (the page's own stages in the workers). The page's elements that a step shows
// (the drawing canvas, the ciphertext, z, the rebuild and its PSNR) are MOVED into the step and back
// when the story closes, so each exists once and the demo's test ids stay unambiguous.
import { page, $, status, runTo, setState, writeHash, render, cancelRun, onRender } from '../page.js';
import { randomDigit } from '../stages/draw.js';
import { withTerms } from '../glossary.js';
import { STEPS, STORY_H } from './steps.js';
import { DRAW_FIRST } from '../copy.js';

export const PAPER_URL = 'https://arxiv.org/abs/2509.21497';

/** What each `show` name moves into the step: elements of the demo's stages. */
const PARTS = {
  draw: () => [document.querySelector('#stage-1 .draw-wrap')],
  ciphertext: () => [document.querySelector('#stage-2 .ct-box')],
  z: () => [document.querySelector('#stage-3 .z-chart-wrap')],
  pair: () => [document.querySelector('.pair'), $('compare-caption')],
  metrics: () => [document.querySelector('.metrics')],
  verdict: () => [$('verdict')],
  sees: () => [$('server-sees')],
};

const home = new Map(); // element → {parent, next}: where it lives in the demo
let step = 0;
let active = false;
let shown = -1;
let job = 0;

export const storyActive = () => active;

function borrow(el) {
  if (!home.has(el)) home.set(el, { parent: el.parentElement, next: el.nextSibling });
  return el;
}

function giveBack() {
  // in reverse order of borrowing, so a sibling that was moved is back before it is used as anchor
  for (const [el, { parent, next }] of [...home.entries()].reverse()) parent.insertBefore(el, next && next.parentElement === parent ? next : null);
  home.clear();
}

function el(tag, attrs = {}, html) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (html != null) e.innerHTML = html;
  return e;
}

/** Build step `i` (one article in the DOM at a time: one story-step, one story-next). */
function build(i) {
  const s = STEPS[i];
  const box = $('story');
  giveBack(); // what the last step borrowed goes home first (never detached with its article)
  const art = el('article', { class: 'story-step', 'data-testid': 'story-step', 'data-step': s.id, 'aria-labelledby': 'story-title' });
  const count = el('p', { class: 'story-count' });
  count.textContent = `Step ${i + 1} of ${STEPS.length}`;
  const title = el('h2', { id: 'story-title', tabindex: '-1' });
  title.textContent = s.title;
  document.body.dataset.storyStep = s.id;
  const slot = el('div', { class: `story-slot story-${s.id}` });
  for (const name of s.show) for (const part of PARTS[name]()) if (part) slot.append(borrow(part));
  if (s.random) {
    const b = el('button', { type: 'button', class: 'story-random', 'data-testid': 'story-random' });
    b.textContent = 'Random digit';
    b.addEventListener('click', randomDigit);
    slot.append(b);
  }
  const result = el('p', { class: 'story-result', id: 'story-result', 'aria-live': 'polite' });
  const nav = el('nav', { class: 'story-nav', 'aria-label': 'Story steps' });
  if (i > 0) {
    const back = el('button', { type: 'button', class: 'ghost story-back', 'data-testid': 'story-prev' });
    back.textContent = '‹ Back';
    back.addEventListener('click', () => go(step - 1));
    nav.append(back);
  }
  if (s.next) {
    const next = el('button', { type: 'button', class: 'primary', 'data-testid': 'story-next' });
    next.textContent = `${s.next} ›`;
    next.addEventListener('click', () => go(step + 1));
    nav.append(next);
  } else {
    nav.append(
      el('a', { class: 'story-link', href: PAPER_URL, rel: 'noopener', target: '_blank', 'data-testid': 'story-paper' }, 'Read the paper <small>(Ioniță &amp; Ioniță, RAID 2025)</small>'),
      el('a', { class: 'story-link primary', href: '#mode=demo', 'data-testid': 'story-demo' }, 'Open the full demo'),
    );
    const again = el('button', { type: 'button', class: 'ghost', 'data-testid': 'story-again' });
    again.textContent = 'Start again';
    again.addEventListener('click', () => go(0));
    nav.append(again);
  }
  art.append(count, title, ...(slot.childElementCount ? [slot] : []), result, nav);
  box.replaceChildren(art);
  return art;
}

function showResult(i) {
  const r = document.getElementById('story-result');
  if (!r || shown !== i) return;
  const text = STEPS[i].result();
  if (r.dataset.text === text) return; // unchanged: keep a focused term and its popover
  r.dataset.text = text;
  r.innerHTML = withTerms(text);
}

/** Go to step `i`: build it, then run what it shows (the real stages). */
export async function go(i) {
  if (page.sampleComing) await page.sampleComing; // a tap right after a stroke: its sample first
  const target = Math.max(0, Math.min(STEPS.length - 1, i));
  if (target > 0 && !page.results.sample) {
    status(DRAW_FIRST.replace(' (or press r for a random MNIST digit)', ' (or tap “Random digit”)'), 'warn');
    return;
  }
  const my = ++job;
  step = target;
  const s = STEPS[step];
  const patch = { stage: s.stage };
  if (s.protocol && page.state.protocol !== s.protocol) patch.protocol = s.protocol;
  if (step > 0 && page.state.h !== STORY_H) patch.h = STORY_H;
  if (step === 0) cancelRun();
  setState(patch, { replace: true, rerun: false });
  const navFocused = !!document.activeElement?.closest?.('.story-nav, [data-testid="story-step"]');
  build(step);
  shown = step;
  showResult(step);
  const art = document.querySelector('[data-testid="story-step"]');
  // keyboard and screen-reader users land on the new sentence (the old button is gone)
  if (navFocused) art.querySelector('h2').focus({ preventScroll: true });
  if (s.stage >= 2) await runTo(s.stage);
  if (my === job) {
    render();
    showResult(step);
  }
}

function enter() {
  active = true;
  document.body.dataset.mode = 'story';
  if (page.results.sample) return storyResume();
  // nothing drawn yet (or the page still loading a linked digit): the first step, state untouched
  step = 0;
  build(0);
  shown = 0;
  showResult(0);
}

function leave() {
  active = false;
  job++;
  shown = -1;
  giveBack();
  $('story').replaceChildren();
  document.body.dataset.mode = 'demo';
  render();
}

/** Follow the state's mode (a link, the buttons, back/forward). */
export function followMode() {
  const want = page.state.mode === 'story';
  if (want && !active) enter();
  else if (!want && active) leave();
}

export const storyNext = () => STEPS[step].next && go(step + 1);
/** After load: a link with a digit opens at the step of its stage. */
export const storyResume = () => go(page.results.sample ? Math.min(Math.max(page.state.stage, 1), 4) - 1 : 0);
export const storyPrev = () => go(step - 1);

/** A phone-sized first visit (no link state at all) starts in the story. */
export function phoneDefault() {
  if (location.hash.replace(/^#/, '') !== '') return false;
  return window.matchMedia('(max-width: 600px)').matches;
}

export function setupStory() {
  for (const b of document.querySelectorAll('[data-open-story]')) {
    b.addEventListener('click', () => {
      setState({ mode: 'story' }, { rerun: false });
      followMode();
    });
  }
  document.addEventListener('click', (e) => {
    const a = e.target.closest?.('a[href="#mode=demo"]');
    if (!a) return;
    e.preventDefault();
    setState({ mode: 'demo' }, { rerun: false });
    followMode();
  });
  onRender(() => {
    // a result that arrived by itself (a redraw that re-ran the stages)
    if (active && shown === step && page.running === null) showResult(step);
  });
  if (phoneDefault()) {
    page.state.mode = 'story';
    writeHash({ replace: true });
  }
}
