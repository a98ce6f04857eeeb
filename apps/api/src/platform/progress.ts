import { Presets, SingleBar } from 'cli-progress';

/** Where a CLI reports the progress of a long task. */
export interface ProgressSink {
  /**
   * Progress now: `fraction` done (0..1) and the fields the bar shows (`{simTime}`, `{posted}`...); `line`
   * is the same in words, written as it is when the stream is not a terminal.
   */
  update(fraction: number, payload: Record<string, string | number>, line: string): void;
  /** A message between updates (written on its own line, above the bar on a terminal). */
  note(line: string): void;
  /** Ends the bar (leaves it drawn at its last value). */
  stop(): void;
  /** True when drawing a bar (a terminal), false when writing plain lines. */
  readonly tty: boolean;
}

/**
 * A `cli-progress` bar on a terminal, plain lines otherwise (a pipe, a CI log), on `stream` (stderr by
 * default, so stdout keeps the CLI's results).
 * @param format the bar's format with `{bar}`, `{percentage}` and payload tokens (cli-progress syntax)
 */
export function progressSink(format: string, stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  const tty = !!stream.isTTY;
  let bar: SingleBar | null = null;
  return {
    tty,
    update(fraction, payload, line) {
      const value = Math.max(0, Math.min(100, Math.round(fraction * 1000) / 10));
      if (!tty) {
        stream.write(line + '\n');
        return;
      }
      if (!bar) {
        bar = new SingleBar({ format, stream, hideCursor: true, clearOnComplete: false, etaBuffer: 20 }, Presets.shades_classic);
        bar.start(100, value, payload);
      } else bar.update(value, payload);
    },
    note(line) {
      stream.write(tty && bar ? `\r\x1b[K${line}\n` : line + '\n');
      bar?.render();
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
