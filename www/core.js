// The page's handle on the worker: promise per request (request ids), progress callbacks.
export class Core {
  constructor() {
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.next = 1;
    this.pending = new Map();
    this.worker.onmessage = ({ data }) => {
      const req = this.pending.get(data.id);
      if (!req) return;
      if (data.type === 'progress') return req.onProgress?.(data.progress);
      this.pending.delete(data.id);
      if (data.type === 'result') req.resolve(data.result);
      else req.reject(new Error(data.message));
    };
    this.worker.onerror = (e) => {
      for (const req of this.pending.values()) req.reject(new Error(`worker failed: ${e.message}`));
      this.pending.clear();
    };
  }

  /** Ask the worker to run `op`; resolves with its result or rejects with its error message. */
  call(op, args = {}, { onProgress, transfer = [] } = {}) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.postMessage({ id, op, args }, transfer);
    });
  }
}
