/**
 * Organisation admins: the default rules and wording of every campus (DESIGN §10). Live: a campus
 * that did not change a setting uses the new default at once (its services under way are judged
 * again); campuses that changed it keep their own value. Only changed keys are sent.
 */
import { useState } from 'react';
import type { OrganizationInfo, SiteSettings } from '../../../../contracts';
import { api } from '../../api';
import { ActionButton, ErrorText, Loading } from '../../ui';
import { useApiQuery } from '../../query';
import { RulesFields, settingsPatch } from './Settings';

export default function Organization() {
  const load = useApiQuery(['org'], async () => (await api('GET /api/org')).organization);
  if (load.error) return <ErrorText error={load.error} />;
  if (!load.data) return <Loading />;
  return <DefaultsForm loaded={load.data} onSaved={load.setData} />;
}

function DefaultsForm({ loaded, onSaved }: { loaded: OrganizationInfo; onSaved: (o: OrganizationInfo) => void }) {
  const [initial, setInitial] = useState(loaded);
  const [s, setS] = useState<SiteSettings>(loaded.defaults);
  const [saved, setSaved] = useState<string | null>(null);
  const set = <K extends keyof SiteSettings>(k: K, v: SiteSettings[K]) => {
    setS((x) => ({ ...x, [k]: v }));
    setSaved(null);
  };
  const save = async () => {
    const patch = settingsPatch(s, initial.defaults);
    if (!Object.keys(patch).length) return setSaved('Nothing changed.');
    const next = (await api('PATCH /api/org/settings', { body: patch })).organization;
    setInitial(next);
    onSaved(next);
    setS(next.defaults);
    setSaved('Saved. Campuses that use the organisation default have it now.');
  };
  return (
    <div className="admin settings">
      <h1 className="page-title">Organisation defaults — {initial.name}</h1>
      <p className="muted">
        Every campus ({initial.campuses.map((c) => c.name).join(', ')}) uses these unless its admin changed a setting on its own Site settings page.
      </p>
      <RulesFields s={s} set={set} mark={() => null} />
      <div className="form-actions sticky-actions">
        <ActionButton className="btn--primary" onClick={save}>
          Save organisation defaults
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
