/**
 * The pure core: no I/O, no clock, no randomness, no host time zone (`asOf` is an argument;
 * tests/pure-core.test.ts). Three concepts, one folder each: time, the ladder, fees.
 */
export * from "./time/index.js";
export * from "./ladder/index.js";
export * from "./fees/index.js";
