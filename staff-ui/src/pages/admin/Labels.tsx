/**
 * Admin: label templates (DESIGN §18, #29). One tab per kind (child label, parent tag, volunteer
 * badge, key tag); a stock picker, the element list and a live preview rendered by the server
 * (POST /api/label-templates/preview, the same HTML renderer the kiosk prints with: keeping the
 * renderer and its QR encoder out of this bundle keeps the staff UI in its budget, DESIGN §9), at
 * the stock's real aspect ratio. A campus admin saves or resets
 * this campus's override; an organisation admin also the organisation's template.
 */
import { useEffect, useState } from 'react';
import { api, ApiError, messageOf } from '../../api';
import { useApiQuery } from '../../query';
import { ErrorText, Loading } from '../../ui';
import { LABEL_STOCKS } from '../../../../contracts/rules/label-stocks';
import { LABEL_KIND_NAMES, LABEL_TEMPLATE_KINDS, labelHeightMm, type LabelTemplate, type LabelTemplateKind } from '../../../../contracts/labels/model';
import { defaultTemplate } from '../../../../contracts/labels/defaults';
import type { LabelTemplateList } from '../../../../contracts/label-templates';
import { ElementList } from './LabelElements';

type Level = 'organization' | 'campus';

/** The server names a bad element by its path (`template.elements.3.x`): say which row, as the list numbers them. */
function problem(e: unknown): string {
  const m = e instanceof ApiError && e.field ? /^template\.(?:elements\.(\d+)\.?)?(.*)$/.exec(e.field) : null;
  if (!m) return messageOf(e);
  const where = m[1] !== undefined ? `Element ${Number(m[1]) + 1}${m[2] ? ` (${m[2]})` : ''}` : m[2];
  return `${where}: ${messageOf(e)}`;
}
const PX_PER_MM = 96 / 25.4;
/** The preview's width on screen; its height follows the stock's aspect ratio. */
const PREVIEW_PX = 520;

/** How long the editing settles before the server renders the preview again. */
const PREVIEW_DEBOUNCE_MS = 200;

/** The body of the server's preview document (its `<style>` and the labels), to show inline. */
const labelMarkup = (doc: string) => new DOMParser().parseFromString(doc, 'text/html').body.innerHTML;

/**
 * The sample family's label as the server renders it. The last good render stays up while the
 * next one is on its way, and when the draft is not a valid template yet (a half-typed size, an
 * element off the label: the server's 400 says which).
 */
export function LabelPreview({ template }: { template: LabelTemplate }) {
  const [shown, setShown] = useState<{ template: LabelTemplate; html: string } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      api('POST /api/label-templates/preview', { body: { kind: template.kind, template: { stock: template.stock, elements: template.elements } } }).then(
        (r) => {
          if (!current) return;
          setShown({ template, html: labelMarkup(r.html) });
          setFailed(null);
        },
        (e: unknown) => {
          if (current) setFailed(problem(e));
        },
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [template]);
  if (!shown)
    return (
      <figure className="label-preview" data-testid="label-preview">
        {failed ? <p className="muted small">Preview not shown: {failed}</p> : <Loading />}
      </figure>
    );
  const w = shown.template.stock.widthMm;
  const h = labelHeightMm(shown.template);
  const scale = Math.min(PREVIEW_PX / (w * PX_PER_MM), 420 / (h * PX_PER_MM));
  return (
    // data-stock names the stock of the render on screen (not of a draft still being rendered)
    <figure className="label-preview" data-testid="label-preview" data-stock={shown.template.stock.id} aria-busy={shown.template !== template}>
      <div className="label-preview-frame" style={{ width: w * PX_PER_MM * scale, height: h * PX_PER_MM * scale }}>
        <div className="label-preview-paper" style={{ transform: `scale(${scale})` }} dangerouslySetInnerHTML={{ __html: shown.html }} />
      </div>
      <figcaption className="muted small">
        {w} × {h} mm{shown.template.stock.heightMm === null ? ' (continuous: cut after the content)' : ''} · sample family
      </figcaption>
      {failed && (
        <p className="muted small" data-testid="label-preview-problem">
          Preview not updated: {failed}
        </p>
      )}
    </figure>
  );
}

export default function Labels() {
  const list = useApiQuery(['label-templates'], () => api('GET /api/label-templates'));
  const [kind, setKind] = useState<LabelTemplateKind>('child');
  const [level, setLevel] = useState<Level>('campus');
  const [draft, setDraft] = useState<LabelTemplate | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const slot = list.data?.templates.find((s) => s.kind === kind);

  // the draft starts from what this level holds, else from what the campus prints now: set while
  // rendering when the slot, level or kind changes (React's "adjusting state when a prop changes", no effect)
  const [basis, setBasis] = useState<{ slot: typeof slot; level: Level; kind: LabelTemplateKind } | null>(null);
  if (slot && (basis?.slot !== slot || basis.level !== level || basis.kind !== kind)) {
    setBasis({ slot, level, kind });
    const stored = level === 'campus' ? slot.campus : slot.organization;
    setDraft(stored ? { kind, stock: stored.stock, elements: stored.elements } : { ...slot.effective, kind });
    setError(null);
  }

  if (list.loading || !list.data) return list.error ? <ErrorText error={list.error} /> : <Loading />;
  const data: LabelTemplateList = list.data;
  const chooseStock = (id: string) => {
    if (!draft) return;
    // a new stock starts from that stock's default layout (nothing is saved until Save)
    if (id === 'custom') setDraft({ ...draft, stock: { id: 'custom', widthMm: draft.stock.widthMm, heightMm: draft.stock.heightMm ?? 50 } });
    else setDraft(defaultTemplate(kind, id));
  };
  const save = async () => {
    if (!draft) return;
    setError(null);
    setSaved(null);
    try {
      await api('PUT /api/label-templates/:kind', { params: { kind }, body: { level, template: { stock: draft.stock, elements: draft.elements } } });
      setSaved(level === 'campus' ? 'Saved for this campus.' : 'Saved for the organisation.');
      await list.reload();
    } catch (e) {
      setError(problem(e));
    }
  };
  const reset = async () => {
    const question =
      level === 'campus' ? "Drop this campus's own template and use the organisation's?" : "Drop the organisation's template and use the default?";
    if (!window.confirm(question)) return;
    setError(null);
    try {
      await api('POST /api/label-templates/:kind/reset', { params: { kind }, body: { level } });
      setSaved('Back to the inherited template.');
      await list.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const SOURCES = { campus: "this campus's own template", organization: "the organisation's template", default: 'the default template' } as const;
  const source = SOURCES[slot?.source ?? 'default'];
  return (
    <div className="admin labels-admin">
      <div className="page-head">
        <h1 className="page-title">Labels</h1>
      </div>
      <p className="muted">
        What each label prints, on which stock. A Zebra printer gets ZPL; DYMO, Brother and Citizen printers print through the browser at the stock&apos;s page
        size.
      </p>
      <nav className="chips" aria-label="Label kind">
        {LABEL_TEMPLATE_KINDS.map((k) => (
          <button key={k} type="button" className={`chip ${k === kind ? 'chip--active' : ''}`} aria-pressed={k === kind} onClick={() => setKind(k)}>
            {LABEL_KIND_NAMES[k]}
          </button>
        ))}
      </nav>
      <p data-testid="label-source">
        This campus prints <strong>{source}</strong>.
      </p>
      {data.canEditOrganization && (
        <fieldset className="label-level">
          <legend>Edit</legend>
          <label>
            <input type="radio" name="level" checked={level === 'campus'} onChange={() => setLevel('campus')} /> This campus
          </label>
          <label>
            <input type="radio" name="level" checked={level === 'organization'} onChange={() => setLevel('organization')} /> The organisation (every campus
            without its own)
          </label>
        </fieldset>
      )}
      {draft && (
        <div className="label-editor">
          <section className="panel label-editor-form">
            <label className="field">
              <span>Stock</span>
              <select value={draft.stock.id} onChange={(e) => chooseStock(e.target.value)} data-testid="label-stock">
                {LABEL_STOCKS.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
                <option value="custom">Custom size</option>
              </select>
            </label>
            {draft.stock.id === 'custom' && (
              <div className="inline-form">
                <label className="field">
                  <span>Width mm</span>
                  <input
                    type="number"
                    value={draft.stock.widthMm}
                    onChange={(e) => setDraft({ ...draft, stock: { ...draft.stock, widthMm: Number(e.target.value) } })}
                  />
                </label>
                <label className="field">
                  <span>Height mm</span>
                  <input
                    type="number"
                    value={draft.stock.heightMm ?? ''}
                    onChange={(e) => setDraft({ ...draft, stock: { ...draft.stock, heightMm: Number(e.target.value) } })}
                  />
                </label>
              </div>
            )}
            <ElementList elements={draft.elements} onChange={(elements) => setDraft({ ...draft, elements })} />
          </section>
          <section className="panel label-editor-preview">
            <h2>Preview</h2>
            <LabelPreview template={draft} />
            <div className="label-actions">
              <button type="button" className="btn btn--primary" onClick={() => void save()}>
                Save
              </button>
              <button type="button" className="btn" onClick={() => void reset()}>
                Reset to {level === 'campus' ? "the organisation's" : 'default'}
              </button>
            </div>
            <ErrorText error={error} />
            {saved && (
              <p className="ok" role="status">
                {saved}
              </p>
            )}
          </section>
        </div>
      )}
    </div>
  );
}
