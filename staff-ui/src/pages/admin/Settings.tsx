/**
 * Admin: the campus's name and timezone, and the rules it runs with. Each rule is either the
 * organisation's default (live: it changes when the organisation changes it) or changed here;
 * "Use organisation default" removes the campus's own value. Only changed keys are sent.
 */
import { useState, type ReactNode } from 'react';
import type { SettingKey, SiteSettings, SiteSettingsUpdate, SiteWithSettings } from '../../../../contracts';
import type { RequestBody } from '../../../../contracts/client/http';
import { api } from '../../api';
import { TEMPLATE_PLACEHOLDERS } from '../../../../contracts/rules';
import { ActionButton, ErrorText, Loading } from '../../ui';
import { keys, useApiQuery } from '../../query';

const PLACEHOLDERS: Record<keyof SiteSettings['smsTemplates'], readonly string[]> = TEMPLATE_PLACEHOLDERS;
const TEMPLATE_LABEL: Record<keyof SiteSettings['smsTemplates'], string> = {
  checkinReceipt: 'Check-in receipt',
  checkinAdded: 'Check-in receipt (later children, same code)',
  checkoutConfirmation: 'Checkout confirmation',
  page: 'Page a parent',
};
const SCALAR_KEYS = [
  'strategy',
  'softThresholdPct',
  'ratioEnforcement',
  'twoAdultRule',
  'schoolCutoff',
  'checkinWindowMinutes',
  'labelFooter',
  'gradePromotionDate',
  // forecast (DESIGN §17)
  'forecastLeadMinutes',
] as const;
const TEMPLATE_KEYS = Object.keys(PLACEHOLDERS) as (keyof SiteSettings['smsTemplates'])[];

/** Only what differs from what the server holds. */
export function settingsPatch(s: SiteSettings, held: SiteSettings): SiteSettingsUpdate {
  const patch: Record<string, unknown> = {};
  for (const k of SCALAR_KEYS) if (s[k] !== held[k]) patch[k] = s[k];
  const templates: Record<string, string> = {};
  for (const k of TEMPLATE_KEYS) if (s.smsTemplates[k] !== held.smsTemplates[k]) templates[k] = s.smsTemplates[k];
  if (Object.keys(templates).length) patch.smsTemplates = templates;
  return patch;
}

const RATIO_LABEL: Record<SiteSettings['ratioEnforcement'], string> = {
  off: 'Off — show the ratio only',
  warn: 'Warn — staff see “over ratio”, kiosks admit up to capacity',
  enforce: 'Enforce — a room takes no more children than its volunteers present allow',
};

/** One setting's value as shown next to "Use organisation default". */
function shown(d: SiteSettings, k: SettingKey): string {
  if (k.startsWith('smsTemplates.')) return d.smsTemplates[k.slice('smsTemplates.'.length) as keyof SiteSettings['smsTemplates']];
  const v = d[k as Exclude<SettingKey, `smsTemplates.${string}`>];
  if (k === 'strategy') return v === 'balance' ? 'Balance' : 'Fill rooms in order';
  if (k === 'ratioEnforcement') return RATIO_LABEL[v as SiteSettings['ratioEnforcement']];
  if (k === 'twoAdultRule' && v == null) return 'on where ratios are enforced';
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  return v === '' || v == null ? '(empty)' : String(v);
}

/** The check-in rules and SMS wording fields; `mark` adds a setting's origin (campus page) or nothing (organisation page). */
export function RulesFields({
  s,
  set,
  mark,
}: {
  s: SiteSettings;
  set: <K extends keyof SiteSettings>(k: K, v: SiteSettings[K]) => void;
  mark: (k: SettingKey) => ReactNode;
}) {
  return (
    <>
      <section className="panel">
        <h2>Check-in rules</h2>
        <fieldset className="radio-group">
          <legend>Room assignment {mark('strategy')}</legend>
          <label className="check">
            <input type="radio" name="strategy" checked={s.strategy === 'fill_in_order'} onChange={() => set('strategy', 'fill_in_order')} />{' '}
            <span>Fill rooms in order (the first room fills before the next is used)</span>
          </label>
          <label className="check">
            <input type="radio" name="strategy" checked={s.strategy === 'balance'} onChange={() => set('strategy', 'balance')} />{' '}
            <span>Balance (the emptiest room first)</span>
          </label>
        </fieldset>
        <div className="spec-fields">
          <div className="setting">
            <label className="field">
              <span>“Nearly full” alert at (% of limit)</span>
              <input type="number" min={10} max={100} value={s.softThresholdPct} onChange={(e) => set('softThresholdPct', Number(e.target.value))} />
            </label>
            {mark('softThresholdPct')}
          </div>
          <div className="setting">
            <label className="field">
              <span>Check-in opens (minutes before a service)</span>
              <input type="number" min={5} max={240} value={s.checkinWindowMinutes} onChange={(e) => set('checkinWindowMinutes', Number(e.target.value))} />
            </label>
            {mark('checkinWindowMinutes')}
          </div>
          <div className="setting">
            <label className="field">
              <span>Forecast alerts ahead (minutes before a room or adults are needed)</span>
              <input type="number" min={0} max={240} value={s.forecastLeadMinutes} onChange={(e) => set('forecastLeadMinutes', Number(e.target.value))} />
            </label>
            {mark('forecastLeadMinutes')}
          </div>
          <div className="setting">
            <label className="field">
              <span>Children move up a grade on (MM-DD)</span>
              <input
                value={s.gradePromotionDate}
                maxLength={5}
                placeholder="08-01"
                aria-label="Grade promotion date"
                onChange={(e) => set('gradePromotionDate', e.target.value)}
              />
            </label>
            {mark('gradePromotionDate')}
          </div>
          <div className="setting">
            <label className="field">
              <span>Label footer</span>
              <input value={s.labelFooter} maxLength={60} onChange={(e) => set('labelFooter', e.target.value)} />
            </label>
            {mark('labelFooter')}
          </div>
          <div className="setting">
            <label className="field">
              <span>Volunteer ratios (volunteers present are those checked in to the room)</span>
              <select
                aria-label="Volunteer ratios"
                value={s.ratioEnforcement}
                onChange={(e) => set('ratioEnforcement', e.target.value as SiteSettings['ratioEnforcement'])}
              >
                {(Object.keys(RATIO_LABEL) as SiteSettings['ratioEnforcement'][]).map((m) => (
                  <option key={m} value={m}>
                    {RATIO_LABEL[m]}
                  </option>
                ))}
              </select>
            </label>
            {mark('ratioEnforcement')}
          </div>
          <div className="setting">
            <label className="field">
              <span>Two-adult rule (a room admits children only with two cleared adults checked in)</span>
              <select
                aria-label="Two-adult rule"
                value={s.twoAdultRule == null ? 'auto' : s.twoAdultRule ? 'on' : 'off'}
                onChange={(e) => set('twoAdultRule', e.target.value === 'auto' ? null : e.target.value === 'on')}
              >
                <option value="auto">On where ratios are enforced</option>
                <option value="on">On</option>
                <option value="off">Off</option>
              </select>
            </label>
            {mark('twoAdultRule')}
          </div>
          <div className="setting">
            <label className="field">
              <span>School cut-off: 5 by this day (MM-DD) starts kindergarten that year</span>
              <input
                value={s.schoolCutoff}
                maxLength={5}
                placeholder="09-01"
                aria-label="School cut-off"
                onChange={(e) => set('schoolCutoff', e.target.value)}
              />
            </label>
            {mark('schoolCutoff')}
          </div>
        </div>
      </section>
      <section className="panel">
        <h2>Text messages</h2>
        {(Object.keys(PLACEHOLDERS) as (keyof SiteSettings['smsTemplates'])[]).map((k) => (
          <div key={k} className="setting">
            <label className="field field--wide">
              <span>
                {TEMPLATE_LABEL[k]} <small className="muted">({s.smsTemplates[k].length}/320)</small>
              </span>
              <textarea rows={2} maxLength={320} value={s.smsTemplates[k]} onChange={(e) => set('smsTemplates', { ...s.smsTemplates, [k]: e.target.value })} />
              <small className="muted">Placeholders: {PLACEHOLDERS[k].map((p) => `{{${p}}}`).join(' ')}</small>
            </label>
            {mark(`smsTemplates.${k}`)}
          </div>
        ))}
      </section>
    </>
  );
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export default function Settings() {
  const load = useApiQuery(keys.siteSettings, () => api('GET /api/site/settings'));
  if (load.error) return <ErrorText error={load.error} />;
  if (!load.data) return <Loading />;
  return <SettingsForm loaded={load.data} onSaved={load.setData} />;
}

function SettingsForm({ loaded, onSaved }: { loaded: SiteWithSettings; onSaved: (s: SiteWithSettings) => void }) {
  // what the server holds: a save sends only what differs from it
  const [initial, setInitial] = useState(loaded);
  const [site, setSite] = useState(initial.site);
  const [s, setS] = useState<SiteSettings>(initial.settings);
  const [saved, setSaved] = useState<string | null>(null);
  const set = <K extends keyof SiteSettings>(k: K, v: SiteSettings[K]) => {
    setS((x) => ({ ...x, [k]: v }));
    setSaved(null);
  };
  const stored = (next: SiteWithSettings) => {
    setInitial(next);
    onSaved(next); // the cache holds what was stored (the Services page reads it too)
  };

  const save = async () => {
    const sitePatch: Record<string, string> = {};
    if (site.name !== initial.site.name) sitePatch.name = site.name;
    if (site.timezone !== initial.site.timezone) sitePatch.timezone = site.timezone;
    const patch: Record<string, unknown> = { ...settingsPatch(s, initial.settings) };
    // the weekly pre-check-in text is the campus's own (not an organisation default)
    if (JSON.stringify(s.preCheckinSms) !== JSON.stringify(initial.settings.preCheckinSms)) patch.preCheckinSms = s.preCheckinSms;
    let next = initial;
    if (Object.keys(sitePatch).length) next = { ...next, site: (await api('PATCH /api/site', { body: sitePatch })).site };
    if (Object.keys(patch).length) next = { ...(await api('PATCH /api/site/settings', { body: patch })), site: next.site };
    const changed = Object.keys(sitePatch).length + Object.keys(patch).length;
    stored(next);
    setSite(next.site);
    setS(next.settings);
    setSaved(changed ? 'Saved.' : 'Nothing changed.');
  };

  /** Back to the organisation's default for one setting, at once (other unsaved edits stay as typed). */
  const reset = async (k: SettingKey) => {
    // a computed key: the schema (null = back to the default) checks it on the server
    const body = (
      k.startsWith('smsTemplates.') ? { smsTemplates: { [k.slice('smsTemplates.'.length)]: null } } : { [k]: null }
    ) as RequestBody<'PATCH /api/site/settings'>;
    const next = await api('PATCH /api/site/settings', { body });
    stored({ ...next, site: initial.site });
    setS((x) =>
      k.startsWith('smsTemplates.')
        ? { ...x, smsTemplates: { ...x.smsTemplates, [k.slice(13)]: next.settings.smsTemplates[k.slice(13) as keyof SiteSettings['smsTemplates']] } }
        : { ...x, [k]: next.settings[k as keyof SiteSettings] },
    );
    setSaved('Now the organisation default.');
  };

  const mark = (k: SettingKey) =>
    initial.overridden.includes(k) ? (
      <span className="setting-origin" data-setting={k} data-origin="campus">
        <span className="badge badge--amber">Changed here</span>{' '}
        <ActionButton className="btn--ghost btn--small" onClick={() => reset(k)} title={`Organisation default: ${shown(initial.organizationDefaults, k)}`}>
          Use organisation default
        </ActionButton>
        {!k.startsWith('smsTemplates.') && <small className="muted"> (organisation: {shown(initial.organizationDefaults, k)})</small>}
      </span>
    ) : (
      <span className="setting-origin" data-setting={k} data-origin="organization">
        <span className="badge badge--grey">Organisation default</span>
      </span>
    );

  return (
    <div className="admin settings">
      <h1 className="page-title">Site settings</h1>
      <section className="panel">
        <h2>Site</h2>
        <div className="spec-fields">
          <label className="field">
            <span>Name</span>
            <input
              value={site.name}
              maxLength={120}
              onChange={(e) => {
                setSite({ ...site, name: e.target.value });
                setSaved(null);
              }}
            />
          </label>
          <label className="field">
            <span>Timezone</span>
            <input
              value={site.timezone}
              list="tz-list"
              onChange={(e) => {
                setSite({ ...site, timezone: e.target.value });
                setSaved(null);
              }}
            />
            <datalist id="tz-list">
              {[
                'America/New_York',
                'America/Chicago',
                'America/Denver',
                'America/Phoenix',
                'America/Los_Angeles',
                'America/Anchorage',
                'Pacific/Honolulu',
                'Europe/London',
              ].map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </label>
        </div>
      </section>
      <p className="muted">
        Rules marked “Organisation default” follow your organisation: when it changes them, this campus changes too. Changing one here keeps this campus’s own
        value.
      </p>
      <RulesFields s={s} set={set} mark={mark} />
      <section className="panel">
        <h2>Pre-check-in</h2>
        <fieldset className="radio-group">
          <legend>Weekly pre-check-in text</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={s.preCheckinSms !== null}
              onChange={(e) => set('preCheckinSms', e.target.checked ? { weekday: 6, time: '18:00' } : null)}
            />{' '}
            <span>Text families who came in the last 8 weeks a pre-check-in link every week (in their language; never after STOP)</span>
          </label>
          {s.preCheckinSms && (
            <div className="spec-fields">
              <label className="field">
                <span>Day</span>
                <select
                  aria-label="Pre-check-in text day"
                  value={s.preCheckinSms.weekday}
                  onChange={(e) => set('preCheckinSms', { ...s.preCheckinSms!, weekday: Number(e.target.value) })}
                >
                  {WEEKDAYS.map((d, i) => (
                    <option key={d} value={i}>
                      {d}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>Time (campus time)</span>
                <input
                  type="time"
                  aria-label="Pre-check-in text time"
                  value={s.preCheckinSms.time}
                  onChange={(e) => set('preCheckinSms', { ...s.preCheckinSms!, time: e.target.value })}
                />
              </label>
            </div>
          )}
        </fieldset>
      </section>
      <div className="form-actions sticky-actions">
        <ActionButton className="btn--primary" onClick={save}>
          Save settings
        </ActionButton>
        {saved && (
          <span className="notice" role="status">
            {saved}
          </span>
        )}
      </div>
    </div>
  );
}
