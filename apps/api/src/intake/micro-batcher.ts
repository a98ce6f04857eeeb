/** Options of {@link MicroBatcher}. */
export interface MicroBatchOptions {
  /** Most items handed to one run. */
  maxBatch: number;
  /** Runs going on at the same time; an item that arrives while they all run waits for the next one. */
  maxInFlight: number;
}

/**
 * What one run of a batch answers: one entry per item, in the items' order, either the item's result
 * or the error of that item alone (the other items' results stand).
 */
export type BatchRun<I, O> = (items: I[]) => Promise<(O | Error)[]>;

/**
 * Gathers items submitted at about the same time into batches ("group commit"): an item submitted while
 * `maxInFlight` runs are going on waits for the next run with every other item that arrived meanwhile;
 * alone, an item runs on the next turn of the event loop (no added wait, no timer). Each caller's
 * promise settles with its own entry of the run's answer; a run that throws rejects every item of it.
 * Counts runs and items (`runs`, `items`, `largest`) so the batching can be observed.
 */
export class MicroBatcher<I, O> {
  private queue: { item: I; resolve: (o: O) => void; reject: (e: Error) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;
  /** Runs started so far. */
  runs = 0;
  /** Items handed to runs so far. */
  items = 0;
  /** Most items one run took. */
  largest = 0;

  constructor(
    private readonly run: BatchRun<I, O>,
    private readonly opts: MicroBatchOptions,
  ) {}

  /**
   * Hands `item` to the next run.
   * @returns the item's result
   * @throws the item's own error, or the run's error when the run as a whole failed
   */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.opts.maxInFlight || !this.queue.length) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= this.opts.maxInFlight || !this.queue.length) return;
    const batch = this.queue.splice(0, this.opts.maxBatch);
    this.inFlight++;
    this.runs++;
    this.items += batch.length;
    this.largest = Math.max(this.largest, batch.length);
    try {
      const out = await this.run(batch.map((b) => b.item));
      batch.forEach((b, k) => {
        const o = out[k];
        if (o instanceof Error) b.reject(o);
        else b.resolve(o);
      });
    } catch (e) {
      for (const b of batch) b.reject(e as Error);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }
}
