/**
 * One piece of console state read over REST and kept current by live events (a card's messages, its
 * narrative, the hospitals chosen, the acknowledgement alerts). Two races are closed here:
 * - a read can be answered from before an event committed while the event reaches the socket first:
 *   every event noted while the read was in flight is applied again once the read is adopted (the
 *   handlers are idempotent: an upsert by id, a set, a delete);
 * - reads can land out of order (select A, then B, then A again): only the latest read started is
 *   adopted, an older one is dropped when it lands.
 */
export class LiveRead<E> {
  private latest = 0;
  private inFlight: { id: number; events: E[] } | null = null;

  /**
   * Starts a read; every read started before it is dropped when it lands.
   * @param read the REST request
   * @param adopt takes the value read (only when this read is still the latest)
   * @param replay takes the live events noted while it was in flight, in arrival order, after `adopt`
   * @returns `adopted`, or `superseded` when a later read (or {@link cancel}) came first
   * @throws what `read` throws (nothing is adopted then)
   */
  async run<T>(read: () => Promise<T>, adopt: (value: T) => void, replay: (events: E[]) => void): Promise<'adopted' | 'superseded'> {
    const mine = { id: ++this.latest, events: [] as E[] };
    this.inFlight = mine;
    try {
      const value = await read();
      if (mine.id !== this.latest) return 'superseded';
      adopt(value);
      replay(mine.events);
      return 'adopted';
    } finally {
      if (this.inFlight === mine) this.inFlight = null;
    }
  }

  /** Notes a live event for the read in flight, if any (the caller also applies it to what is shown now). */
  note(event: E): void {
    this.inFlight?.events.push(event);
  }

  /** Drops the read in flight: what it answers is never adopted (the card was cleared, or shows another incident). */
  cancel(): void {
    this.latest++;
    this.inFlight = null;
  }
}

/**
 * Tickets for the reads of one thing (a list polled, a panel redrawn from REST): only the latest read
 * started may land, since an older answer may predate a newer one (a move-up confirmed, an alert approved).
 */
export class LatestRead {
  private latest = 0;

  /** A ticket for a read starting now: every ticket given before stops being current. */
  start(): number {
    return ++this.latest;
  }

  /** True while `ticket` is the latest given and nothing was {@link invalidate}d since. */
  current(ticket: number): boolean {
    return ticket === this.latest;
  }

  /** Makes every ticket given so far stale (a write was answered with state newer than their reads). */
  invalidate(): void {
    this.latest++;
  }
}
