export * from './params.js';
export * from './matrix.js';
export * from './gates.js';
export * from './circuit.js';
export * from './builder.js';
export * from './pauli.js';
export * from './json.js';
