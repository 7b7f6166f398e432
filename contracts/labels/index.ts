/**
 * Label templates (DESIGN §18): model, defaults, shrink-to-fit and the two renderers. Import from
 * here (not from contracts/index, which stays free of the QR library) where a label is rendered.
 */
export * from './model';
export * from './defaults';
export * from './fit';
export * from './sample';
export * from './zpl';
export * from './html';
