/**
 * Attendance history in (DESIGN §17): past check-ins from Planning Center, Rock or a generic CSV,
 * so the forecast works on the first Sunday. Like the family import: the campus it goes into, a dry
 * run first (nothing written, every row's problems listed by row and column), then the import as a
 * job on the server whose progress is polled into a real progress bar (imports.tsx, shared with it).
 */
import { api, getToken, messageOf, setToken } from '../../api';
import { ImportForm, useImport } from '../../imports';
import { useSignedIn } from '../../session';
import { useApiQuery } from '../../query';

export default function AttendanceImport() {
  const session = useSignedIn();
  const me = useApiQuery(['auth', 'me', 'campuses'], async () => {
    const r = await api('GET /api/auth/me');
    return r.kind === 'user' ? r.campuses : [];
  });
  const imp = useImport('attendance');

  const switchCampus = async (siteId: string) => {
    const kept = localStorage.getItem('kc.staff.token') === getToken();
    try {
      const r = await api('POST /api/auth/switch-campus', { body: { siteId } });
      setToken(r.token, kept);
      location.assign('/staff/admin/attendance-import');
    } catch (e) {
      imp.setError(messageOf(e));
    }
  };
  const campuses = (me.data ?? []).filter((c) => c.role === 'admin');
  return (
    <section className="panel import-panel attendance-import">
      <h2>Attendance history</h2>
      <p className="muted small">
        Past check-ins from Planning Center Check-Ins, Rock RMS, or a CSV with the columns <code>checked_in_at</code> (ISO 8601 with an offset, or the campus’s
        local time <code>YYYY-MM-DD HH:MM</code>) and <code>room</code> (the room’s name at this campus), and optionally <code>service</code>,{' '}
        <code>person_id</code>, <code>first_name</code>, <code>last_name</code>, <code>birthdate</code>, <code>grade</code>. The forecast learns each room’s
        Sunday from them. Importing the same file again changes nothing.
      </p>
      <label className="field">
        <span>Campus</span>
        <select
          value={session.site?.id ?? ''}
          aria-describedby="attendance-campus-hint"
          onChange={(e) => {
            if (e.target.value && e.target.value !== session.site?.id) void switchCampus(e.target.value);
          }}
        >
          {session.site && !campuses.some((c) => c.siteId === session.site!.id) && <option value={session.site.id}>{session.site.name}</option>}
          {campuses.map((c) => (
            <option key={c.siteId} value={c.siteId}>
              {c.name}
            </option>
          ))}
        </select>
        <span id="attendance-campus-hint" className="muted small">
          Rooms are matched by name at this campus. Choosing another campus signs you in there.
        </span>
      </label>
      <ImportForm
        imp={imp}
        formats={[
          ['pco', 'Planning Center Check-Ins'],
          ['rock', 'Rock RMS'],
          ['generic', 'Generic'],
        ]}
        dryRunFirst
        unit="arrivals"
        summaryTestId="attendance-import-summary"
        summaryNote={(job) => (job.dryRun ? ' — nothing was written; import when the problems below are what you expect.' : '')}
        columns
      />
    </section>
  );
}
