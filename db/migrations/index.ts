import { Initial1764432000000 } from './1764432000000-initial';

/** Every migration, in order. A test fails when the entities need a migration that is not here. */
export const MIGRATIONS = [Initial1764432000000];
