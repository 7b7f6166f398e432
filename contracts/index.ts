export * from './api';
export * from './events';
export * from './limits';
export * from './staff';
export * from './sms';
export * from './rules';
export * from './people';
export * from './volunteers';
