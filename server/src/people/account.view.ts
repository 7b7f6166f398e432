/** The page an invitation or reset link opens: server-rendered, no script (CSP), every value escaped. */
import { PASSWORD_MIN } from '../../../contracts';
import { escapeHtml } from '../pass/pass.view';

const STYLE = `
  *{box-sizing:border-box} body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f6fb;color:#1c2333}
  main{max-width:420px;margin:0 auto;padding:24px 16px} .card{background:#fff;border-radius:16px;box-shadow:0 2px 10px rgba(20,30,60,.08);padding:20px}
  h1{font-size:1.25rem;margin:0 0 8px} p{color:#5b6478} label{display:block;margin:12px 0 4px;font-weight:600}
  input{width:100%;font-size:1rem;padding:10px;border:1px solid #c9cfdb;border-radius:8px}
  button{margin-top:16px;width:100%;font-size:1rem;padding:12px;border:0;border-radius:8px;background:#2f5bd3;color:#fff}
  .error{color:#b3261e}
`;
function page(title: string, inner: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main><div class="card">${inner}</div></main></body></html>`;
}

export function renderSetPassword(v: { token: string; email: string; name: string; kind: 'invite' | 'reset'; error?: string }): string {
  const title = v.kind === 'invite' ? 'Welcome to Kids’ Club' : 'Choose a new password';
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>
<p>${v.kind === 'invite' ? 'Choose a password for' : 'A new password for'} <strong>${escapeHtml(v.email)}</strong>. This link works once.</p>
${v.error ? `<p class="error" role="alert">${escapeHtml(v.error)}</p>` : ''}
<form method="post" action="/account/${escapeHtml(v.token)}">
<label for="password">New password (${PASSWORD_MIN}+ characters)</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="${PASSWORD_MIN}" required>
<label for="confirm">Once more</label>
<input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="${PASSWORD_MIN}" required>
<button type="submit">Set password</button></form>`,
  );
}
export const renderPasswordSet = (email: string) =>
  page('Password set', `<h1>Password set</h1><p>Sign in as <strong>${escapeHtml(email)}</strong> at <a href="/staff/">the staff app</a>.</p>`);
export const renderLinkGone = () =>
  page('Link not valid', '<h1>This link no longer works</h1><p>It was used already or has expired. Ask an admin for a new one.</p>');
