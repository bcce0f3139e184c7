// The page's handle on the Web Workers that run the wasm core.
//
// Protocol: {id, op, args} in; {id, type: 'progress'|'result'|'error', …} out. Every request has
// an id and resolves or rejects exactly once. Cancelling terminates the worker (the only way to
// stop a wasm call in the middle) and starts a fresh one; its pending requests reject with a
// CancelledError.
//
// - `Core.main`: one worker for the client, the authority, the attacker and live training (it
//   holds the trained models).
// - `Core.pool`: one worker per core (navigator.hardwareConcurrency) for the server's
//   decryptions; rows are split between them.

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

class WorkerHandle {
  constructor(name, init) {
    this.name = name;
    this.init = init; // async (handle) => void, run after every (re)spawn
    this.next = 1;
    this.pending = new Map();
    this.spawn();
  }

  spawn() {
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.worker.onmessage = ({ data }) => {
      const req = this.pending.get(data.id);
      if (!req) return;
      if (data.type === 'progress') return req.onProgress?.(data.progress);
      this.pending.delete(data.id);
      if (data.type === 'result') req.resolve(data.result);
      else req.reject(new Error(data.fatal ? `internal error in the wasm core (${data.message}); the worker was restarted` : data.message));
      if (data.fatal) this.restart();
    };
    this.worker.onerror = (e) => {
      e.preventDefault?.();
      const err = new Error(`the worker failed: ${e.message ?? 'unknown error'}`);
      for (const req of this.pending.values()) req.reject(err);
      this.pending.clear();
    };
    this.ready = this.init ? this.init(this) : Promise.resolve();
    this.ready.catch(() => {}); // reported by the first call that awaits it
  }

  /** Post a request without waiting for initialisation (used by init itself). */
  raw(op, args = {}, { onProgress, transfer = [] } = {}) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.postMessage({ id, op, args }, transfer);
    });
  }

  async call(op, args, opts) {
    await this.ready;
    return this.raw(op, args, opts);
  }

  get busy() {
    return this.pending.size > 0;
  }

  /** Terminate (stopping whatever runs) and respawn. Pending requests reject with CancelledError. */
  restart() {
    this.worker.terminate();
    for (const req of this.pending.values()) req.reject(new CancelledError());
    this.pending.clear();
    this.spawn();
  }
}

export class Core {
  /**
   * @param {object} urls data files for the main worker: {models, train, test}
   * @param {{lazy?: boolean}} opts lazy: load the trained models only on `loadModels(testBytes)`
   *   (the page: drawing can start before the biggest download); otherwise at start (the bench).
   */
  constructor(urls, { lazy = false } = {}) {
    this.urls = urls;
    this.cores = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 16));
    this.testDigits = null; // set by loadModels: a respawned main worker loads the models again
    this.main = new WorkerHandle('glasslayer-main', (w) => {
      const withModels = !lazy || this.testDigits;
      const args = withModels ? { urls: this.urls, test: this.testDigits ?? undefined } : {};
      return w.raw('init', args).then((info) => (this.info = info));
    });
    this.pool = [];
  }

  /** The model info, hidden sizes, … once the main worker has loaded (models: null while lazy). */
  async whenReady() {
    await this.main.ready;
    return this.info;
  }

  /** Load the trained models (once; `test`: the MNIST test digit bytes the page already has).
   *  Resolves to the info with `models` and `mean`. */
  loadModels(test) {
    if (!this.modelsLoad) {
      this.modelsLoad = this.whenReady().then(async () => {
        if (!this.info.models) {
          const m = await this.main.raw('loadModels', { urls: this.urls, test });
          Object.assign(this.info, m);
        }
        this.testDigits = test;
        return this.info;
      });
      this.modelsLoad.catch(() => (this.modelsLoad = null)); // a cancelled load is retried
    }
    return this.modelsLoad;
  }

  call(op, args, opts) {
    return this.main.call(op, args, opts);
  }

  /** Lazily started decryption workers (one per core). */
  servers() {
    while (this.pool.length < this.cores) this.pool.push(new WorkerHandle(`glasslayer-server-${this.pool.length + 1}`));
    return this.pool;
  }

  /**
   * Run `op` on `shards.length` pool workers (shard i on worker i % cores) and concatenate the
   * results in order. `onProgress(done, total)` sums the workers' progress.
   */
  async parallel(op, shards, onProgress) {
    const workers = this.servers();
    const done = new Array(shards.length).fill(0);
    const totals = shards.map((s) => s.count ?? 0);
    const total = totals.reduce((a, b) => a + b, 0);
    const parts = await Promise.all(
      shards.map((args, i) =>
        workers[i % workers.length].call(op, args, {
          onProgress: (p) => {
            done[i] = p.done;
            onProgress?.(done.reduce((a, b) => a + b, 0), total);
          },
        }),
      ),
    );
    return parts.flatMap((p) => Array.from(p));
  }

  /** Stop everything that runs: busy workers are terminated and respawned. */
  cancel() {
    let any = false;
    for (const w of [this.main, ...this.pool]) {
      if (w.busy) {
        w.restart();
        any = true;
      }
    }
    return any;
  }
}

/** Split `[0, n)` into at most `parts` contiguous ranges of near-equal size. */
export function splitRanges(n, parts) {
  const k = Math.max(1, Math.min(parts, n));
  const out = [];
  for (let i = 0; i < k; i++) {
    const from = Math.floor((i * n) / k);
    const to = Math.floor(((i + 1) * n) / k);
    if (to > from) out.push([from, to]);
  }
  return out;
}

/**
 * A round's decryption split for `parts` server workers: {group, pp, ct, keys (frames), bound,
 * count} per contiguous range of the round's keys (`enc` as the client's round returns it).
 */
export function keyShards(enc, parts) {
  const keys = unframe(enc.keys);
  return splitRanges(keys.length, parts).map(([a, b]) => ({
    group: enc.group,
    pp: enc.pp,
    ct: enc.ct,
    keys: frame(keys.slice(a, b)),
    bound: enc.bound,
    count: b - a,
  }));
}

/** Split framed bytes (u32 LE length ‖ bytes, repeated) into its items (views, no copy). */
export function unframe(buf) {
  const out = [];
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let at = 0;
  while (at + 4 <= buf.byteLength) {
    const len = dv.getUint32(at, true);
    out.push(buf.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return out;
}

/** Frame items back into one buffer. */
export function frame(items) {
  const size = items.reduce((a, b) => a + 4 + b.byteLength, 0);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let at = 0;
  for (const it of items) {
    dv.setUint32(at, it.byteLength, true);
    out.set(it, at + 4);
    at += 4 + it.byteLength;
  }
  return out;
}
