export * from './control-charts';
export * from './readings';
export * from './georeference';
export * from './localisation';
export * from './silence';
export * from './run-cards';
