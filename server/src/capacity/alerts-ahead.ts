/**
 * When an alert ahead (DESIGN §17) has been acted on, pure: shared by the forecast's periodic pass
 * and by every room change (afterRoomsChanged), so opening the room clears it at once.
 */
export const AHEAD_KINDS = ['forecast_open_room', 'forecast_volunteers'] as const;

/** Its room is open (forecast_open_room), or enough adults are in the group's open rooms (forecast_volunteers). */
export function actedOn(
  alert: { kind: string; room_ids: string[] | null; forecast_need?: number | null },
  rooms: { roomId: string; open: boolean; volunteers: number }[],
): boolean {
  const ids = alert.room_ids ?? [];
  if (alert.kind === 'forecast_open_room') return ids.length > 0 && ids.every((id) => rooms.find((r) => r.roomId === id)?.open);
  if (alert.kind === 'forecast_volunteers') {
    const present = rooms.filter((r) => ids.includes(r.roomId) && r.open).reduce((s, r) => s + r.volunteers, 0);
    return present >= (alert.forecast_need ?? Infinity);
  }
  return false;
}
