import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MoveUpInput, MoveUpResult } from './coverage';

/**
 * The move-up solver on a worker thread (`node:worker_threads`), so that the API's event loop stays
 * free while it runs. One worker is kept and reused; requests are answered in order. Under ts-jest or
 * tsx (this file is `.ts`) the worker loads its entry through `tsx/cjs` (a dev dependency); in the built API it loads the
 * compiled `move-up.worker.js` next to this file.
 */
export class MoveUpWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: MoveUpResult) => void; reject: (e: Error) => void }>();

  /**
   * Solves one move-up problem off the event loop (same result as `recommendMoveUps(input)`).
   * @throws (rejects) Error with the solver's message on bad input, or when the worker dies
   */
  solve(input: MoveUpInput): Promise<MoveUpResult> {
    const worker = this.start();
    const id = this.nextId++;
    worker.ref();
    return new Promise<MoveUpResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, input });
    });
  }

  /** Stops the worker; pending requests are rejected. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
    this.failAll(new Error('move-up worker closed'));
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const ts = path.extname(__filename) === '.ts';
    const entry = path.join(__dirname, `move-up.worker${ts ? '.ts' : '.js'}`);
    // From TypeScript sources (ts-jest, tsx) the entry is loaded through tsx's CommonJS hook.
    const w = ts ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)});`, { eval: true }) : new Worker(entry);
    w.unref();
    w.on('message', (msg: { id: number; result?: MoveUpResult; error?: string }) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error !== undefined) p.reject(new Error(msg.error));
      else p.resolve(msg.result!);
      if (this.pending.size === 0) w.unref();
    });
    w.on('error', (e) => {
      this.worker = null;
      this.failAll(e);
    });
    w.on('exit', () => {
      if (this.worker === w) this.worker = null;
      this.failAll(new Error('move-up worker exited'));
    });
    this.worker = w;
    return w;
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

/**
 * One-shot: starts a worker thread, solves, and stops it. Prefer one long-lived {@link MoveUpWorker}
 * in a server (saves the worker start-up, tens of milliseconds).
 */
export async function solveMoveUpsInWorker(input: MoveUpInput): Promise<MoveUpResult> {
  const w = new MoveUpWorker();
  try {
    return await w.solve(input);
  } finally {
    await w.close();
  }
}
