/** A small form builder for the many little edit forms of families and admin screens. */
import { useId, useState, type FormEvent } from 'react';
import { ApiError, messageOf } from './api';

export type Values = Record<string, string | boolean>;
export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'tel' | 'date' | 'number' | 'checkbox' | 'select' | 'textarea' | 'email' | 'password' | 'datetime-local';
  options?: { value: string; label: string }[];
  required?: boolean;
  placeholder?: string;
  hint?: string;
  min?: number;
  max?: number;
  maxLength?: number;
  wide?: boolean;
}

export function SpecForm({
  fields,
  initial,
  onSubmit,
  onCancel,
  onDelete,
  submitLabel = 'Save',
  deleteLabel = 'Remove',
  deleteConfirm,
  className = '',
}: {
  fields: FieldSpec[];
  initial: Values;
  onSubmit: (v: Values) => Promise<unknown>;
  onCancel?: () => void;
  onDelete?: () => Promise<unknown>;
  submitLabel?: string;
  deleteLabel?: string;
  deleteConfirm?: string;
  className?: string;
}) {
  // one stable id per form (a random one in render changed on every render and broke the label's link)
  const formId = useId();
  const [values, setValues] = useState<Values>(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (k: string, v: string | boolean) => setValues((x) => ({ ...x, [k]: v }));
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(() => onSubmit(values));
  };
  const fieldOf = (e: unknown) => (e instanceof ApiError ? e.field?.split('.').pop() : undefined);
  const badField = fieldOf(error);

  return (
    <form className={`spec-form ${className}`} onSubmit={submit}>
      <div className="spec-fields">
        {fields.map((f) => {
          const id = `${formId}-${f.name}`;
          const invalid = badField === f.name;
          const v = values[f.name];
          if (f.type === 'checkbox') {
            return (
              <label key={f.name} className="check">
                <input type="checkbox" checked={!!v} onChange={(e) => set(f.name, e.target.checked)} /> <span>{f.label}</span>
              </label>
            );
          }
          return (
            <label key={f.name} className={`field ${f.wide || f.type === 'textarea' ? 'field--wide' : ''}`} htmlFor={id}>
              <span>
                {f.label}
                {f.required ? '' : <small className="muted"> (optional)</small>}
              </span>
              {f.type === 'select' ? (
                <select id={id} value={String(v ?? '')} onChange={(e) => set(f.name, e.target.value)} aria-invalid={invalid}>
                  {f.options!.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              ) : f.type === 'textarea' ? (
                <textarea
                  id={id}
                  value={String(v ?? '')}
                  rows={2}
                  maxLength={f.maxLength}
                  placeholder={f.placeholder}
                  onChange={(e) => set(f.name, e.target.value)}
                  aria-invalid={invalid}
                />
              ) : (
                <input
                  id={id}
                  type={f.type ?? 'text'}
                  value={String(v ?? '')}
                  required={f.required}
                  min={f.min}
                  max={f.max}
                  maxLength={f.maxLength}
                  placeholder={f.placeholder}
                  onChange={(e) => set(f.name, e.target.value)}
                  aria-invalid={invalid}
                />
              )}
              {f.hint && <small className="muted">{f.hint}</small>}
            </label>
          );
        })}
      </div>
      {error != null && (
        <p className="error" role="alert">
          {messageOf(error)}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="btn btn--ghost" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
        {onDelete && (
          <button
            type="button"
            className="btn btn--danger push-right"
            disabled={busy}
            onClick={() => {
              if (!deleteConfirm || window.confirm(deleteConfirm)) void run(onDelete);
            }}
          >
            {deleteLabel}
          </button>
        )}
      </div>
    </form>
  );
}

export const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v.trim() : '');
export const orNull = (v: string | boolean | undefined) => (str(v) === '' ? null : str(v));
export const numOrNull = (v: string | boolean | undefined) => (str(v) === '' ? null : Number(str(v)));
