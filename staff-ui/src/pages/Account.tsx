/** Everyone: change one's own password (every other sign-in ends). */
import { useState } from 'react';
import { api } from '../api';
import { useSignedIn } from '../session';
import { SpecForm, str } from '../forms';

export default function Account() {
  const session = useSignedIn();
  const [done, setDone] = useState(false);
  return (
    <div className="account">
      <h1 className="page-title">My account</h1>
      <p className="muted">{session.user.email}</p>
      <section className="panel">
        <h2>Change password</h2>
        {done && <p role="status">Password changed. Your other sign-ins were ended.</p>}
        <SpecForm
          fields={[
            { name: 'currentPassword', label: 'Current password', required: true, type: 'password' },
            { name: 'newPassword', label: 'New password (10+ characters)', required: true, type: 'password' },
          ]}
          initial={{ currentPassword: '', newPassword: '' }}
          submitLabel="Change password"
          onSubmit={async (v) => {
            await api('PUT /api/auth/me/password', { body: { currentPassword: str(v.currentPassword), newPassword: str(v.newPassword) } });
            setDone(true);
          }}
        />
      </section>
    </div>
  );
}
