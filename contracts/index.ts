export * from './api';
export * from './events';
export * from './limits';
export * from './staff';
export * from './sms';
export * from './rules';
export * from './people';
export * from './volunteers';
export * from './photos';
export * from './accounted';
export * from './privacy';
export * from './apikeys';
export * from './forecast';
export * from './webhooks';
// label templates (DESIGN §18, #29): the model, its defaults and the wire schema; renderers in contracts/labels/
export * from './label-templates';
export * from './printers';
export * from './keytags';
// where a room is (#30): the room schemas and the check-in answer with the location added
export * from './room-location';
