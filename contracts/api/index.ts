/**
 * The public API's request schemas and response types (DESIGN §7), one module per area. The server
 * validates every body and query with these; the UIs use the same types, so the two sides cannot
 * drift. Import from `contracts` (or `contracts/api`): this file is the entry point.
 */
export { NameSchema, PlaceNameSchema, BirthdateSchema, UuidSchema, PhoneInputSchema, SecurityCodeSchema } from './fields';
export * from './common';
export * from './devices';
export * from './households';
export * from './checkin';
export * from './pickup';
export * from './labels';
export * from './settings';
