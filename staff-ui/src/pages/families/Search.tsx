/** Families (staff): search by family, parent or child name, or phone digits. */
import { useEffect, useState } from 'react';
import { displayPhone } from '../../../../contracts/rules';
import { Link } from '../../router';
import { Empty, ErrorText, Loading } from '../../ui';
import { useFamilySearch } from '../../query';
import { ImportPanel } from './ImportPanel';

export function Search() {
  // a search remembered from before (back from a family page) shows again on arrival
  const [q, setQ] = useState(() => sessionStorage.getItem('kc.staff.familyq') ?? '');
  const { term, results, error, busy } = useFamilySearch(q);
  useEffect(() => {
    sessionStorage.setItem('kc.staff.familyq', term);
  }, [term]);

  return (
    <div className="families">
      <div className="page-head">
        <h1 className="page-title">Families</h1>
        <Link to="/families/new" className="btn btn--primary">
          New family
        </Link>
      </div>
      <ImportPanel />
      <label className="field search-field">
        <span>Search by family, parent or child name, or phone digits</span>
        <input type="search" value={q} autoFocus placeholder="e.g. Garcia, Liam, 0142" onChange={(e) => setQ(e.target.value)} />
      </label>
      <ErrorText error={error} />
      {busy && <Loading what="Searching" />}
      {results && results.length === 0 && (
        <Empty>
          <p>No family matches “{term}”.</p>
        </Empty>
      )}
      <ul className="result-list">
        {results?.map((h) => (
          <li key={h.id}>
            <Link to={`/families/${h.id}`} className="result">
              <strong>{h.name}</strong>
              <span className="muted small">{h.guardians.map((g) => `${g.firstName} ${g.lastName} ${displayPhone(g.phone)}`).join(' · ')}</span>
              <span className="small">{h.children.map((c) => c.firstName).join(', ')}</span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
