/**
 * Request schemas and response types of the staff app's API, one module per area: families,
 * rosters, reports and the admin area (rooms, services, site settings, import). Same rules as
 * contracts/api: the server validates with these, the staff UI uses the types. This file is the
 * entry point (`contracts` or `contracts/staff`).
 */
export { IsoDateSchema } from './fields';
export * from './families';
export * from './rosters';
export * from './reports';
export * from './rooms';
export * from './services';
export * from './settings';
export * from './import';
