/**
 * Rules shared by the server and both UIs, without zod (CONVENTIONS habit 13): import from
 * `contracts/rules`, not from `contracts`, in UI code that should not pull the schemas in.
 */
export * from './custody';
export * from './dates';
export * from './lang';
export * from './phone';
export * from './phone-display';
export * from './roles';
export * from './rooms';
export * from './text';
export * from './templates';
export * from './volunteers';
export * from './express';
export * from './precheckin';
export * from './code128';
export * from './release';
export * from './photos';
export * from './care';
export * from './sms-consent';
export * from './label-stocks';
export * from './api-keys';
export * from './printer-address';
