/** SMS wording rules shared by the server (it refuses a template with an unknown placeholder) and the admin form, zod-free. */
/** Placeholders each SMS template may use. */
export const TEMPLATE_PLACEHOLDERS = {
  checkinReceipt: ['site', 'children', 'code', 'service', 'pickupUrl'],
  checkinAdded: ['site', 'children', 'code', 'service', 'pickupUrl'],
  checkoutConfirmation: ['site', 'children', 'pickedUpBy', 'time'],
  page: ['site', 'child', 'room', 'message'],
} as const satisfies Record<string, readonly string[]>;
