import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidInput } from '../../common/errors';
import { AppConfig } from '../../config/config';
import { CapAlert, writeCap } from './cap-message';
import { capRuleErrors } from './cap-rules';
import { SchemaValidationProcess } from './schema-validation-process';

export type CapVersion = '1.1' | '1.2';

/** One schema error: the CAP element it names (`scope`) and libxml2's message without namespaces. */
export interface CapSchemaError {
  field: string;
  message: string;
}

/**
 * The CAP element a libxml2 schema error is about. "Element 'info': This element is not expected.
 * Expected is one of ( source, scope )" is about `scope` (the last element the sequence still needed:
 * optional ones come before the required one); otherwise the element named first (`sent`).
 */
export function schemaErrorField(message: string): string {
  const expected = /Expected is(?: one of)? \(\s*([^)]*)\)/.exec(message);
  if (expected) {
    const names = expected[1].split(',').map((s) => s.trim()).filter(Boolean);
    if (names.length) return names[names.length - 1];
  }
  return /Element '([^']+)'/.exec(message)?.[1] ?? 'alert';
}

/**
 * Checks CAP messages against the official OASIS schemas (CAP 1.2 and 1.1, read from `CAP_SCHEMA_DIR`,
 * never copied into the repository) with libxml2 compiled to WebAssembly (`xmllint-wasm`), and against
 * the rules the schema cannot state ({@link capRuleErrors}). libxml2 here loads no DTD and substitutes
 * no entities (no `--noent`, no `--dtdvalid`). libxml2 runs in a child process
 * ({@link SchemaValidationProcess}): a crash of its WebAssembly fails one validation with a 503, never
 * the process that issues or receives the alert.
 */
@Injectable()
export class CapValidator implements OnModuleInit, OnApplicationShutdown {
  private readonly schemas = new Map<CapVersion, string>();
  /** The child process that runs libxml2; public so a test can end it mid-validation. */
  readonly process = new SchemaValidationProcess();

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  /** Reads both schemas at start, so a wrong CAP_SCHEMA_DIR is said then, not when the first alert is written (dispatch starts anyway). */
  onModuleInit(): void {
    try {
      this.schema('1.2');
      this.schema('1.1');
    } catch (e) {
      new Logger('Alerts').error(`${(e as Error).message}: public alerts cannot be written, issued or received until it is set`);
    }
  }

  /**
   * Stops the validating process once the HTTP server no longer takes requests (Nest's last shutdown
   * hook): alerts being validated then still finish, within a few seconds.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.process.close();
  }

  /**
   * The schema text of a CAP version (`CAP-v1.2.xsd`), read once.
   * @throws Error naming the file and `CAP_SCHEMA_DIR` when it cannot be read
   */
  schema(version: CapVersion): string {
    let text = this.schemas.get(version);
    if (!text) {
      const file = path.resolve(this.config.CAP_SCHEMA_DIR, `CAP-v${version}.xsd`);
      if (!fs.existsSync(file)) throw new Error(`CAP schema not found: ${file} (set CAP_SCHEMA_DIR to the folder of CAP-v1.2.xsd)`);
      text = fs.readFileSync(file, 'utf8');
      this.schemas.set(version, text);
    }
    return text;
  }

  /**
   * Validates XML text against the schema of `version`.
   * @returns the errors (empty when valid), each naming the CAP element, namespaces stripped
   * @throws ServiceUnavailable (503) when the validating process ends or does not answer (that validation only)
   * @throws InvalidInput (400, `body`) when libxml2 runs out of memory on the document
   */
  async schemaErrors(xml: string, version: CapVersion): Promise<CapSchemaError[]> {
    const result = await this.process.validate(xml, this.schema(version));
    if (result.valid) return [];
    return result.errors.map((e) => {
      const message = e.replace(/\{[^}]*\}/g, '').replace(/^Schemas (validity|parser) error : /, '').trim();
      return { field: schemaErrorField(message), message };
    });
  }

  /**
   * Writes a message with the one CAP writer and proves it valid: first the rules the schema cannot
   * state, then the CAP 1.2 schema.
   * @returns the XML
   * @throws InvalidInput (400) naming the first broken rule's field (`info[0].expires: must be after effective`)
   *   or the schema's element (`scope: ...`)
   */
  async writeValid(alert: CapAlert): Promise<string> {
    const rules = capRuleErrors(alert);
    if (rules.length) throw new InvalidInput(rules.map((r) => `${r.field}: ${r.message}`).join('; '));
    const xml = writeCap(alert);
    const schema = await this.schemaErrors(xml, '1.2');
    if (schema.length) throw new InvalidInput(schema.map((e) => `${e.field}: not valid CAP 1.2 (${e.message})`).join('; '));
    return xml;
  }
}
