import { ChildProcess, spawn } from 'node:child_process';
import { InvalidInput, ServiceUnavailable } from '../../common/errors';

/** What libxml2 said about one document: valid, or its error messages as xmllint prints them. */
export interface XmlSchemaResult {
  valid: boolean;
  /** Messages without file and line (`Element 'info': This element is not expected. ...`). */
  errors: string[];
}

/**
 * Where `xmllint-wasm` is, resolved once when this module loads (as the in-process import did): a
 * resolution first tried while the process is out of file descriptors would stay failed for its life.
 */
const XMLLINT_MODULE = require.resolve('xmllint-wasm');

/** xmllint's exit code when libxml2 ran out of memory (`XMLLINT_ERR_MEM`, xmllint.c). */
const XMLLINT_ERR_MEM = 9;

/**
 * The child's program: it loads `xmllint-wasm` (libxml2 compiled to WebAssembly) and validates one
 * document after another. Each request is acknowledged when it arrives and answered by its id. It runs
 * in its own process because `xmllint-wasm` starts a worker thread per validation and terminates it
 * afterwards, and V8's shared WebAssembly engine can crash the whole process with SIGSEGV when isolates
 * using WebAssembly start and stop (seen in this project's CI in a jest worker; cf. bardesss/haelan#187,
 * fixed there the same way). A crash here costs one validation, never the API or the dispatch worker.
 */
function childProgram(modulePath: string): string {
  return `
const { validateXML } = require(${JSON.stringify(modulePath)});
let chain = Promise.resolve();
process.on('message', (m) => {
  process.send({ id: m.id, received: true });
  chain = chain.then(() => validateXML({ xml: [{ fileName: 'message.xml', contents: m.xml }], schema: [{ fileName: 'cap.xsd', contents: m.schema }] })
    .then((r) => process.send({ id: m.id, valid: r.valid, errors: r.errors.map((e) => e.message) }),
          (e) => process.send({ id: m.id, error: String((e && e.message) || e), code: e && typeof e.code === 'number' ? e.code : null })));
});
process.on('disconnect', () => process.exit(0));
`;
}

/** A message from the child: a request received, or its answer. */
interface ChildMessage {
  id: number;
  received?: boolean;
  valid?: boolean;
  errors?: string[];
  error?: string;
  code?: number | null;
}

interface Pending {
  id: number;
  xml: string;
  schema: string;
  resolve: (r: XmlSchemaResult) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
  /** The child it was last sent to: only that child's end concerns it. */
  child?: ChildProcess;
  /** The child acknowledged it: a crash from then on is a crash during this validation. */
  received: boolean;
  /** Times sent (a request the child never received is sent once more, to a new child). */
  sends: number;
}

/**
 * XML Schema validation in a long-lived child process, one document at a time. The child starts on
 * the first validation and again after it ends (a crash, a kill, a timeout); it holds no state
 * between documents but libxml2's compiled WebAssembly. Documents queue behind the one in the child,
 * so a document that takes the whole timeout delays those behind it.
 *
 * Failure modes:
 * - the child ends before it acknowledged the request (it died idle, or the request met a dead pipe) →
 *   the request is sent once more, to a new child: the caller never pays for a crash it did not cause;
 * - the child ends after it acknowledged the request (SIGSEGV, SIGKILL, out of memory) →
 *   {@link ServiceUnavailable} (503) naming how, for that validation only;
 * - no answer within `timeoutMs` → the child is killed and the validation fails with a 503;
 * - the child cannot be started (no file descriptors, no memory) → a 503;
 * - libxml2 ran out of memory on the document → {@link InvalidInput} (400) naming `body`; any other
 *   libxml2 failure that is not a verdict (a schema that does not compile) → Error (500): retrying
 *   would fail the same way.
 */
export class SchemaValidationProcess {
  private child?: ChildProcess;
  private pending?: Pending;
  private nextId = 1;
  private tail: Promise<unknown> = Promise.resolve();
  /** No new validation is taken (queued ones still run). */
  private closing = false;
  /** Nothing runs any more. */
  private closed = false;

  /**
   * @param timeoutMs longest wait for one answer, in milliseconds, the child's start included (it
   *   loads and compiles libxml2's WebAssembly in about 0.2 s)
   */
  constructor(private readonly timeoutMs = 15_000) {}

  /** The running child's process id (none between a crash and the next validation). For tests and logs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Whether the child has acknowledged the validation in flight (false when none is). For tests. */
  get inFlightReceived(): boolean {
    return !!this.pending?.received;
  }

  /**
   * Validates `xml` against the XML Schema text `schema`. Requests queue; one is in the child at a time.
   * @returns whether the document is valid and libxml2's messages
   * @throws ServiceUnavailable (503) when the child ends during this validation, does not answer,
   *   cannot start, or the validator is shutting down
   * @throws InvalidInput (400, field `body`) when libxml2 runs out of memory on the document
   * @throws Error (500) when libxml2 fails otherwise (the schema does not compile)
   */
  validate(xml: string, schema: string): Promise<XmlSchemaResult> {
    if (this.closing) return Promise.reject(new ServiceUnavailable('CAP schema validation: the validator is shutting down'));
    const run = this.tail.then(() => this.send(xml, schema));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * Shuts the validator down: no new validation is taken, those queued and in flight may finish
   * within `graceMs`, then the child is killed (what is left fails with a 503).
   * @param graceMs milliseconds to let queued validations finish
   */
  async close(graceMs = 5_000): Promise<void> {
    this.closing = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.tail, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    this.closed = true;
    const child = this.child;
    this.child = undefined;
    if (child) this.lost(child, 'the validator was shut down');
  }

  private send(xml: string, schema: string): Promise<XmlSchemaResult> {
    if (this.closed) return Promise.reject(new ServiceUnavailable('CAP schema validation: the validator is shut down'));
    return new Promise<XmlSchemaResult>((resolve, reject) => {
      const p: Pending = { id: this.nextId++, xml, schema, resolve, reject, received: false, sends: 0 };
      this.pending = p;
      p.timer = setTimeout(() => {
        const child = p.child;
        this.fail(p, new ServiceUnavailable(`CAP schema validation: no answer within ${this.timeoutMs} ms; the validator was restarted, try again`));
        if (child) this.lost(child, 'timed out');
      }, this.timeoutMs);
      this.deliver(p);
    });
  }

  /** Sends the request to the running child, starting one when there is none. */
  private deliver(p: Pending): void {
    let child: ChildProcess;
    try {
      child = this.start();
    } catch (e) {
      this.fail(p, e as Error);
      return;
    }
    p.child = child;
    p.received = false;
    p.sends++;
    child.channel?.ref();
    child.send({ id: p.id, xml: p.xml, schema: p.schema }, (err) => {
      if (err) this.lost(child, `could not be reached: ${err.message}`);
    });
  }

  /**
   * @throws ServiceUnavailable when the child cannot be started (Node then gives a process with no
   *   IPC channel: out of file descriptors or memory)
   */
  private start(): ChildProcess {
    if (this.child) return this.child;
    const env = { ...process.env };
    // The parent's NODE_OPTIONS (a debugger's --inspect, a profiler) are not the child's.
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, ['-e', childProgram(XMLLINT_MODULE)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env });
    child.on('error', (err) => this.lost(child, `could not start: ${err.message}`));
    if (typeof child.send !== 'function' || child.pid === undefined) {
      child.kill('SIGKILL');
      throw new ServiceUnavailable('CAP schema validation: the validator could not start (no file descriptors or memory?); try again');
    }
    child.on('message', (m: ChildMessage) => this.answer(child, m));
    // A dying child's channel closes before its exit is seen: a validation it had received fails at
    // the exit, which names the signal.
    child.on('disconnect', () => this.lost(child, 'its channel closed', true));
    child.on('exit', (code, signal) => this.lost(child, signal ?? `exit code ${code}`));
    child.unref();
    child.channel?.unref();
    this.child = child;
    return child;
  }

  private answer(child: ChildProcess, m: ChildMessage): void {
    const p = this.pending;
    if (!p || p.child !== child || p.id !== m.id) return;
    if (m.received) {
      p.received = true;
      return;
    }
    if (m.error === undefined) this.settle(p, () => p.resolve({ valid: !!m.valid, errors: m.errors ?? [] }));
    else if (m.code === XMLLINT_ERR_MEM) this.fail(p, new InvalidInput('body: too large to check against the CAP schema (libxml2 ran out of memory)'));
    else this.fail(p, new Error(`CAP schema validation: libxml2 failed (exit code ${m.code ?? '?'}): ${m.error.slice(0, 300)}`));
  }

  /**
   * The child is gone or must go (it ended, its channel closed, a send failed, it timed out): it is
   * dropped and killed. The validation sent to it is sent once more to a new child when the child
   * never acknowledged it, else it fails with a 503 naming `how`.
   * Nothing is sent again after a timeout (its validation has failed already) or a shutdown (`closed`).
   * @param failOnExit a validation the child received is failed by the child's exit event (which names
   *   the signal), not now
   */
  private lost(child: ChildProcess, how: string, failOnExit = false): void {
    if (this.child === child) this.child = undefined;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    const p = this.pending;
    if (!p || p.child !== child) return;
    if (failOnExit && p.received) return;
    if (!this.closed && !p.received && p.sends < 2) {
      this.deliver(p);
      return;
    }
    this.fail(p, new ServiceUnavailable(`CAP schema validation: the validator ended (${how}) during this validation; try again`));
  }

  private fail(p: Pending, error: Error): void {
    this.settle(p, () => p.reject(error));
  }

  /** Ends the validation `p` once (a late answer, exit or timer finds nothing to do). */
  private settle(p: Pending, done: () => void): void {
    if (this.pending !== p) return;
    clearTimeout(p.timer);
    this.pending = undefined;
    p.child?.channel?.unref();
    done();
  }
}
