import type { BackgroundCheck, RoomHeadcount, VolunteerCorrection, VolunteerReportRow, VolunteerShift } from '../../../contracts';
import { backgroundCheckCurrent, iso, type BackgroundCheckStatus } from '../../../contracts/rules';
import type { HeadcountRow, PersonForShift, ReportShiftRow, ShiftRow } from './volunteers.repo';
import type { VolunteerCorrectionRow } from '../capacity/capacity.repo';

export const presentCorrection = (c: VolunteerCorrectionRow): VolunteerCorrection => ({
  roomId: c.room_id,
  present: c.present,
  before: c.before,
  checkedIn: c.checked_in,
  reason: c.reason,
  by: c.corrected_by,
  at: iso(c.corrected_at),
});

export const presentShift = (s: ShiftRow): VolunteerShift => ({
  id: s.id,
  serviceId: s.service_id,
  roomId: s.room_id,
  roomName: s.room_name,
  userId: s.user_id,
  name: s.user_name || s.user_email,
  checkedInAt: iso(s.checked_in_at),
  checkedOutAt: s.checked_out_at ? iso(s.checked_out_at) : null,
});

export function presentCheck(p: Pick<PersonForShift, 'background_check_status' | 'background_check_expires_on'>, onDate: string): BackgroundCheck {
  const check = { status: p.background_check_status as BackgroundCheckStatus, expiresOn: p.background_check_expires_on ?? null };
  return { ...check, current: backgroundCheckCurrent(check, onDate) };
}

export const presentReportRow = (s: ReportShiftRow): VolunteerReportRow => ({
  ...presentShift(s),
  serviceName: s.service_name,
  serviceDate: s.service_date,
  minutes: s.checked_out_at ? Math.round((new Date(s.checked_out_at).getTime() - new Date(s.checked_in_at).getTime()) / 60_000) : null,
});

export const presentHeadcount = (h: HeadcountRow): RoomHeadcount => ({
  id: h.id,
  roomId: h.room_id,
  count: h.count,
  systemCount: h.system_count,
  recordedBy: h.recorded_by ?? null,
  recordedAt: iso(h.recorded_at),
});
