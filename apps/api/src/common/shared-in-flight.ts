/**
 * Wraps an async operation so that calls made while one is in flight share it: a burst of N callers
 * costs one run, and each caller gets that run's result or error. The next call after it settles starts
 * a new run.
 * @param run the operation (its arguments, when given, are those of the call that starts a run)
 */
export function sharedInFlight<A extends unknown[], T>(run: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return (...args: A) => {
    inFlight ??= run(...args).finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}
