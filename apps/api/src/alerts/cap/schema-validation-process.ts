import { ChildProcess, spawn } from 'node:child_process';
import { ServiceUnavailable } from '../../common/errors';

/** What libxml2 said about one document: valid, or its error messages as xmllint prints them. */
export interface XmlSchemaResult {
  valid: boolean;
  /** Messages without file and line (`Element 'info': This element is not expected. ...`). */
  errors: string[];
}

/**
 * The child's program: it loads `xmllint-wasm` (libxml2 compiled to WebAssembly) and validates one
 * document after another, answering each request by its id. It runs in its own process because
 * `xmllint-wasm` starts a worker thread per validation and terminates it afterwards, and V8's shared
 * WebAssembly engine can crash the whole process with SIGSEGV when isolates using WebAssembly start
 * and stop (seen in this project's CI in a jest worker; cf. bardesss/haelan#187, fixed there the same
 * way). A crash here costs one validation, never the API or the dispatch worker.
 */
function childProgram(modulePath: string): string {
  return `
const { validateXML } = require(${JSON.stringify(modulePath)});
let chain = Promise.resolve();
process.on('message', (m) => {
  chain = chain.then(() => validateXML({ xml: [{ fileName: 'message.xml', contents: m.xml }], schema: [{ fileName: 'schema.xsd', contents: m.schema }] })
    .then((r) => process.send({ id: m.id, valid: r.valid, errors: r.errors.map((e) => e.message) }),
          (e) => process.send({ id: m.id, error: String((e && e.message) || e) })));
});
process.on('disconnect', () => process.exit(0));
`;
}

interface Pending {
  id: number;
  resolve: (r: XmlSchemaResult) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  /** The child it was sent to: only that child's end fails it. */
  child: ChildProcess;
}

/**
 * XML Schema validation in a long-lived child process, one document at a time. The child starts on
 * the first validation and again after it ends (a crash, a kill, a timeout); it holds no state
 * between documents but libxml2's compiled WebAssembly.
 *
 * Failure modes, each costing only the validation in flight:
 * - the child ends (SIGSEGV, SIGKILL, out of memory) → {@link ServiceUnavailable} (503) naming how;
 * - no answer within `timeoutMs` → the child is killed and the validation fails with a 503;
 * - libxml2 itself fails (not a validity verdict) → a 503 with its message.
 */
export class SchemaValidationProcess {
  private child?: ChildProcess;
  private pending?: Pending;
  private nextId = 1;
  private tail: Promise<unknown> = Promise.resolve();
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

  /**
   * Validates `xml` against the XML Schema text `schema`. Requests queue; one is in the child at a time.
   * @returns whether the document is valid and libxml2's messages
   * @throws ServiceUnavailable (503) when the child ends, times out or libxml2 fails
   */
  validate(xml: string, schema: string): Promise<XmlSchemaResult> {
    const run = this.tail.then(() => this.send(xml, schema));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Ends the child; validations asked for afterwards fail with a 503. */
  close(): void {
    this.closed = true;
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }

  private send(xml: string, schema: string): Promise<XmlSchemaResult> {
    if (this.closed) return Promise.reject(new ServiceUnavailable('CAP schema validation: the validator is shut down'));
    const child = this.start();
    return new Promise<XmlSchemaResult>((resolve, reject) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.fail(child, new ServiceUnavailable(`CAP schema validation: no answer within ${this.timeoutMs} ms; the validator was restarted, try again`));
        child.kill('SIGKILL');
      }, this.timeoutMs);
      this.pending = { id, resolve, reject, timer, child };
      child.channel?.ref();
      child.send({ id, xml, schema }, (err) => {
        if (err) this.fail(child, new ServiceUnavailable(`CAP schema validation: the validator could not be reached (${err.message}); try again`));
      });
    });
  }

  private start(): ChildProcess {
    if (this.child && !this.child.killed && this.child.exitCode === null && this.child.signalCode === null && this.child.connected) return this.child;
    const child = spawn(process.execPath, ['-e', childProgram(require.resolve('xmllint-wasm'))], {
      // Spawned, not forked: none of the parent's flags (a debugger, a test runner's loaders) follow.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.on('message', (m: { id: number; valid?: boolean; errors?: string[]; error?: string }) => {
      const p = this.pending;
      if (!p || p.id !== m.id) return;
      if (m.error !== undefined) this.fail(child, new ServiceUnavailable(`CAP schema validation: libxml2 failed (${m.error.slice(0, 300)})`));
      else this.settle(() => p.resolve({ valid: !!m.valid, errors: m.errors ?? [] }));
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      this.fail(child, new ServiceUnavailable(`CAP schema validation: the validator ended (${signal ?? `exit code ${code}`}) during this validation; try again`));
    });
    child.on('error', (err) => {
      if (this.child === child) this.child = undefined;
      this.fail(child, new ServiceUnavailable(`CAP schema validation: the validator could not start (${err.message})`));
    });
    child.unref();
    child.channel?.unref();
    this.child = child;
    return child;
  }

  /** Fails the validation in flight when it was sent to `child`. */
  private fail(child: ChildProcess, error: Error): void {
    const p = this.pending;
    if (p && p.child === child) this.settle(() => p.reject(error));
  }

  private settle(done: () => void): void {
    const p = this.pending;
    if (!p) return;
    clearTimeout(p.timer);
    this.pending = undefined;
    p.child.channel?.unref();
    done();
  }
}
