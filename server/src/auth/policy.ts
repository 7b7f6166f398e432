/**
 * Who may read what is decided once, in server/src/policies (`can(actor, action, subject)`); this
 * module keeps the name its callers import.
 */
export { readsMedicalNotes } from '../policies';
