/**
 * The one page shape behind the organisation's API keys and webhooks (DESIGN §20): a list of things
 * that each hold a secret, a form that creates one from a text field, a set of choices (scopes,
 * events) and, if wanted, one campus, and a panel that shows the new secret once, with a copy button.
 * Each page gives its words, its endpoint and how a row looks; the rest lives here once.
 */
import { Fragment, useState, type ReactNode } from 'react';
import type { OrganizationInfo } from '../../../../contracts';
import { api } from '../../api';
import { useApiQuery } from '../../query';
import { ActionButton, Empty, ErrorText, Loading, fieldError } from '../../ui';

type Campuses = OrganizationInfo['campuses'];

/** What the create form sends: the text field trimmed, the choices in their listed order, the campus or null. */
export interface CreateInput<Choice extends string> {
  text: string;
  chosen: Choice[];
  siteId: string | null;
}

export interface CreateFormSpec<Choice extends string, Created> {
  title: string;
  /** the text field: its label, and the field name the server's 400 names */
  field: { name: string; label: string; placeholder: string; maxLength: number };
  choices: { legend: string; all: readonly Choice[]; describe: Record<Choice, string> };
  everyCampus: string;
  submit: string;
  create: (input: CreateInput<Choice>) => Promise<Created>;
}

export interface SecretSpec<Created> {
  headingId: string;
  testId: string;
  title: (created: Created) => string;
  note: (created: Created) => ReactNode;
}

export interface RowProps<Created> {
  /** the campus the item is limited to, by name, or "Every campus" */
  campus: string;
  reload: () => void;
  showSecret: (created: Created) => void;
}

export function IssuedSecretsPage<Item extends { id: string; siteId: string | null }, Created extends { secret: string }, Choice extends string>(props: {
  className: string;
  title: string;
  intro: ReactNode;
  /** the list's query key and loader */
  list: { key: string; load: () => Promise<Item[]>; label: string; empty: string };
  secret: SecretSpec<Created>;
  form: CreateFormSpec<Choice, Created>;
  row: (item: Item, p: RowProps<Created>) => ReactNode;
}) {
  const { list, row } = props;
  const items = useApiQuery([list.key], list.load);
  const org = useApiQuery(['org'], async () => (await api('GET /api/org')).organization);
  const [created, setCreated] = useState<Created | null>(null);
  const campuses = org.data?.campuses ?? [];
  const campusName = (id: string | null) => (id ? (campuses.find((c) => c.id === id)?.name ?? 'a campus') : 'Every campus');
  const reload = () => void items.reload();
  const showSecret = (c: Created) => {
    setCreated(c);
    reload();
  };
  return (
    <div className={`admin ${props.className}`}>
      <div className="page-head">
        <h1 className="page-title">{props.title}</h1>
      </div>
      <p className="muted">{props.intro}</p>
      {created && <SecretOnce spec={props.secret} created={created} onDone={() => setCreated(null)} />}
      <CreateForm spec={props.form} campuses={campuses} onCreated={showSecret} />
      {items.error && <ErrorText error={items.error} />}
      {!items.data && !items.error && <Loading />}
      {items.data && !items.data.length && <Empty>{list.empty}</Empty>}
      <ul className="card-list" aria-label={list.label}>
        {(items.data ?? []).map((item) => (
          <Fragment key={item.id}>{row(item, { campus: campusName(item.siteId), reload, showSecret })}</Fragment>
        ))}
      </ul>
    </div>
  );
}

function SecretOnce<Created extends { secret: string }>({ spec, created, onDone }: { spec: SecretSpec<Created>; created: Created; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section className="panel pairing" aria-labelledby={spec.headingId}>
      <h2 id={spec.headingId}>{spec.title(created)}</h2>
      <p className="api-key-secret" data-testid={spec.testId}>
        <code>{created.secret}</code>
      </p>
      <p className="muted">{spec.note(created)}</p>
      <div className="form-actions">
        <ActionButton
          className="btn--primary"
          onClick={async () => {
            await navigator.clipboard.writeText(created.secret);
            setCopied(true);
          }}
        >
          {copied ? 'Copied' : 'Copy secret'}
        </ActionButton>
        <button type="button" className="btn" onClick={onDone}>
          Done, hide it
        </button>
      </div>
    </section>
  );
}

function CreateForm<Choice extends string, Created>({
  spec,
  campuses,
  onCreated,
}: {
  spec: CreateFormSpec<Choice, Created>;
  campuses: Campuses;
  onCreated: (c: Created) => void;
}) {
  const { field, choices } = spec;
  const [text, setText] = useState('');
  const [chosen, setChosen] = useState<Choice[]>([]);
  const [siteId, setSiteId] = useState('');
  const [error, setError] = useState<unknown>(null);
  // kept in the listed order whatever order they were ticked in
  const toggle = (s: Choice) => setChosen((x) => (x.includes(s) ? x.filter((y) => y !== s) : choices.all.filter((y) => y === s || x.includes(y))));
  const textError = fieldError(error, field.name);
  return (
    <section className="panel">
      <h2>{spec.title}</h2>
      <form className="api-key-form" onSubmit={(e) => e.preventDefault()}>
        <label className="field">
          <span>{field.label}</span>
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder={field.placeholder} maxLength={field.maxLength} />
          {textError && <span className="error">{textError}</span>}
        </label>
        <fieldset className="radio-group">
          <legend>{choices.legend}</legend>
          {choices.all.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" checked={chosen.includes(s)} onChange={() => toggle(s)} /> <code>{s}</code>{' '}
              <span className="muted small">{choices.describe[s]}</span>
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>Campus</span>
          <select value={siteId} onChange={(e) => setSiteId(e.target.value)}>
            <option value="">{spec.everyCampus}</option>
            {campuses.map((c) => (
              <option key={c.id} value={c.id}>
                Only {c.name}
              </option>
            ))}
          </select>
        </label>
        {error != null && !textError && <ErrorText error={error} />}
        <div className="form-actions">
          <ActionButton
            className="btn--primary"
            disabled={!text.trim() || !chosen.length}
            onClick={async () => {
              setError(null);
              try {
                const c = await spec.create({ text: text.trim(), chosen, siteId: siteId || null });
                setText('');
                setChosen([]);
                setSiteId('');
                onCreated(c);
              } catch (e) {
                setError(e);
              }
            }}
          >
            {spec.submit}
          </ActionButton>
        </div>
      </form>
    </section>
  );
}
