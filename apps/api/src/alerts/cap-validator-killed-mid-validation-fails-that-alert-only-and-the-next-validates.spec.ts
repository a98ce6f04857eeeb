import * as fs from 'node:fs';
import * as path from 'node:path';
import { capSchemaDir, loadConfig } from '../config/config';
import { InvalidInput, ServiceUnavailable } from '../common/errors';
import { CapValidator } from './cap/cap-validator';
import { SchemaValidationProcess } from './cap/schema-validation-process';

/**
 * libxml2 (WebAssembly) validates CAP messages in a child process. V8 has crashed a whole process
 * with SIGSEGV while WebAssembly isolates started and stopped (once in this project's CI): here a
 * crash, a kill or a hang of the validator costs the one alert in flight a 503, the process that asked
 * lives on, and the next alert is validated by a new child.
 */
const schemaDir = capSchemaDir(process.env);
const samples = path.join(schemaDir, 'samples');
const valid = fs.readFileSync(path.join(samples, 'canada.cap'), 'utf8');
const invalid = fs.readFileSync(path.join(samples, 'invalid.cap'), 'utf8');
const schema12 = fs.readFileSync(path.join(schemaDir, 'CAP-v1.2.xsd'), 'utf8');

/** The valid message with its first info block repeated `n` times (1000: 4.5 MB, a few hundred ms to validate). */
const repeated = (n: number): string => {
  const info = /<info>[\s\S]*?<\/info>/.exec(valid)![0];
  return valid.replace(info, info.repeat(n));
};

/** Waits until the child has acknowledged the validation in flight: a kill from then on is mid-validation. */
const received = async (proc: SchemaValidationProcess): Promise<void> => {
  for (let i = 0; i < 5000 && !proc.inFlightReceived; i++) await new Promise((r) => setTimeout(r, 1));
  expect(proc.inFlightReceived).toBe(true);
};

/** Blocks this process's event loop, as a busy API does between a child's death and its exit event. */
const busy = (ms: number): void => {
  const until = Date.now() + ms;
  while (Date.now() < until);
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the CAP validator killed mid-validation fails that alert only, and the next one validates', () => {
  const validator = new CapValidator(loadConfig({ CAP_SCHEMA_DIR: schemaDir }));
  afterAll(() => validator.onApplicationShutdown());

  it('validates a real agency message and refuses a broken one, in a child process', async () => {
    expect(await validator.schemaErrors(valid, '1.2')).toEqual([]);
    const errors = await validator.schemaErrors(invalid, '1.2');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0].field).toMatch(/\w/);
    expect(validator.process.pid).toBeDefined();
    expect(validator.process.pid).not.toBe(process.pid);
  });

  it('a SIGSEGV of the validator during a validation is a 503 for that one, and the next gets a new validator', async () => {
    await validator.schemaErrors(valid, '1.2');
    const first = validator.process.pid!;
    const inFlight = validator.schemaErrors(repeated(1000), '1.2');
    await received(validator.process);
    process.kill(first, 'SIGSEGV');
    const error = await inFlight.then(() => null, (e: Error) => e);
    expect(error).toBeInstanceOf(ServiceUnavailable);
    expect((error as ServiceUnavailable).status).toBe(503);
    expect(error!.message).toMatch(/SIGSEGV/);
    // This process is untouched and validates the next alert with a new child.
    expect(await validator.schemaErrors(valid, '1.2')).toEqual([]);
    expect(validator.process.pid).not.toBe(first);
    expect(alive(first)).toBe(false);
  });

  it('a validator that died idle costs no alert: those asked for next, even before its end is noticed, are validated by a new one', async () => {
    const proc = new SchemaValidationProcess();
    try {
      for (const wait of [0, 100]) {
        await proc.validate(valid, schema12);
        const dead = proc.pid!;
        process.kill(dead, 'SIGKILL');
        // The API busy for a while: the child is dead but its exit not yet seen, and the pipe to it broken.
        if (wait) busy(wait);
        const docs = Array.from({ length: 20 }, (_, i) => (i % 4 === 0 ? invalid : valid));
        const verdicts = await Promise.all(docs.map((d) => proc.validate(d, schema12).then((r) => r.valid, (e: Error) => e.message)));
        expect(verdicts).toEqual(docs.map((d) => d === valid));
        expect(proc.pid).not.toBe(dead);
      }
    } finally {
      await proc.close();
    }
  });

  it('a validator that stops answering is killed after the timeout; the alert gets a 503 and the next one validates', async () => {
    const proc = new SchemaValidationProcess(1_500);
    try {
      expect((await proc.validate(valid, schema12)).valid).toBe(true);
      const hung = proc.pid!;
      process.kill(hung, 'SIGSTOP');
      const error = await proc.validate(valid, schema12).then(() => null, (e: Error) => e);
      expect(error).toBeInstanceOf(ServiceUnavailable);
      expect(error!.message).toMatch(/no answer within 1500 ms/);
      const next = await proc.validate(invalid, schema12);
      expect(next.valid).toBe(false);
      expect(next.errors.length).toBeGreaterThan(0);
      expect(proc.pid).not.toBe(hung);
    } finally {
      await proc.close();
    }
  });

  it('alerts asked for together are answered each with its own verdict, and one lost to a crash loses no other', async () => {
    const docs = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? invalid : valid));
    const verdicts = await Promise.all(docs.map((d) => validator.schemaErrors(d, '1.2')));
    expect(verdicts.map((v) => v.length === 0)).toEqual(docs.map((d) => d === valid));

    // A crash while the first of three is being validated: the first gets a 503, the other two are
    // sent to the next child and answered.
    await validator.schemaErrors(valid, '1.2');
    const pid = validator.process.pid!;
    const three = [repeated(1000), invalid, valid].map((d) => validator.schemaErrors(d, '1.2').then((e) => e.length === 0, (e: Error) => e));
    await received(validator.process);
    process.kill(pid, 'SIGKILL');
    const [a, b, c] = await Promise.all(three);
    expect(a).toBeInstanceOf(ServiceUnavailable);
    expect([b, c]).toEqual([false, true]);
  });

  it('a document too large for libxml2 is refused with 400 naming the body, and the next validates', async () => {
    const proc = new SchemaValidationProcess();
    try {
      const error = await proc.validate(repeated(3000), schema12).then(() => null, (e: Error) => e);
      expect(error).toBeInstanceOf(InvalidInput);
      expect(error!.message).toMatch(/^body: .*ran out of memory/);
      expect((await proc.validate(valid, schema12)).valid).toBe(true);
    } finally {
      await proc.close();
    }
  });

  it('shutting down lets the validations in flight and queued finish, refuses new ones with 503 and leaves no child', async () => {
    const proc = new SchemaValidationProcess();
    await proc.validate(valid, schema12);
    const pid = proc.pid!;
    const queued = [repeated(100), invalid, valid].map((d) => proc.validate(d, schema12).then((r) => r.valid));
    const closed = proc.close();
    await expect(proc.validate(valid, schema12)).rejects.toBeInstanceOf(ServiceUnavailable);
    expect(await Promise.all(queued)).toEqual([true, false, true]);
    await closed;
    await expect(proc.validate(valid, schema12)).rejects.toBeInstanceOf(ServiceUnavailable);
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(pid)).toBe(false);
    expect(proc.pid).toBeUndefined();
  });

  it('shutting down with a validation that never ends kills the validator after the grace period: 503 for it', async () => {
    const proc = new SchemaValidationProcess();
    await proc.validate(valid, schema12);
    process.kill(proc.pid!, 'SIGSTOP');
    const stuck = proc.validate(valid, schema12).then(() => null, (e: Error) => e);
    await proc.close(300);
    const error = await stuck;
    expect(error).toBeInstanceOf(ServiceUnavailable);
    expect(error!.message).toMatch(/shut down/);
  });
});
