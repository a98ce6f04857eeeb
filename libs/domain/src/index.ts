export * from './units';
export * from './priority';
export * from './status';
export * from './response-plan';
export * from './events';
export * from './jurisdiction-index';
export * from './command-chain';
