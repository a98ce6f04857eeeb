/** The contract between the API and its consoles: views and event payloads. */
export * from './views';
export * from './events';
export * from './drill-report';
