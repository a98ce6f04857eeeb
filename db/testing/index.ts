/** Test helpers shared by the integration and end-to-end tests (not part of the product build). */
export { cloneTestDatabase } from './clone-database';
export { realCalls, callBody } from './sf-fixture';
export { waitFor } from './wait-for';
export { emptyTestDatabase } from './empty-database';
export { databaseOutage, type DatabaseOutage } from './database-outage';
