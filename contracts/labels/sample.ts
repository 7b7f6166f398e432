/** The made-up family a template preview prints (never a real child's data). */
import type { LabelData } from './model';

export const SAMPLE_LABEL_DATA: LabelData = {
  code: 'K7MX',
  pickupUrl: 'https://checkin.example.church/pass/sample-pass-token-0123456789abcdef',
  expressCode: 'KCFAM7Q2X9P4',
  date: 'Sun, Dec 13, 2026',
  service: '9:00 AM',
  footer: 'North Campus · Be kind',
  campus: 'North Campus',
  lang: 'en',
  child: {
    firstName: 'Olivia',
    lastName: 'Martínez',
    room: 'Preschool (Room 104)',
    allergies: 'Peanuts, tree nuts — carries EpiPen',
    allergySeverity: 'life-threatening',
    medical: true,
  },
  childNames: 'Olivia, Mateo',
  parentName: 'Ana Martínez',
  volunteer: { name: 'Jordan Lee', room: 'Preschool (Room 104)' },
  familyName: 'The Martínez family',
};
